"""The replay's short turn (a loket with one service calling its line's next tickets while it stays the first free)
against the turns played one at a time: for random groups of one-service lokets (ties in time, lokets of their own
speed, lines no loket serves), every ticket's place is the one a plain first-free-loket loop gives."""

import heapq
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.projection import OpenCounter, Projected, project

T0 = datetime(2026, 12, 2, 9, 0)
SERVICES = ("KTP", "KK", "AKTA")


def one_turn_at_a_time(lines, lokets, seconds):
    """Each turn the first free loket (ties: the first given) calls its line's head, then is busy for its time."""
    took = [c.own_seconds.get(c.services[0], seconds[c.services[0]]) for c in lokets]
    heap = [(x / 2 if c.since_call is None else max(0.0, x - c.since_call), i)
            for i, (c, x) in enumerate(zip(lokets, took, strict=True))]
    heapq.heapify(heap)
    at, out = dict.fromkeys(lines, 0), {}
    while heap:
        t, i = heapq.heappop(heap)
        s = lokets[i].services[0]
        if at[s] == len(lines[s]):
            continue
        out[lines[s][at[s]][1]] = Projected(at[s], round(t))
        at[s] += 1
        heapq.heappush(heap, (t + took[i], i))
    for line in lines.values():  # no loket serves it: its own order, no estimate
        out.update({e[1]: Projected(k, None) for k, e in enumerate(line) if e[1] not in out})
    return out


@st.composite
def groups(draw):
    lokets = []
    for k in range(draw(st.integers(1, 4))):
        s = draw(st.sampled_from(SERVICES))
        own = {s: draw(st.sampled_from([45.0, 300.0]))} if draw(st.booleans()) else {}
        since = draw(st.sampled_from([None, 0.0, 100.0, 300.0]))
        lokets.append(OpenCounter(f"L{k}", (s,), 0, since, own_seconds=own))
    seconds = {s: draw(st.sampled_from([0.0, 60.0, 137.5, 300.0])) for s in SERVICES}
    minutes = draw(st.lists(st.tuples(st.sampled_from(SERVICES), st.integers(0, 30)), max_size=40))
    lines = {s: sorted((T0 + timedelta(minutes=m), f"N{n:04d}", False) for n, (x, m) in enumerate(minutes) if x == s)
             for s in SERVICES}
    return lines, lokets, seconds


@settings(max_examples=300, deadline=None)
@given(groups())
def test_one_service_lokets_place_every_ticket_as_turn_by_turn(group):
    lines, lokets, seconds = group
    assert project(lines, lokets, seconds, burst=2) == one_turn_at_a_time(lines, lokets, seconds)
