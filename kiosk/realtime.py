"""The kiosk's `/kiosk` Socket.IO connection: live services, queue changes and reprint requests onto a queue."""

from __future__ import annotations

import logging
import queue
import threading
from typing import Any

import socketio

from hardware.realtime import in_arrival_order
from kiosk.worker import Msg

logger = logging.getLogger(__name__)

NAMESPACE = "/kiosk"
CONNECT_WAIT_SECS = 5


class KioskSocket:
    """Connects WebSocket-only with the device token and reconnects by itself.

    Handlers run on python-socketio's reading thread, one message after the other in arrival order, so they only
    put `Msg`s on the frame loop's queue.
    """

    def __init__(self, server: str, token: str, out: queue.Queue[Msg]) -> None:
        self.server, self.token, self.out = server, token, out
        self.connected = threading.Event()
        self._stopping = threading.Event()
        # Back-off from 0.5 s capped at 1 s, ± 0.5 s jitter: the services are back within 2 s of a restarted
        # server answering, and many kiosks do not reconnect in step (issue 16).
        # In arrival order: a `services` list must never be replaced by an older one that overtook it.
        self.client = in_arrival_order(socketio.Client(
            reconnection=True, reconnection_delay=0.5, reconnection_delay_max=1.0, randomization_factor=0.5,
            handle_sigint=False))
        self.client.on("connect", self._on_connect, namespace=NAMESPACE)
        self.client.on("disconnect", self._on_disconnect, namespace=NAMESPACE)
        for name in ("services", "queue_changed", "reprint"):
            self.client.on(name, self._forward(name), namespace=NAMESPACE)
        self._thread = threading.Thread(target=self._connect, name="kiosk-socket", daemon=True)

    def start(self) -> KioskSocket:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        try:
            self.client.disconnect()
        except Exception:  # shutting down: a half-open client must not block exit
            logger.debug("socket disconnect failed", exc_info=True)

    def _connect(self) -> None:
        # connect() with retry=True keeps trying with the reconnection back-off until the server is up.
        try:
            self.client.connect(self.server, auth={"token": self.token}, namespaces=[NAMESPACE],
                                transports=["websocket"], wait_timeout=CONNECT_WAIT_SECS, retry=True)
        except Exception as exc:  # e.g. a refused token: the kiosk still works over REST
            if not self._stopping.is_set():
                logger.warning("kiosk socket not connected: %s", exc)

    def _on_connect(self) -> None:
        self.connected.set()
        self.out.put(Msg("online", True))

    def _on_disconnect(self, *_: Any) -> None:
        self.connected.clear()
        if not self._stopping.is_set():
            self.out.put(Msg("online", False))

    def _forward(self, name: str) -> Any:
        def handler(data: Any = None) -> None:
            self.out.put(Msg(name, data))

        return handler
