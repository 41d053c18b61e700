"""Where every waiting ticket really stands: the counters' next calls played forward, by the fairness rule itself.

A ticket's `ahead` is how many tickets the counters that can serve it will call before it — its own service's and,
at a shared loket, the other services' too — and its `eta_seconds` is when it will be called. Both come from one
deterministic replay of the open counters: the counter that is free first calls the ticket `ordering.calls_priority`
picks among the heads of its services (with its own priority streak), then is busy for that service's typical
service time. A ticket whose service no open counter serves is not called in the replay: it keeps its place in
its own line (`ordering.ahead_of`) and is marked `no_counter_open`, without an estimate.

Pure: no clock, no I/O; the caller passes how long ago each counter last called (or None when unknown).
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from .ordering import ahead_of, calls_priority, streak_after

# A waiting ticket as the line book keeps it, in call order: (queued_at, number, is priority).
Entry = tuple[datetime, str, bool]


@dataclass(frozen=True, slots=True)
class OpenCounter:
    """An open loket as the replay needs it: its services, its priority streak, and seconds since it last called
    (its current visitor is assumed to need the rest of a typical service; None = unknown, half of one)."""

    code: str
    services: tuple[str, ...]
    priority_streak: int = 0
    since_call: float | None = None


class Projected(NamedTuple):
    """One waiting ticket's projected call: tickets called before it, seconds until then (None: no counter open)."""

    ahead: int
    eta_seconds: int | None


def linked_services(start: Sequence[str], counters: Sequence[OpenCounter]) -> list[str]:
    """`start` and every service that shares an open counter with one of them, transitively (their lines move
    together: a call of one changes when the others are called)."""
    found = list(dict.fromkeys(start))
    seen = set(found)
    grew = True
    while grew:
        grew = False
        for c in counters:
            if seen.intersection(c.services) and not seen.issuperset(c.services):
                for s in c.services:
                    if s not in seen:
                        seen.add(s)
                        found.append(s)
                grew = True
    return found


def project(lines: Mapping[str, Sequence[Entry]], counters: Sequence[OpenCounter], service_seconds: Mapping[str, float],
            burst: int) -> dict[str, Projected]:
    """Every waiting ticket of `lines` (services → entries in call order) with its projected call, by number.

    `counters` are the open lokets (any order; ties go to the first given), `service_seconds` the typical service
    time of each service that has an open counter."""
    regular = {s: [e for e in line if not e[2]] for s, line in lines.items()}
    priority = {s: [e for e in line if e[2]] for s, line in lines.items()}
    at_r = dict.fromkeys(lines, 0)
    at_p = dict.fromkeys(lines, 0)
    # calls so far by the lokets that serve each service: a ticket's `ahead` when it is called
    made = dict.fromkeys(lines, 0)
    own = [tuple(s for s in c.services if s in lines) for c in counters]
    streak = [c.priority_streak for c in counters]
    heap: list[tuple[float, int]] = []
    for i, c in enumerate(counters):
        typical = [service_seconds[s] for s in c.services if s in service_seconds]
        busy = sum(typical) / len(typical) if typical else 0.0
        left = busy / 2 if c.since_call is None else max(0.0, busy - c.since_call)
        heap.append((left, i))
    heapq.heapify(heap)
    out: dict[str, Projected] = {}
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        t, i = pop(heap)
        rs = ps = None
        rh: Entry | None = None
        ph: Entry | None = None
        for s in own[i]:  # the heads of the loket's services: the longest-waiting regular and priority ticket
            q, k = regular[s], at_r[s]
            if k < len(q) and (rh is None or q[k] < rh):
                rh, rs = q[k], s
            q, k = priority[s], at_p[s]
            if k < len(q) and (ph is None or q[k] < ph):
                ph, ps = q[k], s
        pick = calls_priority(rh, ph, streak[i], burst)
        if pick is None:
            continue  # nothing left for this loket: it drops out of the replay
        if pick:
            service, entry = ps, ph
            at_p[service] += 1  # type: ignore[index]
        else:
            service, entry = rs, rh
            at_r[service] += 1  # type: ignore[index]
        assert service is not None and entry is not None
        streak[i] = streak_after(pick, streak[i], rh is not None)
        out[entry[1]] = Projected(made[service], round(t))
        for s in own[i]:
            made[s] += 1
        push(heap, (t + service_seconds.get(service, 0.0), i))
    served = {s for o in own for s in o}
    for s, line in lines.items():  # lines no open counter serves: their own order only, no estimate
        if s in served:
            continue
        total_priority = sum(1 for e in line if e[2])
        regular_before = priority_before = 0
        for _, number, is_priority in line:
            out[number] = Projected(ahead_of(is_priority, regular_before, priority_before,
                                             total_priority - (1 if is_priority else 0), burst), None)
            if is_priority:
                priority_before += 1
            else:
                regular_before += 1
    return out
