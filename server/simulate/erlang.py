"""Erlang C: the steady-state M/M/c queue (Poisson arrivals, exponential service, c counters, first come first
served) — the planner's quick first guess, and the theory the simulator is checked against."""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence


def wait_probability(c: int, load: float) -> float:
    """P(wait > 0) with `c` counters and offered load `load` = arrival rate × mean service time (erlangs)."""
    if c <= 0 or load >= c:
        return 1.0
    if load <= 0:
        return 0.0
    term, total = 1.0, 1.0  # the Erlang B recursion, then C from B (stable for large c)
    for k in range(1, c + 1):
        term = term * load / k
        total += term
    b = term / total
    return b / (1 - (load / c) * (1 - b))


def mean_wait(c: int, load: float, mean_service: float) -> float:
    """Mean wait in the queue (same unit as `mean_service`); infinite when the counters cannot keep up."""
    if load >= c:
        return math.inf
    return wait_probability(c, load) * mean_service / (c - load)


def wait_quantile(c: int, load: float, mean_service: float, q: float) -> float:
    """The q-quantile of the wait: P(W > t) = C · exp(−(c − load) t / mean_service)."""
    if load >= c:
        return math.inf
    pw = wait_probability(c, load)
    if pw <= 1 - q:
        return 0.0
    return mean_service / (c - load) * math.log(pw / (1 - q))


def counters_needed(rate_per_hour: float, mean_minutes: float, target_minutes: float, q: float = 0.9,
                    limit: int = 100) -> int:
    """The fewest counters that keep the q-quantile of the wait within `target_minutes`."""
    load = rate_per_hour * mean_minutes / 60
    if load <= 0:
        return 0
    for c in range(max(1, math.ceil(load)), limit + 1):
        if wait_quantile(c, load, mean_minutes, q) <= target_minutes:
            return c
    return limit


def fcfs_waits(arrivals: Sequence[float], services: Sequence[float], c: int) -> list[float]:
    """Each visitor's wait in a first-come-first-served queue with `c` identical counters that never idle while
    someone waits (the Kiefer–Wolfowitz recursion): the reference the simulator's day is checked against."""
    free = [0.0] * c  # when each counter is next free, as a heap
    waits = []
    for a, s in zip(arrivals, services, strict=True):
        start = max(a, free[0])
        waits.append(start - a)
        heapq.heapreplace(free, start + s)
    return waits
