"""The display's link to the server: Socket.IO `/display` (WebSocket only) and the REST service catalog.

Everything arrives on `events`, a queue of (name, payload) that the frame loop drains; no handler here draws or
changes state. Connection news uses names starting with "_" (`_connected`, `_disconnected`, `_refused`,
`_unreachable`). python-socketio reconnects a dropped link with backoff; the server sends a `snapshot` on every
(re)connect.
"""

from __future__ import annotations

import logging
import queue
import random
import re
import threading
from typing import Any

import requests
import socketio
from socketio.exceptions import ConnectionError as SocketConnectionError

log = logging.getLogger(__name__)

NAMESPACE = "/display"
SERVER_EVENTS = ("snapshot", "ticket_called", "counter_changed", "queue_changed", "tick")
REQUEST_TIMEOUT_SECS = 5.0
FIRST_RETRY_SECS = 0.5  # backoff of the first connection attempts (later drops: python-socketio's own)
MAX_RETRY_SECS = 10.0

Message = tuple[str, Any]


class ConnectFailed(Exception):
    """The server cannot be reached or refused this display; the message is one line."""


def _short(exc: BaseException) -> str:
    """A short reason: requests buries "[Errno 111] Connection refused" deep inside its message."""
    text = str(exc)
    found = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if found:
        return found.group(1).strip()
    if isinstance(exc, requests.Timeout):
        return "waktu habis (timeout)"
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code}"
    return (text.splitlines()[0] if text.strip() else type(exc).__name__)[:160]


class DisplayClient:
    """A `/display` connection feeding `events`; `start()` keeps it alive in the background."""

    def __init__(self, server: str, token: str = "", *, events: queue.Queue[Message] | None = None) -> None:
        self.server = server.rstrip("/")
        self.token = token
        self.events: queue.Queue[Message] = events if events is not None else queue.Queue()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._connected_once = False
        self._refusal = ""
        self.sio = socketio.Client(reconnection=True, reconnection_attempts=0, reconnection_delay=0.5,
                                   reconnection_delay_max=5, randomization_factor=0.5, handle_sigint=False)
        for name in SERVER_EVENTS:
            self.sio.on(name, self._forward(name), namespace=NAMESPACE)
        self.sio.on("connect", self._on_connect, namespace=NAMESPACE)
        self.sio.on("disconnect", self._on_disconnect, namespace=NAMESPACE)
        self.sio.on("connect_error", self._on_connect_error, namespace=NAMESPACE)

    # ------------------------------------------------------------------ socket handlers (socket threads)
    def _forward(self, name: str) -> Any:
        def handler(data: Any = None) -> None:
            self.events.put((name, data))

        return handler

    def _on_connect(self) -> None:
        self.events.put(("_connected", {}))
        if self._connected_once:
            # Services may have changed while the server was down (it restarts to load a new config).
            threading.Thread(target=self.fetch_services, name="display-services", daemon=True).start()
        self._connected_once = True

    def _on_disconnect(self, reason: Any = None) -> None:
        self.events.put(("_disconnected", {"reason": str(reason or "")}))

    def _on_connect_error(self, data: Any = None) -> None:
        message = data.get("message") if isinstance(data, dict) else data
        self._refusal = str(message or "ditolak")
        self.events.put(("_refused", {"message": self._refusal}))

    # ------------------------------------------------------------------ REST
    def fetch_services(self) -> bool:
        """Put the service catalog (`GET /api/v1/services`) on the queue; False when the server is away."""
        try:
            reply = requests.get(f"{self.server}/api/v1/services", timeout=REQUEST_TIMEOUT_SECS)
            reply.raise_for_status()
            items = reply.json()
        except (requests.RequestException, ValueError) as exc:
            log.warning("service catalog not loaded: %s", _short(exc))
            return False
        if isinstance(items, list):
            self.events.put(("services", items))
        return True

    # ------------------------------------------------------------------ connection
    def connect_once(self, timeout: float = REQUEST_TIMEOUT_SECS) -> None:
        """Fetch the catalog and connect now, or raise ConnectFailed with a one-line reason."""
        try:
            requests.get(f"{self.server}/health", timeout=timeout).raise_for_status()
        except requests.RequestException as exc:
            raise ConnectFailed(f"server tidak dapat dihubungi ({self.server}): {_short(exc)}") from None
        self.fetch_services()
        self._refusal = ""
        try:
            self.sio.connect(self.server, transports=["websocket"], namespaces=[NAMESPACE],
                             auth={"token": self.token} if self.token else None, wait_timeout=timeout)
        except (SocketConnectionError, ValueError, OSError) as exc:
            why = self._refusal or _short(exc)
            raise ConnectFailed(f"layar ditolak oleh server ({self.server}): {why}") from None

    def start(self) -> None:
        """Connect in the background and stay connected until stop(); failures retry with backoff."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="display-client", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        delay = FIRST_RETRY_SECS
        while not self._stopping.is_set():
            try:
                self.connect_once()
            except ConnectFailed as exc:
                log.warning("%s; retrying in %.1f s", exc, delay)
                self.events.put(("_unreachable", {"message": str(exc)}))
                self._stopping.wait(delay * random.uniform(0.8, 1.2))  # backoff between attempts
                delay = min(delay * 2, MAX_RETRY_SECS)
                continue
            delay = FIRST_RETRY_SECS
            self.sio.wait()  # returns only when python-socketio gave up reconnecting, or on stop()

    def request_snapshot(self) -> bool:
        """Ask for a fresh snapshot (after a seq gap); it arrives on the queue. False when offline."""
        try:
            self.sio.emit("snapshot", {}, namespace=NAMESPACE,
                          callback=lambda data=None: self.events.put(("snapshot", data)))
        except SocketConnectionError:
            return False
        return True

    @property
    def connected(self) -> bool:
        """Whether the `/display` namespace is connected right now."""
        return bool(self.sio.connected and NAMESPACE in self.sio.namespaces)

    def stop(self) -> None:
        """Disconnect and stop reconnecting."""
        self._stopping.set()
        try:
            self.sio.disconnect()
        except Exception:  # shutting down: a half-closed socket must not stop the exit
            log.debug("disconnect failed", exc_info=True)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=3)
