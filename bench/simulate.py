"""The simulator and the estimate's cost (issue 15): one MPP day (`bench/scenarios/mpp_day.toml`, ~1,400 tickets at
14 lokets) played through the real use cases, against the target of 5 s on one core; and the issue path's CPU per
ticket with the call projection against the queue-length ranking of the issued line alone (the estimate before
issue 15), in one run, alternating, so the ratio holds on a shared machine."""

from __future__ import annotations

import os
import tempfile
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from server.domain.accounts import Principal
from server.domain.standing import rank_line
from server.services import counters, lines, tickets
from server.services.demo_data import relax_durability
from server.services.writer import GroupCommit
from server.simulate import scenario
from server.simulate.engine import Day
from support import ROOT, FakeClock, make_context

from .stats import yardstick

SCENARIOS = ("mpp_day", "steady")
WAITING = ((100, 200), (300, 300))  # (waiting before, tickets issued): lines of 100-300 and 300-600
ROUNDS = 3


def _day(name: str) -> tuple[int, float, float, float]:
    """Tickets, then the best of ROUNDS runs: CPU and wall seconds, and the CPU of the run divided by the yardstick
    loop's right before it (how many yardsticks a day costs: steadier than seconds on a shared machine)."""
    plan = scenario.load(ROOT / "bench" / "scenarios" / f"{name}.toml")
    best = (float("inf"), float("inf"), float("inf"))
    for _ in range(ROUNDS):
        loop = yardstick()
        cpu, wall = time.process_time(), time.perf_counter()
        records = Day(plan, 1).run()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        best = (min(best[0], cpu), min(best[1], wall), min(best[2], cpu / loop))
    return len(records), *best


def _queue_length_rank(uow: Any, site: Any, day: Any, services: Any, appended_only: bool = False) -> dict:
    """`lines.rank` before issue 15: the issued ticket's own line, people ahead × mean service ÷ open counters
    (every standing of it: that estimate moved them all)."""
    codes = [s for s in dict.fromkeys(services) if s in site.services]
    waiting, states = uow.view.waiting(day, codes), uow.view.counters()
    return {s: rank_line(s, [(n, p) for _, n, p in line], site.rules.priority_burst,
                         lines.avg_minutes(uow, site, s), lines.open_counters(site, s, states))
            for s, line in waiting.items()}


def _issue_cpu(before: int, issued: int) -> float:
    """CPU seconds per issued ticket: in-process, group commit on SQLite, Loket 4 (KTP+KK), 5 (KTP) and 6 (KK+AKTA)
    open, tickets in turn to KTP, KK and AKTA, 3 s apart."""
    clock = FakeClock(datetime(2026, 12, 2, 8, 0, tzinfo=ZoneInfo("Asia/Makassar")))
    with tempfile.TemporaryDirectory() as folder:
        ctx = make_context(clock, f"sqlite:///{folder}/issue.db")
        relax_durability(ctx.engine)
        ctx.writer = GroupCommit(ctx)
        admin = Principal("user", "bench", "admin")
        for code in ("L04", "L05", "L06"):
            counters.set_counter_status(ctx, admin, code, "open")
        services = ("KTP", "KK", "AKTA")
        for i in range(before):
            clock.now += timedelta(seconds=3)
            tickets.issue_ticket(ctx, services[i % 3])
        started = time.process_time()
        for i in range(issued):
            clock.now += timedelta(seconds=3)
            tickets.issue_ticket(ctx, services[i % 3])
        spent = time.process_time() - started
        ctx.writer.close()
        ctx.engine.dispose()
    return spent / issued


def main() -> str:
    load = os.getloadavg()[0]
    rows = ["## Simulator and the estimate's cost (issue 15)", "",
            f"Load average {load:.1f} when the section started ({os.cpu_count()} cores); CPU time is the process's; "
            f"the yardstick loop (10 million additions) took {yardstick():.2f} s CPU. Best of {ROUNDS} runs:",
            "", "| simulated day | tickets | CPU (s) | wall (s) | CPU ÷ yardstick | target |",
            "|---|---:|---:|---:|---:|---|"]
    for name in SCENARIOS:
        n, cpu, wall, ratio = _day(name)
        target = "< 5 s on one core" if name == "mpp_day" else ""
        rows.append(f"| `{name}.toml`, seed 1 | {n:,} | {cpu:.1f} | {wall:.1f} | {ratio:.1f} | {target} |")
    rows += ["", "Issue path, CPU per ticket (ms), in-process with group commit, three lokets linking KTP, KK and "
             "AKTA; the queue-length ranking of the issued line alone (before issue 15) against the call projection "
             "of the linked group (kept in the line book: an issue places the new ticket, a new start replays); "
             f"{ROUNDS} alternating rounds:", "",
             "| tickets waiting | queue length | call projection | difference |", "|---|---:|---:|---:|"]
    projection = lines.rank
    for before, issued in WAITING:
        spent = {"ql": 0.0, "projection": 0.0}
        try:
            for _ in range(ROUNDS):
                for variant in spent:
                    lines.rank = _queue_length_rank if variant == "ql" else projection  # type: ignore[assignment]
                    spent[variant] += _issue_cpu(before, issued)
        finally:
            lines.rank = projection  # type: ignore[assignment]
        ql, pr = spent["ql"] / ROUNDS * 1000, spent["projection"] / ROUNDS * 1000
        rows.append(f"| {before}–{before + issued} | {ql:.2f} | {pr:.2f} | {pr / ql - 1:+.0%} |")
    return "\n".join(rows) + "\n"
