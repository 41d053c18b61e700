"""What a kiosk or TV PC tells the server about itself every few seconds over its Socket.IO link: the software
version, its LAN address, how long it has been running and (a kiosk) its printer's state and last print error.
The server judges a device silent for [devices] offline_after seconds (30) offline and alerts the office; its
acknowledgement says how often to come back."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)
DEFAULT_EVERY_SECS = 10.0
TICK_SECS = 0.5  # how soon after (re)connecting the first heartbeat goes


def software_version() -> str:
    try:
        return metadata.version("antre")
    except metadata.PackageNotFoundError:
        return "dev"


def lan_address(server: str) -> str:
    """The local address this machine reaches `server` from (no packet is sent: UDP connect only routes)."""
    try:
        host = urlsplit(server).hostname or "127.0.0.1"
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect((host, 9))
            return str(probe.getsockname()[0])
    except (OSError, ValueError):  # no route, or a server address that is no URL: the server fills in what it sees
        return ""


class Heartbeat:
    """Sends `heartbeat` on `namespace` of a python-socketio `client` while `connected()`: at once after every
    (re)connect, then every `every` seconds. `state()` adds the device's own fields (printer, error)."""

    def __init__(self, client: Any, namespace: str, token: str, server: str, *,
                 connected: Callable[[], bool], state: Callable[[], dict[str, Any]] = dict,
                 every: float = DEFAULT_EVERY_SECS, clock: Callable[[], float] = time.monotonic) -> None:
        self.client, self.namespace, self.token, self.server = client, namespace, token, server
        self.connected, self.state, self.every, self.clock = connected, state, every, clock
        self.started_at = clock()
        self.sent = 0
        self.last_reply: dict[str, Any] | None = None
        self._last_sent: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def payload(self) -> dict[str, Any]:
        return {"token": self.token, "version": software_version(), "ip": lan_address(self.server),
                "uptime": int(self.clock() - self.started_at)} | self.state()

    def _reply(self, data: Any = None) -> None:
        self.last_reply = data if isinstance(data, dict) else None
        every = self.last_reply.get("every") if self.last_reply else None
        if isinstance(every, int | float) and every > 0:
            self.every = float(every)  # the server says how often it wants to hear from us
        elif self.last_reply and "error" in self.last_reply:
            log.warning("heartbeat refused: %s", self.last_reply["error"].get("message"))

    def beat(self) -> bool:
        """Send one heartbeat now; False when the link is down."""
        if not self.token or not self.connected():
            self._last_sent = None  # the next connect beats at once
            return False
        try:
            self.client.emit("heartbeat", self.payload(), namespace=self.namespace, callback=self._reply)
        except Exception as exc:  # the link dropped between the check and the emit: the next round tries again
            log.debug("heartbeat not sent: %s", exc)
            return False
        self._last_sent = self.clock()
        self.sent += 1
        return True

    def due(self) -> bool:
        return self._last_sent is None or self.clock() - self._last_sent >= self.every

    def _run(self) -> None:
        while not self._stop.wait(TICK_SECS):
            if self.due():
                self.beat()
            elif not self.connected():
                self._last_sent = None

    def start(self) -> Heartbeat:
        if self._thread is None and self.token:
            self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
