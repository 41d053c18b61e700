"""A busy morning at the sample MPP, played through the service layer with a moving clock: walk-ins at each
service's own rate (KTP and PKB crowded, a few priority visitors), fourteen lokets opening one after another, calls,
no-shows, service times per service, one loket on a break and one still closed. Used for the board's screenshots
and its benchmark; it ends at the clock's `end` so a real server started afterwards carries on from there."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from server.domain.accounts import Principal
from server.domain.errors import DomainError
from server.domain.ticket import Priority
from server.services import counters, tickets

# Walk-ins per minute and mean service minutes, per service of the MPP building (kelurahan offices stay quiet).
RATES = {"KTP": (0.30, 9), "KK": (0.16, 8), "AKTA": (0.06, 10), "NIB": (0.08, 12), "NONUSAHA": (0.05, 14),
         "PENGADUAN": (0.07, 6), "PBI": (0.05, 7), "BPJS": (0.12, 7), "PASPOR": (0.07, 16), "SKCK": (0.12, 6),
         "SIM": (0.07, 9), "PKB": (0.28, 5), "SKHPN": (0.03, 8)}
CLERKS = {"L01": "andi", "L02": "dewi", "L03": "fitri", "L04": "rina", "L05": "budi", "L06": "sari.w", "L07": "yusuf",
          "L08": "maya", "L09": "hendra", "L10": "lestari", "L11": "agus", "L12": "wahyu", "L13": "nur"}
ON_BREAK = "L09"  # pauses for a break shortly before the end
PRIORITIES = [Priority.LANSIA, Priority.DISABILITAS, Priority.IBU_HAMIL, Priority.BALITA]


@dataclass
class _Desk:
    actor: Principal
    opens_at: int
    busy_until: int = -1
    serving: bool = False
    paused: bool = False


def play(ctx: Any, clock: Any, end: datetime, minutes: int = 150, seed: int = 13) -> dict[str, int]:
    """Play `minutes` of the morning ending at `end` (the clock is moved from `end - minutes`)."""
    rng = random.Random(seed)
    clock.now = end - timedelta(minutes=minutes)
    desks = {code: _Desk(Principal("user", name, "clerk", counters=(code,)), opens_at=rng.randint(0, 12))
             for code, name in CLERKS.items()}
    issued = calls = 0
    for minute in range(minutes):
        clock.now = end - timedelta(minutes=minutes - minute)
        for service, (rate, _mean) in RATES.items():
            arrivals = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
            for _ in range(arrivals):
                priority = rng.choice(PRIORITIES) if rng.random() < 0.08 else None
                tickets.issue_ticket(ctx, service, priority)
                issued += 1
        for code, desk in desks.items():
            if minute < desk.opens_at:
                continue
            if minute == desk.opens_at:
                counters.set_counter_status(ctx, desk.actor, code, "open")
            if desk.busy_until > minute or desk.paused:
                continue
            if desk.busy_until >= 0:  # the visitor in front of the loket is done
                counters.finish(ctx, desk.actor, code) if desk.serving else counters.skip(ctx, desk.actor, code)
                desk.busy_until = -1
            if code == ON_BREAK and minute >= minutes - 12:
                counters.set_counter_status(ctx, desk.actor, code, "paused")
                desk.paused = True
                continue
            called = counters.call_next(ctx, desk.actor, code)
            if called is None:
                continue
            calls += 1
            if rng.random() < 0.05:  # nobody came: skipped after two minutes
                desk.serving, desk.busy_until = False, minute + 2
                continue
            counters.start(ctx, desk.actor, code)
            mean = RATES.get(called.ticket.service, (0, 8))[1]
            desk.serving, desk.busy_until = True, minute + max(2, round(rng.gauss(mean, mean / 3)))
    clock.now = end
    return {"issued": issued, "calls": calls}


def safe_play(ctx: Any, clock: Any, end: datetime, minutes: int = 150) -> dict[str, int]:
    try:
        return play(ctx, clock, end, minutes)
    except DomainError as exc:  # a rule of the site refused a step: say which
        raise AssertionError(f"the busy morning broke a rule: {exc.code} {exc.message}") from exc
