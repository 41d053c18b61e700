"""Where every waiting ticket really stands: the counters' next calls played forward, by the fairness rule itself.

A ticket's `ahead` is how many tickets the counters that can serve it will call before it — its own service's and,
at a shared loket, the other services' too — and its `eta_seconds` is when it will be called. Both come from one
deterministic replay of the lokets: the loket that is free first calls the ticket `ordering.calls_priority` picks
among the heads of its services (with its own priority streak), then is busy for that service's typical service
time. A loket is free after the rest of its current visit (from the recent service times: `remaining_seconds`),
and works only within its hours when the site gives them (`loket_windows.counter_windows`: one that opens later or
takes a break is placed by them). A ticket whose service no loket serves today is not called in the replay: it keeps its place
in its own line (`ordering.ahead_of`) and gets no estimate. The priority tickets still to come are played too
(domain/foresight): each loket's expected ones take its turn by the same rule while it has a real regular ticket
to call, and are let go when it has none (idle time); they move the moments, never `ahead`.

A `Replay` keeps what the replay ended with, so a regular ticket issued later is placed by itself (`extend`: the
loket serving it that runs out of tickets first calls it) when nothing else changed and no priority ticket waits —
exactly what replaying everyone would give (tests/unit/test_projection_append.py), for a fraction of the cost.

Pure: no clock, no I/O; the caller passes how long ago each counter last called (or None when unknown).
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from itertools import filterfalse
from operator import itemgetter
from typing import NamedTuple

from .eta import remaining_seconds
from .foresight import loket_streams, priority_rates
from .open_counter import OpenCounter
from .ordering import ahead_of, calls_priority, streak_after

# A waiting ticket as the line book keeps it, in call order: (queued_at, number, is priority).
Entry = tuple[datetime, str, bool]

_IS_PRIORITY = itemgetter(2)  # of an Entry
_NUMBER = itemgetter(1)
_NO_TURN = (math.inf, -1)  # no other loket's turn to come: never before one of the replay's


class Projected(NamedTuple):
    """One waiting ticket's projected call: tickets called before it, seconds until then (None: no counter open)."""

    ahead: int
    eta_seconds: int | None


# A projected call as a replay keeps it, (ahead, eta_seconds): a `Projected` or a plain pair — the replay makes plain
# pairs (a named tuple per waiting ticket was a sixth of a call-next's replay; domain/standing reads them by position).
Place = tuple[int, int | None]


def project(lines: Mapping[str, Sequence[Entry]], counters: Sequence[OpenCounter], service_seconds: Mapping[str, float],
            burst: int, samples: Mapping[str, Sequence[float]] | None = None,
            as_of: datetime | None = None) -> dict[str, Projected]:
    """Every waiting ticket of `lines` (services → entries in call order) with its projected call, by number.

    `counters` are the lokets open now or later today (any order; ties go to the first given), `service_seconds`
    the typical service time of each service a loket serves, `samples` their recent service times (for the rest
    of a loket's current visit) and `as_of` the moment the projection starts from (a ticket waiting since before
    it tells that the lokets serving it are busy; one queued after it is told the wait from its own arrival)."""
    placed = Replay(lines, counters, service_seconds, burst, samples, as_of).projected
    return {number: Projected(*place) for number, place in placed.items()}


