"""Closing the sockets of principals that lost their right: per process, every authenticated socket's token hash;
once a second one query asks which of them died (revoked, logged out, expired, user disabled, device revoked) and
those sockets are disconnected. Every process sweeps its own sockets, so no message between processes is needed."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from flask_socketio import SocketIO

from ..domain.accounts import Principal
from ..services import accounts
from ..services.context import Context
from .failures import LoopFailures

log = logging.getLogger(__name__)
SWEEP_INTERVAL_SECS = 1.0  # a dead token's sockets close within this plus one query
DEVICE_SEEN_EVERY_SECS = 30.0  # how often devices with an open socket are marked seen (their "online" state)


@dataclass(frozen=True, slots=True)
class OpenSocket:
    token_hash: str
    device_id: int | None


class Sessions:
    """The authenticated sockets of this process and the background sweep that closes the dead ones. The sweep
    runs only while there is a socket to watch (no query at all on an idle server)."""

    def __init__(self, socketio: SocketIO, ctx: Context) -> None:
        self.sio, self.ctx = socketio, ctx
        self._open: dict[tuple[str, str], OpenSocket] = {}  # (namespace, sid) → its token
        self._lock = threading.Lock()  # green under eventlet/gevent (the entry point monkey-patches first)
        self._running = False
        self._devices_seen_at = 0.0
        self._failures = LoopFailures(log, "session sweep failed")

    def opened(self, namespace: str, sid: str, token: str, principal: Principal) -> None:
        """A socket authenticated with `token` (called from a connect handler)."""
        device_id = principal.id if principal.kind == "device" else None
        with self._lock:
            self._open[(namespace, sid)] = OpenSocket(accounts.token_hash(token), device_id)
            start, self._running = not self._running, True
        if start:
            self.sio.start_background_task(self._loop)

    def closed(self, namespace: str, sid: str) -> None:
        """A socket went away (disconnect handler) or was refused."""
        with self._lock:
            self._open.pop((namespace, sid), None)

    def watched(self) -> int:
        with self._lock:
            return len(self._open)

    def sweep(self) -> list[tuple[str, str]]:
        """Disconnect this process's sockets whose token died; the (namespace, sid) pairs closed."""
        self._forget_gone()
        with self._lock:
            current = dict(self._open)
        if not current:
            return []
        devices: list[int] = []
        if time.monotonic() - self._devices_seen_at >= DEVICE_SEEN_EVERY_SECS:
            devices = sorted({s.device_id for s in current.values() if s.device_id is not None})
            self._devices_seen_at = time.monotonic()
        dead = accounts.invalid_sessions(self.ctx, sorted({s.token_hash for s in current.values()}), devices)
        closing = [key for key, s in current.items() if s.token_hash in dead]
        for namespace, sid in closing:
            self.closed(namespace, sid)
            # ignore_queue: the socket lives in this process; each process sweeps its own.
            self.sio.server.disconnect(sid, namespace=namespace, ignore_queue=True)
        if closing:
            log.info("closed %d socket(s) of revoked, expired or disabled principals", len(closing))
        return closing

    def _forget_gone(self) -> None:
        """Drop sockets the server no longer knows (a connect refused after the token was checked)."""
        manager = self.sio.server.manager
        with self._lock:
            gone = [(ns, sid) for ns, sid in self._open
                    if not (manager.is_connected(sid, ns) or manager.is_pre_connected(sid, ns))]
            for key in gone:
                del self._open[key]

    def _loop(self) -> None:
        while True:
            with self._lock:
                if not self._open:
                    self._running = False  # the next authenticated connect starts a new loop
                    return
            try:
                self.sweep()
                self._failures.worked()
            except Exception as exc:  # a database hiccup must not end the sweep: try again next second
                self._failures.failed(exc)
            self.sio.sleep(SWEEP_INTERVAL_SECS)
