"""Small statistics helpers shared by the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Sequence


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of `values`."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def yardstick() -> float:
    """CPU seconds of a fixed pure-Python loop (10 million additions in a function): how fast this core ran while a
    section was measured, so CPU times taken on different days of a shared machine can be compared (0.27-0.31 s on
    the days the issue 11 and 15 targets were measured)."""
    started = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - started
