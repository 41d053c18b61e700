"""A python-socketio test client that records every event into a queue and waits for the one it needs."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from typing import Any

import socketio

EVENTS = ("snapshot", "ticket_called", "counter_changed", "queue_changed", "tick", "ticket_status",
          "counter_state", "services", "reprint", "ticket_changed", "counter_status", "day_closed", "site_changed")


class Recorder:
    """One Socket.IO connection to one namespace, WebSocket-only, recording (name, payload) in order."""

    def __init__(self, url: str, namespace: str, auth: dict[str, Any] | None = None, *,
                 reconnection: bool = False) -> None:
        self.url, self.namespace, self.auth = url, namespace, auth
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.refused: queue.Queue[Any] = queue.Queue()
        self.client = socketio.Client(reconnection=reconnection, reconnection_delay=0.1,
                                      reconnection_delay_max=0.5, randomization_factor=0)
        for name in EVENTS:
            self.client.on(name, self._handler(name), namespace=namespace)
        self.client.on("connect_error", self.refused.put, namespace=namespace)

    def _handler(self, name: str) -> Callable[[Any], None]:
        return lambda data=None: self.events.put((name, data))

    def connect(self) -> Recorder:
        self.client.connect(self.url, namespaces=[self.namespace], auth=self.auth, transports=["websocket"],
                            wait_timeout=10)
        return self

    def wait_for(self, name: str, match: Callable[[Any], bool] = lambda _: True, timeout: float = 10) -> Any:
        """The next event `name` whose payload satisfies `match`; earlier events are kept in `seen`."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {name} event within {timeout}s")
            try:
                got, data = self.events.get(timeout=left)
            except queue.Empty:
                continue
            if got == name and match(data):
                return data

    def drain(self) -> list[tuple[str, Any]]:
        out = []
        while True:
            try:
                out.append(self.events.get_nowait())
            except queue.Empty:
                return out

    def close(self) -> None:
        self.client.disconnect()


def board_recorder(url: str, token: str) -> Recorder:
    """A supervision board's connection (it hears every loket's calls and finishes), once its snapshot came."""
    rec = Recorder(url, "/board", {"token": token})
    for name in ("board_snapshot", "board_event", "board_reset"):
        rec.client.on(name, rec._handler(name), namespace="/board")
    rec.connect().wait_for("board_snapshot")
    return rec
