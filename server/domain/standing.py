"""Where tickets stand: a ticket with its people ahead and estimated wait, a service's whole line ranked at once,
and a counter's tile (its state and the ticket it is busy with). Pure values, built inside a transaction and carried
by events, so no screen has to ask the database again."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter, itemgetter
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


class ServiceLine:
    """A service's waiting line after a change: its waiting tickets' standings, in arrival order — all of them, or,
    when only tickets were appended to it (`total` given: how many wait in all), only the new ones' (nobody else's
    changed: status pages keep the standing they had). A value (compared and hashed by its three fields); a line
    made by `placed` turns its tickets' projected calls into standings only when they are first read: most events
    reach no page that shows them, and a call's line is hundreds of standings (issue 11)."""

    __slots__ = ("service", "total", "_standings", "_numbers", "_places")

    def __init__(self, service: str, standings: tuple[Standing, ...] = (), total: int | None = None) -> None:
        self.service, self.total, self._standings = service, total, standings
        self._numbers: Sequence[str] = ()
        self._places: Sequence[Place] | None = None

    @classmethod
    def placed(cls, service: str, numbers: Sequence[str], places: Sequence[Place],
               total: int | None = None) -> ServiceLine:
        """The line of the tickets `numbers` (in arrival order) whose projected calls are `places` (the same order,
        taken now: they are not read again)."""
        line = cls(service, (), total)
        line._numbers, line._places = numbers, places
        return line

    @property
    def standings(self) -> tuple[Standing, ...]:
        if self._places is not None:  # built once, on first read (two threads building at once build equal ones)
            self._standings, self._places = _standings(self._numbers, self._places), None
        return self._standings

    @property
    def waiting(self) -> int:
        if self.total is not None:
            return self.total
        return len(self._numbers) if self._places is not None else len(self._standings)

    def standing_of(self, number: str) -> Standing | None:
        if self._places is not None:  # one ticket's standing without building the others'
            try:
                k = self._numbers.index(number)
            except ValueError:
                return None
            return _standings((number,), (self._places[k],))[0]
        return next((s for s in self._standings if s.number == number), None)

    def _key(self) -> tuple[str, tuple[Standing, ...], int | None]:
        return self.service, self.standings, self.total

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ServiceLine) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"ServiceLine(service={self.service!r}, standings={self.standings!r}, total={self.total!r})"


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


# A ticket's fields but its history (the last one), in order: read in C and passed on as they are.
_TICKET_FIELDS = [f.name for f in dataclasses.fields(Ticket)]
assert _TICKET_FIELDS[-1] == "history", "frozen_copy leaves out the last field, a ticket's history"
_BUT_HISTORY = attrgetter(*_TICKET_FIELDS[:-1])


def frozen_copy(ticket: Ticket) -> Ticket:
    """A copy of the ticket as it is now, without its unsaved history (events must not change afterwards): as
    `dataclasses.replace(ticket, history=[])`, which walks the fields in Python (once per event, issue 11)."""
    return Ticket(*_BUT_HISTORY(ticket))


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
    place = projected.__getitem__  # the places are taken now (in C); their standings are built when first read
    if only is None:
        return {s: ServiceLine.placed(s, numbers, list(map(place, numbers)))
                for s, line in lines.items() for numbers in (list(map(_NUMBER, line)),)}
    return {s: ServiceLine.placed(s, numbers, list(map(place, numbers)), len(lines[s])) for s, numbers in only.items()}


def _standings(numbers: Sequence[str], places: Sequence[Place]) -> tuple[Standing, ...]:
    new = tuple.__new__  # as Standing(...), without its keyword handling: once per waiting ticket per event
    # minutes_of(eta) written out (whole minutes, rounded up; eta is whole seconds): a call less per ticket
    return tuple(new(Standing, (n, ahead, None if eta is None else -(-eta // 60), eta, eta is None))
                 for n, (ahead, eta) in zip(numbers, places, strict=True))


def info_in(line: ServiceLine | None, ticket: Ticket, counter_name: str | None) -> TicketInfo:
    """The ticket with its standing taken from its freshly ranked line (0 / 0 once it is no longer waiting)."""
    standing = line.standing_of(ticket.number) if line and ticket.status is Status.WAITING else None
    if standing is None:
        return TicketInfo(frozen_copy(ticket), 0, 0, counter_name, 0, False)
    return TicketInfo(frozen_copy(ticket), standing.ahead, standing.eta_minutes, counter_name, standing.eta_seconds,
                      standing.no_counter_open)
