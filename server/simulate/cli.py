"""The `simulate` command (registered by server/cli.py)."""

from __future__ import annotations

import argparse
import json
import sys
import time as timer
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from ..domain.errors import Invalid
from . import plan as planner
from . import scenario as scenarios
from .engine import Day
from .score import score, table

COMMANDS = ("simulate", "plan")


def add_parsers(sub: Any, config: argparse.ArgumentParser) -> None:
    """`simulate` (a scenario file, no database) and `plan` (the site's database: `config` adds --config)."""
    plan = sub.add_parser("plan", parents=[config], help="counters needed per hour for a service (Erlang C)")
    plan.add_argument("--service", required=True, metavar="CODE")
    plan.add_argument("--date", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD")
    plan.add_argument("--weeks", type=int, default=4, help="same weekday in this many past weeks")
    sim = sub.add_parser("simulate", help="simulate a day at the counters and score waiting-time predictors (issue 15)")
    sim.add_argument("--scenario", required=True, metavar="FILE.toml", help="e.g. bench/scenarios/steady.toml")
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--out", metavar="result.json", help="write the scores and every ticket here")


def simulate(path: Path, seed: int) -> dict[str, Any]:
    """The result of one run: scenario, seed, scores, and every ticket (deterministic: no wall-clock time)."""
    plan = scenarios.load(path)
    records = Day(plan, seed).run()
    return {"scenario": plan.name, "seed": seed, **score(records),
            "records": [asdict(r) | {"wait": r.wait} for r in sorted(records, key=lambda r: (r.issued, r.number))]}


def run(args: argparse.Namespace, context: Callable[[Any], Any]) -> int:
    if args.command == "plan":
        try:
            print(planner.table(planner.plan(context(args.config), args.service, args.date, args.weeks)))
        except Invalid as exc:
            print(f"antre: error: {exc.message}", file=sys.stderr)
            return 2
        return 0
    started = timer.monotonic()
    try:
        result = simulate(Path(args.scenario), args.seed)
    except Invalid as exc:
        print(f"antre: error: {args.scenario}: {exc.message}", file=sys.stderr)
        return 2
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{result['scenario']} (seed {args.seed}): {result['tickets']} tiket, {result['called']} dipanggil, "
          f"rata-rata tunggu {result['mean_wait_min']} menit, {timer.monotonic() - started:.1f} s")
    print(table(result))
    return 0