class Replay:
    """The replay of a group of lines and what it ended with, so that a regular ticket appended later is placed
    without replaying the others (`extend`): what it was given (to tell whether a later call is the same group
    with tickets appended) and each loket's end — the moment it ran out of tickets, or None: closed for the day —
    and the moments of its calls."""

    __slots__ = ("lines", "counters", "service_seconds", "burst", "samples", "as_of", "projected", "index", "own",
                 "serves", "took", "windows", "window_at", "ends", "calls", "newest", "has_priority", "streak",
                 "coming", "spacing", "coming_takes")

    def __init__(self, lines: Mapping[str, Sequence[Entry]], counters: Sequence[OpenCounter],
                 service_seconds: Mapping[str, float], burst: int,
                 samples: Mapping[str, Sequence[float]] | None = None, as_of: datetime | None = None) -> None:
        # What it was given, as copies: the caller's lines change after it.
        self.lines = {s: list(line) for s, line in lines.items()}
        self.counters = list(counters)
        self.service_seconds = {s: service_seconds[s] for s in lines if s in service_seconds}
        self.burst, self.as_of = burst, as_of
        self.samples = {s: list(samples[s]) for s in lines if s in samples} if samples else {}
        # Services by index, plain lists: this runs on every call, for every ticket of a group of lines.
        codes = list(lines)
        self.index = index = {s: j for j, s in enumerate(codes)}
        self.own = own = [tuple(index[s] for s in c.services if s in index) for c in counters]
        self.serves = [[i for i, mine in enumerate(own) if j in mine] for j in range(len(codes))]
        seconds = [service_seconds.get(s, 0.0) for s in codes]
        # each loket's time per call of each service: the service's, or its own where it differs
        self.took = [[c.own_seconds.get(s, x) for s, x in zip(codes, seconds, strict=True)] if c.own_seconds else seconds
                     for c in counters]
        self.windows = [c.windows for c in counters]
        self.window_at = [0] * len(counters)
        self.ends: list[float | None] = [None] * len(counters)
        self.calls: list[list[float]] = [[] for _ in counters]
        self.newest = max((line[-1] for line in lines.values() if line), default=None)
        self.has_priority = False
        self.projected: dict[str, Place] = self._play(list(lines.values()), samples)

    def needs(self, i: int, j: int) -> float:
        """How long loket `i` is busy with a visitor of service `j`: the one place the replay asks."""
        return self.took[i][j]

    def _open_at(self, i: int, t: float) -> float | None:
        """When loket `i`, free at `t`, can call by its hours: `t` within them, the end of a break it is on, None
        once it has closed for the day (it keeps its place in its hours: `window_at`)."""
        at, self.window_at[i] = self._hours_from(i, t, self.window_at[i])
        return at

    def _hours_from(self, i: int, t: float, w: int) -> tuple[float | None, int]:
        """`_open_at` from the loket's place `w` in its hours, and its place then (without keeping it)."""
        hours = self.windows[i]
        if not hours:
            return t, w
        while w < len(hours) and t >= hours[w][1]:
            w += 1
        return (None if w == len(hours) else max(t, hours[w][0])), w

    def _eta(self, t: float, entry: Entry) -> int:
        """Seconds from the ticket's arrival (or the start of the replay, if later) to its call at `t`."""
        as_of = self.as_of
        if as_of is not None and entry[0] > as_of:
            return max(0, round(t - (entry[0] - as_of).total_seconds()))
        return round(t)

    def _late(self, lines: list[Sequence[Entry]]) -> dict[str, float]:
        """The tickets that came after the start, each with how many seconds after it (the tail of each line: the
        replay asks per ticket, and comparing moments costs more than a lookup)."""
        as_of, out = self.as_of, {}
        if as_of is None:
            return out
        for line in lines:
            for e in reversed(line):
                if e[0] <= as_of:
                    break
                out[e[1]] = (e[0] - as_of).total_seconds()
        return out

    def _first_free(self, regular: list[Sequence[Entry]], priority: list[list[Entry]],
                    samples: Mapping[str, Sequence[float]] | None) -> list[tuple[float, int]]:
        """The lokets that can still call today, each with when it is first free to (from now, or from its opening):
        the heap the replay starts from."""
        counters, own, as_of, service_seconds = self.counters, self.own, self.as_of, self.service_seconds
        heap: list[tuple[float, int]] = []
        for i, c in enumerate(counters):
            if not own[i] or (c.windows and c.windows[-1][1] <= 0):
                continue
            if c.open_now:
                mine = c.own_seconds
                typical = [mine.get(s, service_seconds[s]) for s in c.services if s in service_seconds]
                # the service's recent calls, as long as this loket takes them
                pooled = [x * mine.get(s, base) / base if mine and base else x for s in c.services
                          for base in (service_seconds.get(s, 0.0),) for x in samples.get(s, ())] if samples else ()
                mean = sum(typical) / len(typical) if typical else 0.0
                if c.visit_known:  # free now, or busy with a visitor called `in_visit` seconds ago
                    free = 0.0 if c.in_visit is None else remaining_seconds(mean, c.in_visit, pooled, True)
                else:
                    busy = as_of is not None and any(q and q[0][0] < as_of for j in own[i]
                                                     for q in (regular[j], priority[j]))
                    free = remaining_seconds(mean, c.since_call, pooled, busy)
            else:
                free = c.windows[0][0]  # opens later: free from its opening
            heap.append((free, i))
        heapq.heapify(heap)
        return heap

    def _unreached(self, lines: list[Sequence[Entry]], called: list[int], made: list[int],
                   out: dict[str, Place]) -> None:
        """The tickets of each line the replay did not call (`called` of it were): after the lokets serving it close
        for the day, each after those before it and no estimate; in a line no loket serves today, its own order."""
        for j, line in enumerate(lines):
            if called[j] == len(line):
                continue
            if called[j]:  # the lokets close before they reach the rest of the line: after them, no estimate
                rest = [e for e in line if e[1] not in out]
                for k, e in enumerate(rest):
                    out[e[1]] = Projected(made[j] + k, None)
                continue
            total_priority = sum(1 for e in line if e[2])  # no loket serves the line today: its own order only
            regular_before = priority_before = 0
            for _, number, is_priority in line:
                out[number] = Projected(ahead_of(is_priority, regular_before, priority_before,
                                                 total_priority - (1 if is_priority else 0), self.burst), None)
                if is_priority:
                    priority_before += 1
                else:
                    regular_before += 1

    def _play(self, lines: list[Sequence[Entry]], samples: Mapping[str, Sequence[float]] | None) -> dict[str, Place]:
        counters, own = self.counters, self.own
        regular: list[Sequence[Entry]] = []
        priority: list[list[Entry]] = []
        for line in lines:  # most lines hold no priority ticket: then the line itself is the regular one
            first = list(filter(_IS_PRIORITY, line))
            regular.append(list(filterfalse(_IS_PRIORITY, line)) if first else line)
            priority.append(first)
        at_r = [0] * len(lines)
        at_p = [0] * len(lines)
        made = [0] * len(lines)  # calls so far by the lokets that serve each service: a ticket's `ahead` when called
        streak = [c.priority_streak for c in counters]
        windows, ends, calls, open_at = self.windows, self.ends, self.calls, self._open_at
        heap = self._first_free(regular, priority, samples)
        burst = self.burst
        # the priority tickets still to come (domain/foresight): each loket's next one and their spacing
        rates = priority_rates(self.lines, self.as_of) if burst > 0 else {}
        coming, spacing, takes = loket_streams(rates, own, list(self.index), self.took, [i for _, i in heap])
        self.coming, self.spacing, self.coming_takes, self.streak = coming, spacing, takes, streak
        n_r, n_p = [len(q) for q in regular], [len(q) for q in priority]
        priority_left = sum(n_p)
        self.has_priority = priority_left > 0
        out: dict[str, Place] = {}
        pop, pushpop, took = heapq.heappop, heapq.heappushpop, self.took
        late = self._late(lines)
        item = pop(heap) if heap else None
        while item is not None:
            t, i = item
            if windows[i]:  # a scheduled loket calls only within its hours
                at = open_at(i, t)
                if at is None:  # closed for the day
                    item = pop(heap) if heap else None
                    continue
                if at > t:  # on a break: back when it ends
                    item = pushpop(heap, (at, i))
                    continue
            mine = own[i]
            if len(mine) == 1 and not priority_left:  # the common turn, written short: one line, its regular head
                j = mine[0]
                k = at_r[j]
                if k == n_r[j]:  # nothing left for this loket: it drops out of the replay, free from `t` on
                    ends[i] = t
                    item = pop(heap) if heap else None
                    continue
                if coming[i] <= t and streak[i] < burst:  # a priority ticket to come takes this turn
                    streak[i] += 1
                    coming[i] += spacing[i]
                    item = pushpop(heap, (t + takes[i], i))
                    continue
                streak[i] = 0
                # Its calls of its line's next tickets while it stays the first free, without the heap in between,
                # each turn as the loop's next one would be: the run stops where anything else could happen — the
                # line's end, a priority ticket to come (t >= coming), hours, another loket's turn first (the heap's
                # order: (moment, loket)) — and leaves that to the loop. The places are filled in C after the run.
                line, step, c, ahead, stop = regular[j], took[i][j], calls[i], made[j], n_r[j]
                after, other = heap[0] if heap else _NO_TURN
                ge = -math.inf if windows[i] else min(coming[i], after) if other < i else coming[i]
                gt = after if other > i else math.inf
                first, k0 = len(c), k
                while True:
                    k += 1
                    c.append(t)
                    t += step  # free again after the service (`needs(i, j)`, written out)
                    if k == stop or t >= ge or t > gt:
                        break
                moments, called = c[first:], line[k0:k]
                if late:  # `_eta`, with the arrivals after the start looked up
                    etas: Iterable[int] = [round(x) if (off := late.get(e[1])) is None else max(0, round(x - off))
                                           for x, e in zip(moments, called, strict=True)]
                else:
                    etas = map(round, moments)
                out.update(zip(map(_NUMBER, called), zip(range(ahead, ahead + k - k0), etas, strict=True), strict=True))
                at_r[j], made[j] = k, ahead + k - k0
                item = pushpop(heap, (t, i))
                continue
            else:
                rj = pj = -1
                rh: Entry | None = None
                ph: Entry | None = None
                for j in mine:  # the heads of the loket's services: the longest-waiting regular and priority ticket
                    k = at_r[j]
                    if k < n_r[j] and (rh is None or regular[j][k] < rh):
                        rh, rj = regular[j][k], j
                    if priority_left:
                        k = at_p[j]
                        if k < n_p[j] and (ph is None or priority[j][k] < ph):
                            ph, pj = priority[j][k], j
                if ph is None:  # no priority ticket waits: the rule's answer is the regular head, and no streak
                    if rh is None:  # nothing left for this loket: it drops out of the replay, free from `t` on
                        ends[i] = t  # (a priority ticket to come would take idle time: let go)
                        item = pop(heap) if heap else None
                        continue
                    if coming[i] <= t and streak[i] < burst:  # a priority ticket to come takes this turn
                        streak[i] += 1
                        coming[i] += spacing[i]
                        item = pushpop(heap, (t + takes[i], i))
                        continue
                    j, entry = rj, rh
                    at_r[j] += 1
                    streak[i] = 0
                else:
                    pick = calls_priority(rh, ph, streak[i], burst)
                    if pick:
                        j, entry = pj, ph
                        at_p[j] += 1
                        priority_left -= 1
                    else:
                        j, entry = rj, rh
                        at_r[j] += 1
                    streak[i] = streak_after(bool(pick), streak[i], rh is not None)
                ahead = made[j]
                for k in mine:
                    made[k] += 1
            off = late.get(entry[1]) if late else None  # `_eta`, with the arrivals after the start looked up
            out[entry[1]] = (ahead, round(t) if off is None else max(0, round(t - off)))
            calls[i].append(t)
            # free again after the service: the same loket goes on at once when it is still the first free
            item = pushpop(heap, (t + took[i][j], i))  # `needs(i, j)`, written out (once per ticket)
        self._unreached(lines, [r + p for r, p in zip(at_r, at_p, strict=True)], made, out)
        return out

    def extend(self, lines: Mapping[str, Sequence[Entry]], counters: Sequence[OpenCounter],
               service_seconds: Mapping[str, float], burst: int, samples: Mapping[str, Sequence[float]] | None = None,
               as_of: datetime | None = None) -> dict[str, list[str]] | None:
        """The same group as this replay's with regular tickets appended (and nothing else changed): each placed
        (`projected`), and the numbers of the new ones by service. None: not that, replay it all."""
        if (as_of != self.as_of or burst != self.burst or lines.keys() != self.lines.keys()
                or list(counters) != self.counters
                or {s: service_seconds[s] for s in lines if s in service_seconds} != self.service_seconds
                or (self.samples if samples else {}) != ({s: samples[s] for s in lines if s in samples}
                                                         if samples else {})):
            return None
        added: list[tuple[Entry, str]] = []
        for s, line in lines.items():
            kept = self.lines[s]
            if len(line) < len(kept) or line[:len(kept)] != kept:
                return None
            added += [(e, s) for e in line[len(kept):]]
        added.sort()
        new: dict[str, list[str]] = {}
        for entry, s in added:
            if not self._append(entry, s):
                return None  # the replay is half extended: the caller replays and keeps that instead
            new.setdefault(s, []).append(entry[1])
        return new

    def _append(self, entry: Entry, service: str) -> bool:
        """Place a regular ticket newer than every other of a group without priority tickets: from the moment each
        loket serving it runs out of tickets, it would call the priority tickets to come the rule puts first, then
        this one; the first to get to it calls it (no other real call moves: a loket picks the longest-waiting head
        of its services, so it takes the newest only once nothing else is left for it, and each loket's priority
        tickets to come are its own); the calls made before that moment by the lokets serving it are ahead; with
        no loket for its line, the tickets before it. False: not such a ticket, or the lokets serving it close
        before they reach it."""
        if entry[2] or self.has_priority or (self.newest is not None and entry <= self.newest) or (
                self.as_of is not None and entry[0] < self.as_of):
            return False
        j = self.index[service]
        ends, calls, serves = self.ends, self.calls, self.serves[j]
        if not serves:  # no loket serves its line today: its own order, no estimate (as the replay's last branch)
            line = self.lines[service]
            self.projected[entry[1]] = Projected(ahead_of(False, len(line), 0, 0, self.burst), None)
            line.append(entry)
            self.newest = entry
            return True
        # each loket serving it, from its end on, first calls the priority tickets to come the rule puts first
        runs = {i: self._turns(i) for i in serves if ends[i] is not None}
        first = min(((run[-1][0], i) for i, run in runs.items() if run[-1][0] is not None), default=None)
        if first is None:
            return False
        t, i = first
        ahead = sum(len(calls[k]) if k == i else (bisect_right if k < i else bisect_left)(calls[k], t)
                    for k in serves)  # calls before (t, i) in the replay's order: by moment, then by loket
        self.projected[entry[1]] = Projected(ahead, self._eta(t, entry))
        calls[i].append(t)
        self.lines[service].append(entry)
        self.newest = entry
        for k, run in runs.items():  # each loket as a replay with the new ticket leaves it
            if k == i:
                _, _, self.coming[k], self.window_at[k] = run[-1]
                self.streak[k] = 0
                ends[k] = self._open_at(k, t + self.needs(k, j))  # as the replay's next turn of the loket
            else:  # busy with priority tickets to come until its first turn after that call: nothing left then
                at = next(x for x in run if x[0] is None or (x[0], k) > first)
                ends[k], self.streak[k], self.coming[k], self.window_at[k] = at
        return True

    def _turns(self, k: int) -> list[tuple[float | None, int, float, int]]:
        """Loket `k`'s turns from its end on, were a regular ticket still waiting for it: each priority ticket to
        come that the rule calls first, then the turn it calls that ticket (or None: it closes before) — each as
        (moment, priority streak, its next priority ticket to come, its place in its hours) at the turn."""
        t: float | None = self.ends[k]
        s, c, w = self.streak[k], self.coming[k], self.window_at[k]
        run = [(t, s, c, w)]
        while t is not None and c <= t and s < self.burst:
            t, w = self._hours_from(k, t + self.coming_takes[k], w)
            s, c = s + 1, c + self.spacing[k]
            run.append((t, s, c, w))
        return run
