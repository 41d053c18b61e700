"""The kiosk applies its server's messages in the order they came off the wire, like the TV (issue 16: 5):
python-engineio would hand each message to a new thread, so a `services` list could overtake a newer one and the
kiosk would show a service the office had just closed."""

from __future__ import annotations

import queue
import threading
from typing import Any

from socketio import packet

from kiosk.realtime import NAMESPACE, KioskSocket
from kiosk.worker import Msg


class RecordingQueue(queue.Queue[Msg]):
    """The frame loop's queue, noting which thread put each message."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[threading.Thread] = []

    def put(self, item: Msg, block: bool = True, timeout: float | None = None) -> None:
        self.threads.append(threading.current_thread())
        super().put(item, block, timeout)


def wire(name: str, data: Any) -> str:
    """One Socket.IO event on `/kiosk` as the server sends it."""
    return str(packet.Packet(packet.EVENT, namespace=NAMESPACE, data=[name, data]).encode())


def test_server_messages_reach_the_frame_loop_in_arrival_order_on_the_reading_thread():
    out = RecordingQueue()
    kiosk = KioskSocket("http://127.0.0.1:9", "token", out)
    sent = [("services", [{"code": "KTP", "open": True}]), ("queue_changed", {"seq": 41}),
            ("services", [{"code": "KTP", "open": False}]), ("reprint", {"number": "A001"}),
            ("queue_changed", {"seq": 42})] * 20
    for name, data in sent:
        # What python-engineio's reading thread calls for every message it reads.
        kiosk.client.eio._trigger_event("message", wire(name, data), run_async=True)
    # Handled before each call returned: nothing was left to a thread that could overtake the next message.
    got = [out.get_nowait() for _ in range(out.qsize())]
    assert [(msg.kind, msg.data) for msg in got] == sent
    assert set(out.threads) == {threading.current_thread()}
