"""Booking burst benchmark: 2,000 concurrent booking requests for a session of 100 places, on SQLite and (when
reachable) PostgreSQL — accepted count (must be exactly 100), refusals, throughput, p50/p99 latency."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from support import (
    ROOT,
    Api,
    ServerProcess,
    _reachable,
    drop_pg_database,
    fresh_pg_database,
    pg_admin_url,
    site_config,
)

from .stats import ms, percentile

sys.path.insert(0, str(ROOT / "tests" / "booking"))
from booking_load import burst, summary  # noqa: E402

REQUESTS, PLACES, THREADS = 2_000, 100, 32


def _config() -> dict:
    raw = site_config()
    raw["booking"].update(rate_limit="", places={}, services={},
                          sessions=[{"name": "Hari", "start": "00:00", "end": "24:00", "quota": PLACES}])
    return raw


def _run(label: str, database_url: str | None) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(Path(tmp), _config(), database_url=database_url).start()
        try:
            day = Api(server.url).get("/booking/dates?service=KTP").json()[0]["date"]
            began = time.perf_counter()
            outcomes = burst(server.url, "KTP", day, "hari", REQUESTS, THREADS)
            wall = time.perf_counter() - began
        finally:
            server.stop()
    counts = summary(outcomes)
    accepted = counts.get((201, None), 0)
    refused = counts.get((409, "session_full"), 0)
    other = REQUESTS - accepted - refused
    ok = [o.seconds for o in outcomes if o.status == 201]
    every = [o.seconds for o in outcomes]
    return (f"| {label} | {accepted} | {refused} | {other} | {REQUESTS / wall:.0f} | {ms(percentile(every, 50))} | "
            f"{ms(percentile(every, 99))} | {ms(percentile(ok, 50))} | {ms(percentile(ok, 99))} |")


def main() -> str:
    rows = [_run("SQLite (WAL)", None)]
    if _reachable("PostgreSQL", pg_admin_url()) is None:
        url = fresh_pg_database(pg_admin_url())
        try:
            rows.append(_run("PostgreSQL", url))
        finally:
            drop_pg_database(pg_admin_url(), url)
    else:
        rows.append("| PostgreSQL | not reachable: skipped | | | | | | | |")
    return "\n".join([
        "## Booking burst (issue 7)",
        "",
        f"{REQUESTS:,} `POST /api/v1/bookings` (distinct NIKs) fired at once from {THREADS} client threads at one "
        f"session with {PLACES} places, one server process (eventlet), rate limit off; every answer must be 201 "
        "or 409 `session_full`, and exactly the quota may be accepted.",
        "",
        "| database | accepted | refused (session_full) | other | requests/s | p50 ms (all) | p99 ms (all) | "
        "p50 ms (accepted) | p99 ms (accepted) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
    ])
