"""Which lokets work when, and which lines move together: a loket's working windows from now (from its daily hours)
and the group of services linked by shared lokets — what the call projection (domain/projection) is given."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .open_counter import OpenCounter
    from .site import Counter

INF = float("inf")


def counter_windows(hours: Sequence[tuple[int, int]], clock: float | None,
                    is_open: bool) -> tuple[tuple[float, float], ...]:
    """A loket's working windows from now (`clock`: seconds after local midnight), from its daily `hours`: an open
    loket works from now to the end of the hours it is in (to the end of the day outside them: its clerk keeps
    other hours), then its later hours; a closed or paused one from its next hours on. Empty: open with no known
    end (no hours, or no clock)."""
    if not hours or clock is None:
        return ()
    later = tuple((a - clock, b - clock) for a, b in hours if a > clock)
    if not is_open:
        return later
    current = next((b for a, b in hours if a <= clock < b), None)
    if current is None:
        return ((0.0, INF), )
    return ((0.0, current - clock), *later)


def linked_services(start: Sequence[str], counters: Sequence[OpenCounter | Counter]) -> list[str]:
    """`start` and every service that shares an open counter with one of them, transitively (their lines move
    together: a call of one changes when the others are called). Only the counters' services are read."""
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
