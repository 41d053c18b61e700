"""No call lost to a Redis outage (issue 16: 3): two server processes on PostgreSQL and a private redis-server that
the test stops and starts again (never the shared one). Calls made on process one while Redis is down reach a TV on
process two within 5 s after Redis returns — in fact from the event log, before it returns — exactly once and in
`seq` order; once Redis is back the processes talk through it again within a second."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from private_redis import PrivateRedis
from realtime_client import Recorder

from support import Api, ServerProcess, drop_pg_database, fresh_pg_database, site_config

pytestmark = pytest.mark.slow
MY_MODULES = ("relay.py", "redis_batch.py", "sequencer.py", "event_log.py")


@pytest.fixture
def outage_pair(tmp_path: Path, pg_url: str) -> Iterator[tuple[ServerProcess, ServerProcess, PrivateRedis]]:
    queue = PrivateRedis(tmp_path).start()
    url = fresh_pg_database(pg_url)
    procs = [ServerProcess(tmp_path / name, site_config(), database_url=url, message_queue=queue.url).start()
             for name in ("one", "two")]
    try:
        yield procs[0], procs[1], queue
    finally:
        for p in procs:
            p.stop()
        queue.stop()
        drop_pg_database(pg_url, url)
    for p in procs:  # other layers' tracebacks are theirs to find; ours must not have any
        for block in p.log().split("Traceback")[1:]:
            assert not any(m in block[:3000] for m in MY_MODULES), block[:3000]


def _seqs_in_order(messages: list[tuple[str, dict]]) -> None:
    """What a TV checks: every message's seq is the last one or the next (one event may send several)."""
    seqs = [d["seq"] for _, d in messages if isinstance(d, dict) and "seq" in d]
    steps = [b - a for a, b in zip(seqs, seqs[1:], strict=False)]
    assert all(step in (0, 1) for step in steps), seqs


def _received(tv: Recorder, until: float) -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    while time.monotonic() < until:
        out += tv.drain()
        time.sleep(0.05)  # collecting what arrives in a fixed window (the window is what is measured)
    return out + tv.drain()


def test_calls_made_while_redis_is_down_reach_a_tv_on_the_other_process(outage_pair):
    one, two, queue = outage_pair
    kiosk = Api(one.url, one.add_device("kiosk-1", "kiosk"))
    tv = Recorder(two.url, "/display", {"token": one.add_device("tv-1", "display")}).connect()
    one.add_clerk("siti", "L05")
    clerk = Api(one.url).login("siti", "rahasia-123")
    try:
        tv.wait_for("snapshot")
        numbers = [kiosk.post("/tickets", {"service": "KTP"}).json()["number"] for _ in range(4)]
        assert clerk.post("/counters/L05/call-next").json()["ticket"]["number"] == numbers[0]
        tv.wait_for("ticket_called", lambda d: d["number"] == numbers[0], timeout=5)  # through Redis

        queue.stop()
        called_during = []
        for _ in range(3):
            assert clerk.post("/counters/L05/skip").status_code == 200
            called_during.append(clerk.post("/counters/L05/call-next").json()["ticket"]["number"])
        assert called_during == numbers[1:]
        time.sleep(2.0)  # the outage lasts a while (the measured condition, not synchronisation)
        queue.start()
        back = time.monotonic()

        messages = _received(tv, back + 5.0)
        calls = [d["number"] for name, d in messages if name == "ticket_called"]
        assert calls == called_during  # every one, once, in the order they were made
        _seqs_in_order(messages)

        # Redis is back: process two (the one with screens) subscribes again within a second; events travel
        # through Redis again.
        deadline = back + 1.5
        while time.monotonic() < deadline and "redis is back" not in two.log():
            time.sleep(0.05)  # polling another process's log, with a deadline
        assert "redis is back" in two.log()
        replays = len(re.findall(r"delivered from the log", two.log()))
        sent = time.monotonic()
        last = messages[-1][1]["seq"]
        kiosk.post("/tickets", {"service": "KTP"})
        assert tv.wait_for("queue_changed", timeout=2)["seq"] == last + 1
        assert time.monotonic() - sent < 0.5  # through Redis, not the log's one-second catch-up
        assert len(re.findall(r"delivered from the log", two.log())) == replays
    finally:
        tv.close()
