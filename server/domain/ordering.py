"""Who is called next: arrival order, with the priority fairness rule (docs/fairness.md).

Rule: priority tickets go first, but a counter calls at most `burst` priority tickets in a row while a regular
ticket waits; the next call then takes the longest-waiting regular ticket. With burst = 0 it is plain arrival
order. So a regular ticket is passed by at most `burst` priority tickets per call of its counter: never starved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .ticket import Status, Ticket


def _arrival(t: Ticket) -> tuple[datetime, str]:
    assert t.queued_at is not None
    return (t.queued_at, t.number)


def choose_next(candidates: Iterable[Ticket], priority_streak: int, burst: int) -> Ticket | None:
    """Pick the ticket a counter calls next from the waiting tickets of its services.

    Only the heads matter (the longest-waiting regular and priority tickets), so `candidates` may be just those.
    `priority_streak` is how many priority tickets this counter called in a row just before.
    """
    waiting = sorted((t for t in candidates if t.status is Status.WAITING), key=_arrival)
    regular = next((t for t in waiting if not t.is_priority), None)
    priority = next((t for t in waiting if t.is_priority), None)
    pick = calls_priority(regular and _arrival(regular), priority and _arrival(priority), priority_streak, burst)
    return None if pick is None else priority if pick else regular


def calls_priority(regular_head: tuple | None, priority_head: tuple | None, priority_streak: int,
                   burst: int) -> bool | None:
    """The rule itself on the two heads' arrival keys (comparable, earlier = smaller): True = the priority head is
    called, False = the regular head, None = nobody waits. `choose_next` and the call projection (domain/projection)
    both decide through it, so a ticket's projected position follows the counters' real order."""
    if priority_head is None:
        return None if regular_head is None else False
    if regular_head is None:
        return True
    if burst <= 0:
        return priority_head < regular_head
    return priority_streak < burst


def next_streak(called: Ticket, priority_streak: int, regular_waiting: bool) -> int:
    """The counter's streak after calling `called`: counts priority calls made while regulars waited."""
    return streak_after(called.is_priority, priority_streak, regular_waiting)


def streak_after(is_priority: bool, priority_streak: int, regular_waiting: bool) -> int:
    """`next_streak` on plain values (the call projection has no Ticket objects)."""
    if not is_priority:
        return 0
    return priority_streak + 1 if regular_waiting else 0


@dataclass(frozen=True, slots=True)
class Position:
    """Where a waiting ticket stands: waiting tickets that arrived before it, and all priority ones waiting."""

    regular_before: int
    priority_before: int
    priority_waiting: int


def people_ahead(is_priority: bool, pos: Position, burst: int) -> int:
    """People ahead of a waiting ticket in its service's line (an estimate that follows the rule above)."""
    return ahead_of(is_priority, pos.regular_before, pos.priority_before, pos.priority_waiting, burst)


def ahead_of(is_priority: bool, regular_before: int, priority_before: int, priority_waiting: int, burst: int) -> int:
    """`people_ahead` from plain counts (ranking a whole line calls it once per ticket, without a Position)."""
    if burst <= 0:
        return regular_before + priority_before
    if is_priority:
        return priority_before
    # A regular ticket waits behind earlier regulars and, at most, `burst` priority tickets per regular ahead.
    return regular_before + min(priority_waiting, burst * (regular_before + 1))
