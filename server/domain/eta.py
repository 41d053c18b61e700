"""Estimated wait: a service's typical duration from its history (robust to outliers), and the textbook queue-length
estimate (people ahead × average service time ÷ counters open) kept as the baseline the simulator scores against."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import fmean, median

OUTLIER_FACTOR = 5.0  # a service time this far from the median (either way) is not a typical one


def average_service_minutes(recent_seconds: Sequence[float], default_minutes: float) -> float:
    """Mean of recent service durations (minutes); `default_minutes` before any data exists."""
    samples = [s for s in recent_seconds if s > 0]
    if not samples:
        return default_minutes
    return sum(samples) / len(samples) / 60.0


def estimate_wait_minutes(ahead: int, avg_minutes: float, open_counters: int) -> int:
    """Whole minutes, rounded up; with no open counter the line is assumed to be served by one."""
    if ahead <= 0:
        return 0
    return math.ceil(ahead * avg_minutes / max(1, open_counters))


def typical_samples(recent_seconds: Sequence[float]) -> list[float]:
    """The recent service times that can be typical: from a fifth to five times their median (a ticket finished
    by mistake after 2 seconds and a 90-minute case are left out)."""
    samples = [s for s in recent_seconds if s > 0]
    if not samples:
        return []
    middle = median(samples)
    return [s for s in samples if middle / OUTLIER_FACTOR <= s <= middle * OUTLIER_FACTOR]


def robust_service_seconds(recent_seconds: Sequence[float], default_seconds: float) -> float:
    """A service's typical duration from its recent services: the mean of its `typical_samples`. A plain trimmed
    mean would cut the long right tail every service time has and under-estimate every wait; the median rule
    keeps it. `default_seconds` before any data."""
    return mean_or(typical_samples(recent_seconds), default_seconds)


def mean_or(samples: Sequence[float], default: float) -> float:
    """The mean of `samples`, `default` when there are none."""
    return fmean(samples) if samples else default


def minutes_of(eta_seconds: int | None) -> int | None:
    """Whole minutes shown for an estimate in seconds (rounded up; None stays None)."""
    return None if eta_seconds is None else math.ceil(eta_seconds / 60)
