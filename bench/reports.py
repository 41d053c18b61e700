"""Reports at scale (issue 13): demo-data speed, the report facts' cold build, summary times from a week to the
whole history (whole site and one agency), and the raw CSV export's time and memory as the period grows.

`python -m bench reports` generates ANTRE_BENCH_REPORT_DAYS (default 10) days of the sample site through the use
cases (ANTRE_BENCH_REPORT_BUSY times the usual arrivals, default 1); ANTRE_BENCH_REPORTS_DB=path.db reads an
existing history instead (e.g. one made by `python -m server demo-data --days 365 --busy 2.4`).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import tomllib
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select

from server.domain.accounts import Principal
from server.domain.report_period import Scope
from server.services import demo_data, reports
from server.services.reports_export import tickets_csv
from server.storage.reports_repo import report_days, report_tickets
from server.storage.tables import tickets
from support import ROOT, FakeClock, make_context

ADMIN = Principal("user", "bench", "admin")
RUNS = 5
AGENCY = "DUKCAPIL"


def _context(path: str, now: datetime) -> Any:
    raw = tomllib.loads((ROOT / "config.toml").read_text())
    raw["server"].update(secret_key="bench-secret")
    return make_context(FakeClock(now), f"sqlite:///{path}", raw)


def _median_ms(action: Any) -> str:
    """Median wall time of RUNS runs after one warm-up, and the median CPU time of this process (on a shared
    machine the wall time also counts waiting for a core)."""
    action()  # warm: statement compilation, the page cache
    times, cpu = [], []
    for _ in range(RUNS):
        started, used = time.perf_counter(), time.process_time()
        action()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return f"{statistics.median(times) * 1000:.0f} ms (CPU {statistics.median(cpu) * 1000:.0f})"


def _range(ctx: Any) -> tuple[date, date, int]:
    with ctx.engine.connect() as conn:
        first, last, n = conn.execute(select(func.min(tickets.c.local_date), func.max(tickets.c.local_date),
                                             func.count())).one()
    return _as_date(first), _as_date(last), int(n)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _tickets_between(ctx: Any, start: date, end: date) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(tickets.c.local_date >= start,
                                                           tickets.c.local_date <= end)).scalar_one())


def _csv(ctx: Any, start: date, end: date) -> tuple[float, float, int]:
    """Seconds, peak traced MiB and bytes of the raw tickets CSV of a period, streamed and thrown away."""
    tracemalloc.start()
    started = time.perf_counter()
    size = sum(len(chunk) for chunk in tickets_csv(reports.ticket_records(ctx, ADMIN, start, end, Scope()),
                                                   ctx.site))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, size


def main() -> str:
    existing = os.environ.get("ANTRE_BENCH_REPORTS_DB")
    lines = ["## Reports (issue 13)", ""]
    with tempfile.TemporaryDirectory() as tmp:
        path = existing or str(Path(tmp) / "history.db")
        ctx = _context(path, datetime.now(UTC))
        if not existing:
            days = int(os.environ.get("ANTRE_BENCH_REPORT_DAYS", "10"))
            busy = float(os.environ.get("ANTRE_BENCH_REPORT_BUSY", "1"))
            demo_data.relax_durability(ctx.engine)
            cpu = time.process_time()
            made = demo_data.generate(ctx, days, seed=11, busy=busy)
            cpu = time.process_time() - cpu
            lines += [f"`demo-data --busy {busy:g}` through the use cases, a transaction per day: {made.days} days "
                      f"({made.open_days} open), {made.tickets} tickets, {made.bookings} bookings in "
                      f"{made.seconds:.1f} s ({cpu:.1f} s CPU) = **{made.days_per_second:.2f} days/s**, "
                      f"{made.tickets / made.seconds:.0f} tickets/s (a year at this pace: "
                      f"~{365 / made.days_per_second / 60:.1f} min).", ""]
        first, last, total = _range(ctx)
        ctx.clock.now = datetime.combine(last + timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=2)
        with ctx.engine.begin() as conn:  # measure the cold build of the facts too
            conn.execute(delete(report_days))
            conn.execute(delete(report_tickets))
        started = time.perf_counter()
        rebuilt = reports.refresh_facts(ctx, first, last)
        cold = time.perf_counter() - started
        lines += [f"History: {total} tickets, {first} … {last} (SQLite, one process). Report facts built cold for "
                  f"{rebuilt} days in {cold:.1f} s ({total / max(cold, 1e-9):.0f} tickets/s; once per finished day, "
                  "then only today is rebuilt).", "",
                  "| period | tickets | whole site | one agency (DUKCAPIL) |", "| --- | ---: | ---: | ---: |"]
        for label, days in (("1 week", 7), ("1 month", 31), ("3 months", 92), ("6 months", 183), ("1 year", 365),
                            ("whole history", 0)):
            start = first if days == 0 else max(first, last - timedelta(days=days - 1))
            if (days and (last - first).days + 1 < days) or (not days and (last - first).days + 1 == 365):
                continue
            site_ms = _median_ms(lambda s=start: reports.summary(ctx, ADMIN, s, last, Scope()))
            agency_ms = _median_ms(lambda s=start: reports.summary(ctx, ADMIN, s, last, Scope(agency=AGENCY)))
            lines.append(f"| {label} ({start} … {last}) | {_tickets_between(ctx, start, last)} | {site_ms} "
                         f"| {agency_ms} |")
        lines += ["", "| raw tickets.csv | tickets | time | peak Python memory | size |", "| --- | ---: | ---: | ---: | ---: |"]
        for label, start in (("1 month", max(first, last - timedelta(days=30))),
                             ("3 months", max(first, last - timedelta(days=91))), ("whole history", first)):
            seconds, peak, size = _csv(ctx, start, last)
            lines.append(f"| {label} | {_tickets_between(ctx, start, last)} | {seconds:.2f} s | {peak:.1f} MiB "
                         f"| {size / 2**20:.1f} MiB |")
        ctx.engine.dispose()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines += ["", f"Median of {RUNS} runs after one warm-up; each summary is every figure of /reports (counts, "
              "waits and service times with percentiles, within target, per day, hour × weekday, per service, "
              f"per clerk, bookings). Load average at the end: {load} (2 cores)."]
    return "\n".join(lines) + "\n"
