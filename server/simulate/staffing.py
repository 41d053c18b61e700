"""Counters per hour by simulation: the staffing planner's refinement of Erlang C's first guess.

Erlang C assumes every hour is a steady state of its own; a real day is not — a queue built at 09:00 is still
there at 10:00, and an empty hall at opening waits less than the formula says. So the planner plays the day: Poisson
arrivals at the hour's rate, service times drawn from the service's own recent history, first come first served at
the counters staffed in each hour (a counter that goes off at the hour finishes its visitor), many independent days
on the same random draws for every staffing tried. The queue is the one the full simulator was checked to be
exactly (tests/estimates/test_theory.py): the real use cases give every visitor the FCFS queue's wait.

Hour by hour, in order, the fewest counters that keep the 90th percentile of the wait of that hour's arrivals within
the target, given the hours before. Pure: no I/O; the random draws come from the seed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from .erlang import counters_needed

REPLICATIONS = 100
LIMIT = 60  # counters: beyond this the target is out of reach anyway


@dataclass(frozen=True, slots=True)
class Draws:
    """The random days every staffing is tried on (common random numbers: a difference comes from the staffing)."""

    arrivals: list[list[float]]  # per day, seconds after midnight, in order
    services: list[list[float]]  # per day, the service time of each arrival, seconds


def draw_days(rates: dict[int, float], durations: Sequence[float], mean_seconds: float, days: int = REPLICATIONS,
              seed: int = 1) -> Draws:
    """`days` independent days: Poisson arrivals at `rates` (per hour), service times resampled from `durations`
    (seconds; exponential with `mean_seconds` when there are none)."""
    rng = random.Random(seed)
    arrivals, services = [], []
    for _ in range(days):
        times: list[float] = []
        for hour, rate in sorted(rates.items()):
            t = hour * 3600 + (rng.expovariate(rate / 3600) if rate > 0 else 3600.0)
            while t < (hour + 1) * 3600:
                times.append(t)
                t += rng.expovariate(rate / 3600)
        arrivals.append(times)
        services.append([rng.choice(durations) if durations else rng.expovariate(1 / mean_seconds) for _ in times])
    return Draws(arrivals, services)


def staffed_waits(arrivals: Sequence[float], services: Sequence[float], staffed: dict[int, int]) -> list[float]:
    """Each visitor's wait, first come first served, when `staffed[hour]` counters work in each hour (counter k
    works in the hours where k < staffed; the last hour's staffing goes on until everyone is served)."""
    if not arrivals:
        return []
    last = max(staffed)
    width = max(staffed.values(), default=0)
    free = [0.0] * width
    waits = []
    for a, s in zip(arrivals, services, strict=True):
        best, chosen = math.inf, -1
        for k in range(width):
            start = _next_working(max(a, free[k]), k, staffed, last)
            if start < best:
                best, chosen = start, k
        if chosen < 0:  # nobody ever works: the visitor is never served
            waits.append(math.inf)
            continue
        free[chosen] = best + s
        waits.append(best - a)
    return waits


def _next_working(t: float, k: int, staffed: dict[int, int], last: int) -> float:
    """The first moment from `t` on when counter k works."""
    hour = int(t // 3600)
    while hour <= last:
        if staffed.get(hour, 0) > k:
            return t
        hour += 1
        t = hour * 3600.0
    return t if staffed.get(last, 0) > k else math.inf


def p90_by_hour(draws: Draws, staffed: dict[int, int]) -> dict[int, float]:
    """The 90th percentile of the wait (minutes) of each hour's arrivals, over all the drawn days."""
    by_hour: dict[int, list[float]] = {h: [] for h in staffed}
    for arrivals, services in zip(draws.arrivals, draws.services, strict=True):
        for a, w in zip(arrivals, staffed_waits(arrivals, services, staffed), strict=True):
            by_hour.setdefault(int(a // 3600), []).append(w)
    return {h: _quantile(ws, 0.9) / 60 for h, ws in sorted(by_hour.items())}


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def plan_by_simulation(rates: dict[int, float], mean_minutes: float, draws: Draws,
                       target_minutes: float) -> tuple[dict[int, int], dict[int, int]]:
    """(Erlang C's counters per hour, the simulated day's): starting from Erlang C, hour by hour in order, add a
    counter while that hour's P90 wait is over the target, then take one away while it and the hours before stay
    within."""
    hours = list(range(min(rates), max(rates) + 1)) if rates else []
    erlang = {h: counters_needed(rates.get(h, 0.0), mean_minutes, target_minutes) for h in hours}
    staffed = {h: max(1, erlang[h]) for h in hours}  # an hour without arrivals still serves the line left
    for h in hours:
        while p90_by_hour(draws, staffed)[h] > target_minutes and staffed[h] < LIMIT:
            staffed[h] += 1
        while staffed[h] > 1 and _within(p90_by_hour(draws, {**staffed, h: staffed[h] - 1}), h, target_minutes):
            staffed[h] -= 1
    return erlang, staffed


def _within(p90: dict[int, float], upto: int, target: float) -> bool:
    """Every hour up to `upto` within the target (an hour's counters also serve the line the hours before left)."""
    return all(w <= target for h, w in p90.items() if h <= upto)
