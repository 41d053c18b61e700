"""Events in order across two processes (issue 16: 5): 5,000 tickets issued on two processes (PostgreSQL + Redis),
32 clients spread over both, while a TV is connected to each process. A TV asks for a snapshot whenever a message's
`seq` jumps past the next one (display/state.py: a gap); a message older than the last is dropped. Reported: gaps
(= snapshots asked) and late messages per 1,000 events, per TV.

`python -m bench order` (PYTHONPATH pointing at another checkout measures that one: the "before" row)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from private_redis import PrivateRedis
from realtime_client import Recorder

from display.client import in_arrival_order
from support import ServerProcess, drop_pg_database, fresh_pg_database, pg_admin_url, site_config

from .load import run_load
from .server import SERVICES

TICKETS = 5000
CLIENTS = 32


def count(seqs: list[int]) -> tuple[int, int]:
    """(gaps, late) as a TV sees them: a jump past last + 1, a seq below the last."""
    gaps = late = 0
    last = seqs[0] if seqs else 0
    for seq in seqs[1:]:
        if seq > last + 1:
            gaps += 1
        elif seq < last:
            late += 1
            continue
        last = seq
    return gaps, late


def _seqs(tv: Recorder, until_seq: int, timeout: float = 60) -> list[int]:
    out: list[int] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for _name, data in tv.drain():
            if isinstance(data, dict) and "seq" in data:
                out.append(int(data["seq"]))
        if out and max(out) >= until_seq:
            return out
        time.sleep(0.1)  # waiting for the tail of the stream, with a deadline
    return out


def measure(tickets: int = TICKETS) -> list[tuple[str, int, int, int]]:
    """[(tv, events, gaps, late)] for a TV on each process."""
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_pg_database(pg_admin_url())
        queue = PrivateRedis(Path(tmp)).start()  # the shared one carries other runs' messages
        servers = [ServerProcess(Path(tmp) / n, site_config(), database_url=url, message_queue=queue.url).start()
                   for n in ("one", "two")]
        tvs: list[Recorder] = []
        try:
            token = servers[0].add_device("kiosk-bench", "kiosk")
            tvs = [Recorder(s.url, "/display") for s in servers]
            for tv in tvs:  # as the TV client does: messages handled in the order they came off the wire
                in_arrival_order(tv.client)
                tv.connect()
            start = [tv.wait_for("snapshot")["seq"] for tv in tvs]
            run_load([s.url for s in servers], token, CLIENTS, tickets,
                     lambda i: ("POST", "/api/v1/tickets", {"service": SERVICES[i % len(SERVICES)]}))
            end = start[0] + tickets
            out = []
            for name, tv, first in zip(("TV on process one", "TV on process two"), tvs, start, strict=True):
                seqs = [first, *_seqs(tv, end)]
                gaps, late = count(seqs)
                out.append((name, max(seqs) - first, gaps, late))
            return out
        finally:
            for tv in tvs:
                tv.close()
            for s in servers:
                s.stop()
            queue.stop()
            drop_pg_database(pg_admin_url(), url)


def main() -> str:
    rows = [f"| {name} | {events} | {gaps} | {1000 * gaps / max(1, events):.2f} | {late} |"
            for name, events, gaps, late in measure()]
    return "\n".join([
        "## Events in order on two processes (issue 16: 5)",
        "",
        f"{TICKETS} tickets over {CLIENTS} clients spread over two processes (PostgreSQL + a redis-server of its own); a TV on each "
        "process counts the messages whose `seq` jumps past the next one (each makes a TV ask for a snapshot) and "
        "those older than the last one.",
        "",
        "| TV | events | snapshots asked | per 1,000 events | late messages |",
        "| --- | ---: | ---: | ---: | ---: |",
        *rows,
    ])
