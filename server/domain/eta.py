"""Estimated wait: a service's typical duration from its history (robust to outliers), the rest of a loket's current
visit (`remaining_seconds`), and the textbook queue-length estimate (people ahead × average service time ÷ counters
open) kept as the baseline the simulator scores against."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import fmean, median, stdev

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


# A call that ended, as the line book keeps it: (loket, seconds from the call to the finish or skip, skipped).
Call = tuple[str | None, float, bool]
LOKET_SPAN = 3  # a service's calls are read this many times its sample deep, so each of its lokets has its own
MIN_OWN = 8  # a loket's own calls of a service before its own time can be told from the service's
OWN_SE = 2  # a loket's own mean must be this many standard errors from the service's
OWN_APART = 0.15  # and how far from the service's it must be: a loket's noise taken for its speed shortens waits


def call_samples(calls: Sequence[Call], limit: int) -> list[float]:
    """A loket's time per call from the last `limit` `calls` (newest first), no-shows in their share: the finished
    visits that can be typical (`typical_samples`), and the skipped calls — how long the loket waited for a visitor
    who did not come — up to five times the finished visits' median (none without finished ones)."""
    recent = calls[:limit]
    done = typical_samples([s for _, s, skipped in recent if not skipped])
    if not done or len(done) == len(recent):
        return done
    ceiling = median(done) * OUTLIER_FACTOR
    return done + [s for _, s, skipped in recent if skipped and 0 < s <= ceiling]


def loket_seconds(calls: Sequence[Call], limit: int, default_seconds: float) -> dict[str, float]:
    """The lokets whose own time per call differs from the service's: from `calls` (a service's, newest first,
    `LOKET_SPAN` × `limit` deep), each loket's own last `limit` (`call_samples`), when it has at least
    `MIN_OWN` of them and their mean is further from the service's (the mean of the last `limit` calls of every
    loket; `default_seconds` without any) than `OWN_SE` standard errors and `OWN_APART` of it: noise taken for a
    loket's speed shortens the waits (the lokets' rates, 1/time, are convex in it). A loket missing keeps the
    service's time."""
    service = mean_or(call_samples(calls, limit), default_seconds)
    by_loket: dict[str, list[Call]] = {}
    for call in calls:
        if call[0] is not None:
            by_loket.setdefault(call[0], []).append(call)
    out = {}
    for code, own_calls in by_loket.items():
        own = call_samples(own_calls, limit)
        if len(own) >= MIN_OWN:
            mean = fmean(own)
            if abs(mean - service) > max(OWN_SE * stdev(own) / math.sqrt(len(own)), OWN_APART * service):
                out[code] = mean
    return out


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


def remaining_seconds(typical: float, since_call: float | None, samples: Sequence[float] = (),
                      busy: bool = False) -> float:
    """How long a loket's current visitor still needs, `since_call` seconds after its last call (half a typical
    service when that is unknown). From the recent service times `samples`: a loket that must be busy (someone
    it serves has waited since before now, and it has not called them) needs their mean excess over that time,
    among those longer; otherwise it is busy only if its visitor needs longer than that — a loket that finished
    with nobody waiting sits idle — so the mean excess over all of them, zero for the shorter ones. Without
    samples: a typical service less the time since the call."""
    if since_call is None:
        return typical / 2
    if not samples:
        return max(0.0, typical - since_call)
    longer = [x - since_call for x in samples if x > since_call]
    if busy:
        return median(longer) if longer else 0.0
    return median([0.0] * (len(samples) - len(longer)) + longer)
