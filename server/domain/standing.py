"""Where tickets stand: a ticket with its people ahead and estimated wait, a service's whole line ranked at once,
and a counter's tile (its state and the ticket it is busy with). Pure values, built inside a transaction and carried
by events, so no screen has to ask the database again."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import NamedTuple

from .counter import CounterStatus
from .eta import estimate_wait_minutes
from .ordering import ahead_of
from .projection import Entry, OpenCounter, Place, Replay
from .ticket import Status, Ticket


@dataclass(frozen=True, slots=True)
class TicketInfo:
    """A ticket with what the visitor wants to know: people ahead and the estimated wait."""

    ticket: Ticket
    ahead: int
    eta_minutes: int | None
    counter_name: str | None = None
    eta_seconds: int | None = 0
    no_counter_open: bool = False  # waiting for a service no open loket serves: no estimate until one opens


class Standing(NamedTuple):
    """One waiting ticket's place in its line (a tuple: a line of hundreds is ranked on every event)."""

    number: str
    ahead: int
    eta_minutes: int | None
    eta_seconds: int | None = 0
    no_counter_open: bool = False


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """A service's waiting line after a change: its waiting tickets' standings, in arrival order — all of them, or,
    when only tickets were appended to it (`total` given: how many wait in all), only the new ones' (nobody else's
    changed: status pages keep the standing they had)."""

    service: str
    standings: tuple[Standing, ...] = ()
    total: int | None = None

    @property
    def waiting(self) -> int:
        return len(self.standings) if self.total is None else self.total

    def standing_of(self, number: str) -> Standing | None:
        return next((s for s in self.standings if s.number == number), None)


@dataclass(frozen=True, slots=True)
class CounterTile:
    """A loket as the waiting room sees it: open/paused/closed and the ticket it is busy with (called or serving)."""

    code: str
    status: CounterStatus
    busy: Ticket | None = None


@dataclass(frozen=True, slots=True)
class CounterToday:
    """A loket's day so far: tickets finished there and their mean service time."""

    served: int
    avg_service_minutes: float | None


def frozen_copy(ticket: Ticket) -> Ticket:
    """A copy of the ticket as it is now, without its unsaved history (events must not change afterwards)."""
    return dataclasses.replace(ticket, history=[])


def rank_line(service: str, waiting: Sequence[tuple[str, bool]], burst: int, avg_minutes: float,
              open_counters: int) -> ServiceLine:
    """Every waiting ticket's people ahead and estimated wait, from the line in arrival order as (number, is
    priority) pairs, in one pass."""
    priority_total = sum(1 for _, is_priority in waiting if is_priority)
    regular_before = priority_before = 0
    standings = []
    for number, is_priority in waiting:
        ahead = ahead_of(is_priority, regular_before, priority_before,
                         priority_total - (1 if is_priority else 0), burst)
        eta = estimate_wait_minutes(ahead, avg_minutes, open_counters)
        standings.append(Standing(number, ahead, eta, eta * 60))
        if is_priority:
            priority_before += 1
        else:
            regular_before += 1
    return ServiceLine(service, tuple(standings))


def rank_lines(lines: dict[str, list[Entry]], counters: list[OpenCounter], service_seconds: dict[str, float],
               burst: int, samples: dict[str, list[float]] | None = None,
               as_of: datetime | None = None) -> dict[str, ServiceLine]:
    """Every waiting ticket of `lines` (services → entries in call order) with its projected position and call
    (domain/projection, as of `as_of` with the recent service times `samples`), as each service's ranked line."""
    return lines_of(lines, Replay(lines, counters, service_seconds, burst, samples, as_of).projected)


_NUMBER = itemgetter(1)  # of an Entry


def lines_of(lines: Mapping[str, Sequence[Entry]], projected: Mapping[str, Place],
             only: Mapping[str, Sequence[str]] | None = None) -> dict[str, ServiceLine]:
    """Each service's ranked line from the tickets' projected calls: every waiting ticket's standing, or, given
    `only` (services → numbers of tickets just appended), just those tickets' in those services' lines."""
    if only is None:
        return {s: ServiceLine(s, _standings(list(map(_NUMBER, line)), projected)) for s, line in lines.items()}
    return {s: ServiceLine(s, _standings(numbers, projected), len(lines[s])) for s, numbers in only.items()}


def _standings(numbers: Sequence[str], projected: Mapping[str, Place]) -> tuple[Standing, ...]:
    new = tuple.__new__  # as Standing(...), without its keyword handling: once per waiting ticket per event
    # minutes_of(eta) written out (whole minutes, rounded up; eta is whole seconds): a call less per ticket
    return tuple(new(Standing, (n, ahead, None if eta is None else -(-eta // 60), eta, eta is None))
                 for n in numbers for ahead, eta in (projected[n],))


def info_in(line: ServiceLine | None, ticket: Ticket, counter_name: str | None) -> TicketInfo:
    """The ticket with its standing taken from its freshly ranked line (0 / 0 once it is no longer waiting)."""
    standing = line.standing_of(ticket.number) if line and ticket.status is Status.WAITING else None
    if standing is None:
        return TicketInfo(frozen_copy(ticket), 0, 0, counter_name, 0, False)
    return TicketInfo(frozen_copy(ticket), standing.ahead, standing.eta_minutes, counter_name, standing.eta_seconds,
                      standing.no_counter_open)
