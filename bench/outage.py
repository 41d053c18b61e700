"""A Redis outage under two processes (issue 16: 3): a TV on process two, calls made on process one before, during
and after a stop of a private redis-server. Reported: when each call reached the TV (seconds after it was made),
how many calls made during the outage reached it, and how long after Redis was back a call travelled through it
again (the first call that arrived within 0.3 s, one call every 0.25 s).

`python -m bench outage` (PYTHONPATH pointing at another checkout measures that one: the "before" row)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from private_redis import PrivateRedis
from realtime_client import Recorder

from display.client import in_arrival_order
from support import Api, ServerProcess, drop_pg_database, fresh_pg_database, pg_admin_url, site_config

OUTAGE_SECS = 10.0
CALLS_DURING = 5
WAIT_AFTER_SECS = 15.0  # how long after Redis returns a call made during the outage may still arrive


class Arrivals:
    """When each ticket_called reached the TV (monotonic), by ticket number."""

    def __init__(self, tv: Recorder) -> None:
        self.at: dict[str, float] = {}
        self.count: dict[str, int] = {}
        tv.client.on("ticket_called", self._called, namespace="/display")

    def _called(self, data: Any = None) -> None:
        number = data["number"]
        self.at.setdefault(number, time.monotonic())
        self.count[number] = self.count.get(number, 0) + 1


def measure() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        queue = PrivateRedis(Path(tmp)).start()
        url = fresh_pg_database(pg_admin_url())
        one, two = [ServerProcess(Path(tmp) / n, site_config(), database_url=url, message_queue=queue.url).start()
                    for n in ("one", "two")]
        tv = Recorder(two.url, "/display")
        try:
            kiosk = Api(one.url, one.add_device("kiosk-1", "kiosk"))
            one.add_clerk("siti", "L05")
            clerk = Api(one.url).login("siti", "rahasia-123")
            arrivals = Arrivals(tv)
            in_arrival_order(tv.client)
            tv.connect()
            tv.wait_for("snapshot")
            for _ in range(CALLS_DURING + 80):
                kiosk.post("/tickets", {"service": "KTP"})
            made: dict[str, float] = {}

            def call() -> str:
                clerk.post("/counters/L05/skip")
                number = clerk.post("/counters/L05/call-next").json()["ticket"]["number"]
                made[number] = time.monotonic()
                return number

            before = call()
            time.sleep(1.0)  # the measured scenario's pacing (not synchronisation)
            queue.stop()
            stopped = time.monotonic()
            during = []
            for _ in range(CALLS_DURING):
                during.append(call())
                time.sleep((OUTAGE_SECS - 1) / CALLS_DURING)  # calls spread over the outage
            while time.monotonic() < stopped + OUTAGE_SECS:
                time.sleep(0.05)
            queue.start()
            back = time.monotonic()
            through_redis_after = None
            while time.monotonic() < back + WAIT_AFTER_SECS:
                number = call()
                deadline = made[number] + 0.3
                while time.monotonic() < deadline and number not in arrivals.at:
                    time.sleep(0.01)  # polling what the TV recorded, with a deadline
                if number in arrivals.at and arrivals.at[number] - made[number] < 0.3:
                    through_redis_after = made[number] - back
                    break
                time.sleep(0.25)
            while time.monotonic() < back + WAIT_AFTER_SECS and not all(n in arrivals.at for n in during):
                time.sleep(0.1)  # late arrivals of the outage's calls, until the deadline
            return {
                "before": arrivals.at.get(before, float("inf")) - made[before],
                "during": [arrivals.at.get(n, float("inf")) - made[n] for n in during],
                "duplicates": sum(c - 1 for c in arrivals.count.values()),
                "redis_again": through_redis_after,
            }
        finally:
            tv.close()
            one.stop()
            two.stop()
            queue.stop()
            drop_pg_database(pg_admin_url(), url)


def _secs(values: list[float]) -> str:
    return ", ".join("never" if v == float("inf") else f"{v:.1f}" for v in values)


def main() -> str:
    m = measure()
    reached = sum(1 for v in m["during"] if v != float("inf"))
    again = "not within 15 s" if m["redis_again"] is None else f"{m['redis_again']:.1f} s"
    return "\n".join([
        "## A Redis outage on two processes (issue 16: 3)",
        "",
        f"A private redis-server stopped for {OUTAGE_SECS:.0f} s; a clerk on process one calls before, "
        f"{CALLS_DURING} times during the outage (spread over it) and after; a TV on process two.",
        "",
        "| call before (s to TV) | calls during: reached the TV | s from each call to the TV | calls seen twice "
        "| a call travels through Redis again, s after it is back |",
        "| ---: | ---: | --- | ---: | ---: |",
        f"| {max(0.0, m['before']):.2f} | {reached} of {CALLS_DURING} | {_secs(m['during'])} | {m['duplicates']} | {again} |",
    ])
