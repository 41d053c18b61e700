"""What ranking a line needs — each service's waiting tickets in call order, every counter's state, the recent
service times — read once and then followed through the transaction's own writes instead of re-read per event.

`LineBook` is a process's memory of it for one day, valid while the database's event `seq` is the one it was
taken at (every change of a line commits an event, so an unchanged `seq` means unchanged lines). Only the single
SQLite writer (services/writer.py) keeps a book: it alone writes, so its commits move the book forward. `LineView` is
one unit of work's view: it starts from a current book or reads the database, and every ticket or counter the
transaction writes is applied to it, so a rank inside the transaction sees its own changes."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from ..domain.counter import CounterState
from ..domain.projection import Replay
from ..domain.ticket import Status, Ticket

# A waiting ticket as ranking sees it, ordered as the counters call: (queued_at, number, is priority).
Entry = tuple[datetime, str, bool]


@dataclass
class LineBook:
    """Today's waiting lines, counter states and recent service times, as of `seq`. A service missing from
    `lines` or `recent` was not read yet (it is read when first asked for), not empty."""

    seq: int
    day: date
    lines: dict[str, list[Entry]]
    counters: dict[str, CounterState]
    recent: dict[str, list[float]] = field(default_factory=dict)
    last_transition: int = 0  # the last ticket transition the book has followed
    # Each group of linked lines' last projection ((day, services) → Replay): an issue appends to it instead of
    # replaying (services/lines.rank; a replay checks by itself that it still fits the lines).
    replays: dict[tuple, Replay] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LineReader:
    """The reads a view falls back on (the unit of work's repositories)."""

    waiting_entries: Callable[[date, Iterable[str] | None], dict[str, list[Entry]]]
    all_counters: Callable[[], dict[str, CounterState]]
    recent_service_seconds: Callable[[str, int], list[float]]


class LineView:
    """One transaction's view of the lines. With a `book` for the day asked about, nothing is read; otherwise a
    line is read from the database the first time it is asked for (that read already includes this transaction's
    writes), and later writes are applied to what was read."""

    def __init__(self, read: LineReader, book: LineBook | None = None) -> None:
        self.read, self.book = read, book
        self._lines: dict[tuple[date, str], list[Entry]] = {}
        self._counters: dict[str, CounterState] | None = dict(book.counters) if book else None
        self._recent: dict[str, list[float]] = dict(book.recent) if book else {}
        self.replays: dict[tuple, Replay] = dict(book.replays) if book else {}
        self.writes = 0  # how many writes were applied (a rolled-back savepoint with writes spoils the view)

    # ------------------------------------------------------------------ reads
    def waiting(self, day: date, services: Iterable[str]) -> dict[str, list[Entry]]:
        """The waiting entries of each service in call order (do not modify the lists)."""
        codes = list(dict.fromkeys(services))
        missing = [s for s in codes if (day, s) not in self._lines]
        if self.book is not None and self.book.day == day:
            for s in [s for s in missing if s in self.book.lines]:
                self._lines[(day, s)] = self.book.lines[s]
            missing = [s for s in missing if s not in self.book.lines]
        if missing:
            found = self.read.waiting_entries(day, missing)
            for s in missing:
                self._lines[(day, s)] = found.get(s, [])
        return {s: self._lines[(day, s)] for s in codes}

    def counters(self) -> dict[str, CounterState]:
        if self._counters is None:
            self._counters = self.read.all_counters()
        return self._counters

    def counter(self, code: str) -> CounterState:
        state = self.counters().get(code)
        return CounterState(code) if state is None else CounterState(
            state.code, state.status, state.priority_streak, state.clerk, state.updated_at)

    def recent_seconds(self, service: str, limit: int) -> list[float]:
        if service not in self._recent:
            self._recent[service] = self.read.recent_service_seconds(service, limit)
        return self._recent[service]

    # ------------------------------------------------------------------ writes of this transaction
    def ticket_written(self, ticket: Ticket) -> None:
        """Follow a ticket just inserted or updated: out of the line it waited in, into its line if it waits."""
        self.writes += 1
        day = ticket.local_date
        for service in {ticket.service, ticket.transferred_from} - {None}:
            line = self._own(day, service)  # type: ignore[arg-type]
            if line is not None:
                at = next((i for i, e in enumerate(line) if e[1] == ticket.number), None)
                if at is not None:
                    del line[at]
        if ticket.status is Status.WAITING:
            line = self._own(day, ticket.service)
            if line is not None:
                assert ticket.queued_at is not None
                bisect.insort(line, (ticket.queued_at, ticket.number, ticket.is_priority))
        if ticket.status is Status.DONE:
            self._recent.pop(ticket.service, None)  # a new service time: read the sample again when asked

    def counters_changed_elsewhere(self) -> None:
        """Another process may have changed any counter: read them all again when next asked."""
        self._counters = None

    def counter_written(self, state: CounterState) -> None:
        self.writes += 1
        if self._counters is not None:
            self._counters[state.code] = state

    def _own(self, day: date, service: str) -> list[Entry] | None:
        """The line of `service` to modify (copied from the book first), or None when it was never read and so
        will be read from the database, which holds the write already."""
        key = (day, service)
        if key not in self._lines:
            if self.book is None or self.book.day != day:
                return None
            # The book must hold every line it will be asked for later: read it now (the read already holds this
            # write; applying the write again is harmless: out by number, in at its place).
            self.waiting(day, [service])
        line = self._lines[key]
        if self.book is not None and line is self.book.lines.get(service):
            line = self._lines[key] = list(line)
        return line

    # ------------------------------------------------------------------ after commit
    def next_book(self, seq: int, day: date) -> LineBook | None:
        """The book after this transaction committed at `seq`: only a view that started from a book of `day` is
        complete enough to become the next one."""
        if self.book is None or self.book.day != day:
            return None
        lines = dict(self.book.lines)
        for (d, service), line in self._lines.items():
            if d == day:
                lines[service] = line
        return LineBook(seq, day, lines, self.counters(), self._recent, self.book.last_transition, self.replays)


def fresh_book(read: LineReader, seq: int, day: date, last_transition: int) -> LineBook:
    """A new book: the counters now (one query); each line is read when first asked for."""
    return LineBook(seq, day, {}, read.all_counters(), last_transition=last_transition)


def caught_up(book: LineBook, read: LineReader, changed: list[Ticket], seq: int, last_transition: int) -> LineBook:
    """`book` moved to `seq` by following the tickets another process changed (`changed`, as they are now) and
    reading the counters again: a few rows instead of every line."""
    view = LineView(read, book)
    for ticket in changed:
        view.ticket_written(ticket)
    view.counters_changed_elsewhere()
    moved = view.next_book(seq, book.day)
    assert moved is not None
    moved.last_transition = last_transition
    return moved
