"""Estimated wait: people ahead × average service time ÷ counters open for the service."""

from __future__ import annotations

import math
from collections.abc import Sequence


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
