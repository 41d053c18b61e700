"""The display's link to the server: Socket.IO `/display` (WebSocket only) and the REST catalog.

Everything arrives on `events`, a queue of (name, payload) that the frame loop drains; no handler here draws or
changes state. Connection news uses names starting with "_" (`_connected`, `_disconnected`, `_refused`,
`_unreachable`). python-socketio does the retrying: `connect(retry=True)` retries a first connection the server
does not answer, and its reconnection brings back a dropped link, both with its own backoff; the server sends a
`snapshot` on every (re)connect. The catalog (`services`, `priorities`) is fetched again on every reconnect.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
from typing import Any

import requests
import socketio
from socketio.exceptions import ConnectionError as SocketConnectionError

from hardware.health import Heartbeat
from hardware.realtime import in_arrival_order

log = logging.getLogger(__name__)

NAMESPACE = "/display"
SERVER_EVENTS = ("snapshot", "ticket_called", "counter_changed", "queue_changed", "tick")
REQUEST_TIMEOUT_SECS = 5.0
RETRY_FIRST_SECS = 0.5  # python-socketio's backoff: doubles from here up to RETRY_MAX_SECS, then ± 0.5 s jitter
# Capped at a second: a restarted server has every TV's snapshot within 2 s of answering (issue 16), and the
# jitter spreads 200 TVs over a second instead of all at once.
RETRY_MAX_SECS = 1.0

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
        self._catalog_fresh = False  # fetched just before connecting: the first connect need not fetch it again
        self._refusal = ""
        self.sio = in_arrival_order(socketio.Client(
            reconnection=True, reconnection_attempts=0, reconnection_delay=RETRY_FIRST_SECS,
            reconnection_delay_max=RETRY_MAX_SECS, randomization_factor=0.5, handle_sigint=False))
        for name in SERVER_EVENTS:
            self.sio.on(name, self._forward(name), namespace=NAMESPACE)
        self.sio.on("connect", self._on_connect, namespace=NAMESPACE)
        self.sio.on("disconnect", self._on_disconnect, namespace=NAMESPACE)
        self.sio.on("connect_error", self._on_connect_error, namespace=NAMESPACE)
        self.sio.on("site_changed", self._on_site_changed, namespace=NAMESPACE)
        # A registered TV says it is alive (the office sees a silent one as offline); a public mirror has no token.
        self.heartbeat = Heartbeat(self.sio, NAMESPACE, token, self.server, connected=lambda: self.connected,
                                   state=lambda: {"printer": "none"})

    # ------------------------------------------------------------------ socket handlers (socket threads)
    def _forward(self, name: str) -> Any:
        def handler(data: Any = None) -> None:
            self.events.put((name, data))

        return handler

    def _on_connect(self) -> None:
        self.events.put(("_connected", {}))
        if not self._catalog_fresh:
            # Services may have changed while the server was down (it restarts to load a new config).
            threading.Thread(target=self.fetch_catalog, name="display-catalog", daemon=True).start()
        self._catalog_fresh = False

    def _on_site_changed(self, _data: Any = None) -> None:
        # The office changed services or lokets: the catalog again (the new snapshot comes by itself).
        threading.Thread(target=self.fetch_catalog, name="display-catalog", daemon=True).start()

    def _on_disconnect(self, reason: Any = None) -> None:
        self.events.put(("_disconnected", {"reason": str(reason or "")}))

    def _on_connect_error(self, data: Any = None) -> None:
        if self._stopping.is_set():
            self._abort_retries()  # an attempt stop() could not interrupt: no more after it
        if isinstance(data, dict):  # the server answered and refused the token: {"message", "data": {"code"}}
            # Not retried until the link drops: a refused token stays refused until the display gets a new one.
            self._refusal = str(data.get("message") or "ditolak")
            log.info("layar ditolak oleh server (%s): %s", self.server, self._refusal)  # shown on the screen
            self.events.put(("_refused", {"message": self._refusal}))
        else:  # no answer (python-socketio passes the transport's error text): it retries by itself
            self.events.put(("_unreachable", {"message": f"server tidak dapat dihubungi ({self.server}): "
                                                        f"{data or 'tidak ada jawaban'}"}))

    # ------------------------------------------------------------------ REST
    def fetch_catalog(self) -> bool:
        """Put the services and the priority labels (`GET /api/v1/services`, `/priorities`) on the queue as
        `services` and `priorities`; False when the server is away."""
        loaded = True
        for name in ("services", "priorities"):
            try:
                reply = requests.get(f"{self.server}/api/v1/{name}", timeout=REQUEST_TIMEOUT_SECS)
                reply.raise_for_status()
                items = reply.json()
            except (requests.RequestException, ValueError) as exc:
                log.warning("%s not loaded: %s", name, _short(exc))
                loaded = False
                continue
            if isinstance(items, list):
                self.events.put((name, items))
        return loaded

    # ------------------------------------------------------------------ connection
    def connect_once(self, timeout: float = REQUEST_TIMEOUT_SECS) -> None:
        """Fetch the catalog and connect now, one attempt (a screenshot), or raise ConnectFailed (one line)."""
        try:
            requests.get(f"{self.server}/health", timeout=timeout).raise_for_status()
        except requests.RequestException as exc:
            raise ConnectFailed(f"server tidak dapat dihubungi ({self.server}): {_short(exc)}") from None
        self._catalog_fresh = self.fetch_catalog()
        try:
            self._connect(timeout, retry=False)
        except (SocketConnectionError, ValueError, OSError) as exc:
            why = self._refusal or _short(exc)
            raise ConnectFailed(f"layar ditolak oleh server ({self.server}): {why}") from None

    def _connect(self, timeout: float, *, retry: bool, wait: bool = True) -> None:
        self._refusal = ""
        self.sio.connect(self.server, transports=["websocket"], namespaces=[NAMESPACE],
                         auth={"token": self.token} if self.token else None, wait=wait, wait_timeout=timeout,
                         retry=retry)

    def start(self) -> None:
        """Connect in the background (retrying until the server answers) and stay connected until stop()."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="display-client", daemon=True)
            self._thread.start()
            self.heartbeat.start()

    def _run(self) -> None:
        self._catalog_fresh = self.fetch_catalog()
        try:
            # retry=True: python-socketio retries a first connection nobody answers, with the backoff above.
            # wait=False: `/display` joins in the background, so a link lost before the server confirmed it comes
            # back through the same reconnection as any later drop.
            self._connect(REQUEST_TIMEOUT_SECS, retry=True, wait=False)
        except (SocketConnectionError, ValueError, OSError) as exc:
            if not self._stopping.is_set():  # only stop() ends the retries
                log.error("display connection given up (%s): %s", self.server, _short(exc))
            return
        if self._stopping.is_set():  # stop() came while the last attempt was succeeding
            self.sio.disconnect()
        # From here on python-socketio's own threads keep the link; its reconnection brings back every drop.

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
        self.heartbeat.stop()
        self._abort_retries()
        try:
            self.sio.shutdown()  # ends a reconnection in progress, or disconnects
            # A (re)connection that was still waiting for the server's confirmation when shutdown() looked is
            # connected by now: close it too (nothing happens when there is no link).
            self.sio.disconnect()
        except Exception:  # shutting down: a half-closed socket must not stop the exit
            log.debug("shutdown failed", exc_info=True)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=3)

    def _abort_retries(self) -> None:
        # shutdown() ends the reconnection of a dropped link but not the retries of a first connect(retry=True)
        # (python-socketio 5.18 registers no task for them); both wait on this event between attempts.
        abort = getattr(self.sio, "_reconnect_abort", None)
        if abort is not None:
            abort.set()
