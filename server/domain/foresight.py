"""Priority tickets still to come: how many the call projection (domain/projection) should expect, and when.

A priority ticket issued later passes every regular ticket waiting (the burst rule lets up to `burst` through per
regular call), so a replay that knows only the tickets waiting now runs short by the turns those later tickets take.
The replay therefore plays expected priority arrivals too — virtual tickets that take a loket's turn by the same
rule (`ordering.calls_priority`) while it has a real regular ticket to call, and are let go when it has none (a
priority ticket that comes to an idle loket takes idle time, no one's turn). They never count in `ahead`.

The rate comes from the lines themselves, so every reader of the same lines gets the same estimate (no statement,
no clock): a service's numbers are one gap-free sequence per day and its regular tickets are called in arrival
order, so between its oldest and newest regular ticket waiting, every number that is not a regular ticket waiting
is a priority ticket (called already or waiting; a cancelled ticket also leaves a gap). The share is pooled over
the group's lines with a prior, and each line's rate is that share of its arrivals over the time since its oldest
regular ticket came. Only tickets queued before the replay's start count, so a regular ticket appended after it
changes no rate (the kept projection stays exact: `projection.Replay.extend`).

Each loket gets its own stream: the rate of each service it serves split evenly among the lokets serving it, the
arrivals spaced evenly (deterministic), each loket's first at its own phase. A stream per loket keeps the lokets
linked only through real tickets, as before: an appended regular ticket moves no other ticket's call.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from itertools import islice
from operator import itemgetter

from .numbering import NUMBER_DIGITS

# A waiting ticket as the line book keeps it, in call order: (queued_at, number, is priority) (projection.Entry).
Entry = tuple[datetime, str, bool]

PRIOR_TICKETS = 20.0  # the share's prior weight, in arrivals: a group with little history expects few
PRIOR_SHARE = 0.0  # priority tickets (a site without them is never told it waits for some)
RECENT = timedelta(minutes=20)  # a line's arrival rate is its recent one: a backward rate lags a falling morning
MIN_SPAN_SECONDS = 600.0  # a line's rate is over at least this long: two tickets a minute apart are no rate
INFINITY = float("inf")
_IS_PRIORITY = itemgetter(2)  # of an Entry


def _seq(number: str) -> tuple[str, int] | None:
    """A ticket number's prefix and place in its day's sequence (None: not a number of that form)."""
    digits = number[-NUMBER_DIGITS:]
    return (number[:-NUMBER_DIGITS], int(digits)) if len(number) > NUMBER_DIGITS and digits.isdigit() else None


def priority_rates(lines: Mapping[str, Sequence[Entry]], as_of: datetime | None) -> dict[str, float]:
    """Each service's expected priority arrivals per second (services with none left out), from the tickets of
    `lines` queued before `as_of` (None: no start, no foresight)."""
    if as_of is None:
        return {}
    spans: dict[str, tuple[int, float]] = {}  # service → (arrivals after its oldest regular ticket, seconds since)
    arrivals = priority = 0
    for s, line in lines.items():
        k = bisect_left(line, (as_of,))  # the tickets queued before the start
        if k < 2:
            continue
        i0 = next((x for x in range(k) if not line[x][2]), k)  # its oldest regular ticket (most often the first)
        i1 = next((x for x in range(k - 1, i0, -1) if not line[x][2]), i0)  # and its newest before the start
        if i1 == i0:
            continue
        first, last = line[i0], line[i1]
        a, b = _seq(first[1]), _seq(last[1])
        if a is None or b is None or a[0] != b[0] or b[1] <= a[1]:
            continue  # a transferred ticket keeps its own service's number: no span to read
        regular = i1 - i0 - sum(map(_IS_PRIORITY, islice(line, i0, i1 + 1)))  # the regular tickets after the oldest
        n = b[1] - a[1]
        arrivals += n
        priority += max(0, n - regular)
        # the line's rate: since its newest regular ticket queued a `RECENT` before the start (or its oldest)
        cut = bisect_left(line, (as_of - RECENT,), i0, i1)
        ref = next((line[x] for x in range(cut - 1, i0 - 1, -1) if not line[x][2]), first)
        c = _seq(ref[1])
        if c is None or c[0] != b[0] or not a[1] <= c[1] < b[1]:  # numbers out of their order: the whole span
            c, ref = a, first
        spans[s] = (b[1] - c[1], (as_of - ref[0]).total_seconds())
    if not spans:
        return {}
    share = (priority + PRIOR_SHARE * PRIOR_TICKETS) / (arrivals + PRIOR_TICKETS)
    if share <= 0:
        return {}
    return {s: share * n / max(seconds, MIN_SPAN_SECONDS) for s, (n, seconds) in spans.items()}


def loket_streams(rates: Mapping[str, float], own: Sequence[Sequence[int]], codes: Sequence[str],
                  took: Sequence[Sequence[float]], callers: Sequence[int]) -> tuple[list[float], list[float],
                                                                                      list[float]]:
    """Each loket's stream of priority tickets to come: (first arrival, seconds between two, seconds each takes it),
    in seconds from the start; INFINITY where it expects none. `own` are the lokets' services by index into
    `codes`, `took` their times per call, `callers` the lokets that can still call today (who share the rates)."""
    n = len(own)
    first, step, takes = [INFINITY] * n, [INFINITY] * n, [0.0] * n
    if not rates or not callers:
        return first, step, takes
    sharing = [sum(1 for i in callers if j in own[i]) for j in range(len(codes))]
    for rank, i in enumerate(sorted(callers)):
        parts = [(rates[codes[j]] / sharing[j], took[i][j]) for j in own[i] if codes[j] in rates]
        rate = sum(r for r, _ in parts)
        if rate <= 0:
            continue
        step[i] = 1.0 / rate
        takes[i] = sum(r * x for r, x in parts) / rate
        first[i] = step[i] * (rank + 0.5) / len(callers)  # the lokets' first arrivals spread over one spacing
    return first, step, takes
