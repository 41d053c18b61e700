"""What ranking a line needs — each service's waiting tickets in call order, every counter's state and current
visit, the recent calls' times — read once and then followed through the transaction's own writes instead of re-read
per event.

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
from typing import Any

from ..domain.counter import CounterState
from ..domain.eta import Call
from ..domain.projection import Replay
from ..domain.ticket import Status, Ticket

# A waiting ticket as ranking sees it, ordered as the counters call: (queued_at, number, is priority).
Entry = tuple[datetime, str, bool]
# A loket's current visit: the ticket it has called or serves, and when it was called.
Visit = tuple[str, datetime]


@dataclass
class LineBook:
    """Today's waiting lines, counter states and recent service times, as of `seq`. A service missing from
    `lines` or `recent` was not read yet (it is read when first asked for), not empty."""

    seq: int
    day: date
    lines: dict[str, list[Entry]]
    counters: dict[str, CounterState]
    recent: dict[str, list[Call]] = field(default_factory=dict)
    digests: dict[str, dict[str, Any]] = field(default_factory=dict)  # what was computed from `recent` (LineView)
    last_transition: int = 0  # the last ticket transition the book has followed
    # Each loket's current visit (None: it has no ticket now); a loket missing is unknown (the estimate guesses),
    # unless `visits_read`: then the book read them all, and a loket missing has never called today.
    visits: dict[str, Visit | None] = field(default_factory=dict)
    visits_read: bool = False
    # Each group of linked lines' last projection ((day, services) → Replay): an issue appends to it instead of
    # replaying (services/lines.rank; a replay checks by itself that it still fits the lines).
    replays: dict[tuple, Replay] = field(default_factory=dict)
    recent_limit: int = 0  # how many recent calls `recent` holds per service when it has that many (0: not asked)


@dataclass(frozen=True, slots=True)
class LineReader:
    """The reads a view falls back on (the unit of work's repositories)."""

    waiting_entries: Callable[[date, Iterable[str] | None], dict[str, list[Entry]]]
    all_counters: Callable[[], dict[str, CounterState]]
    ended_calls: Callable[[str, int], list[Call]]
    current_visits: Callable[[date], dict[str, Visit]] | None = None  # every busy loket's visit (a fresh book)


class LineView:
    """One transaction's view of the lines. With a `book` for the day asked about, nothing is read; otherwise a
    line is read from the database the first time it is asked for (that read already includes this transaction's
    writes), and later writes are applied to what was read."""

    def __init__(self, read: LineReader, book: LineBook | None = None) -> None:
        self.read, self.book = read, book
        self._lines: dict[tuple[date, str], list[Entry]] = {}
        self._counters: dict[str, CounterState] | None = dict(book.counters) if book else None
        self._recent: dict[str, list[Call]] = dict(book.recent) if book else {}
        self._digests: dict[str, dict[str, Any]] = dict(book.digests) if book else {}
        self._limit = book.recent_limit if book else 0  # how many recent calls are asked for (the site's)
        self._visits: dict[str, Visit | None] = dict(book.visits) if book else {}
        self._visits_read = book.visits_read if book else False
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

    def visits(self, day: date | None = None) -> dict[str, Visit | None]:
        """The lokets' current visits known to this view: read with the book (or now, for `day`, when the view has
        no book: one query), then followed from the tickets written (a call makes one, a finish, skip or transfer
        ends it) and the lokets' tiles read; a loket missing is unknown."""
        if day is not None and not self._visits_read and self.read.current_visits is not None:
            busy = self.read.current_visits(day)
            self._visits = {code: busy.get(code) for code in {*self.counters(), *busy}}
            self._visits_read = True
        return self._visits

    def visit_seen(self, code: str, ticket: Ticket | None) -> None:
        """A loket's current ticket (None: it has none), read by the use case at it."""
        self._visits[code] = (ticket.number, ticket.called_at) if ticket and ticket.called_at else None

    def recent_calls(self, service: str, limit: int) -> list[Call]:
        """The service's last `limit` calls that ended (`limit` is the same for every ask: the site's)."""
        if service not in self._recent:
            self._recent[service] = self.read.ended_calls(service, limit)
        self._limit = limit
        return self._recent[service]

    def digest(self, service: str, limit: int, name: str, compute: Callable[[list[Call]], Any]) -> Any:
        """`compute` of the service's recent calls (`recent_calls`), kept with them until a call of the service
        ends: the typical times are not worked out again at every event."""
        kept = self._digests.setdefault(service, {})
        if name not in kept:
            kept[name] = compute(self.recent_calls(service, limit))
        return kept[name]

    # ------------------------------------------------------------------ writes of this transaction
    def ticket_written(self, ticket: Ticket) -> None:
        """Follow a ticket just inserted or updated: out of the line it waited in, into its line if it waits."""
        self.writes += 1
        day = ticket.local_date
        assert ticket.queued_at is not None
        entry = (ticket.queued_at, ticket.number, ticket.is_priority)  # the same all its life (transfers keep it)
        for service in {ticket.service, ticket.transferred_from} - {None}:
            line = self._own(day, service)  # type: ignore[arg-type]
            if line is not None:
                _remove(line, entry)
        if ticket.status is Status.WAITING:
            line = self._own(day, ticket.service)
            if line is not None:
                bisect.insort(line, entry)
        if ticket.status in (Status.DONE, Status.SKIPPED):
            self._call_ended(ticket)
        self._follow_visit(ticket)

    def _call_ended(self, ticket: Ticket) -> None:
        """A call of the ticket's service ended: it is the newest of the service's recent calls, in front of those
        kept (as `ended_calls` would read them: one read less per finish or skip); its digests are worked out again."""
        self._digests.pop(ticket.service, None)
        kept, ended = self._recent.get(ticket.service), ticket.finished_at or ticket.skipped_at
        if kept is None or not self._limit or ticket.called_at is None or ended is None:
            self._recent.pop(ticket.service, None)  # read again when asked
            return
        call = (ticket.counter, (ended - ticket.called_at).total_seconds(), ticket.status is Status.SKIPPED)
        self._recent[ticket.service] = [call, *kept][:self._limit]

    def _follow_visit(self, ticket: Ticket) -> None:
        if ticket.version == 0:  # just issued: no loket has it (the search below is for transfers and cancels)
            return
        if ticket.status in (Status.CALLED, Status.SERVING) and ticket.counter and ticket.called_at:
            self._visits[ticket.counter] = (ticket.number, ticket.called_at)
            return
        if ticket.counter:  # finished or skipped there: its loket is free (it has one ticket at a time), unless
            visit = self._visits.get(ticket.counter)  # it has called another since (followed out of order)
            if visit is None or visit[0] == ticket.number:
                self._visits[ticket.counter] = None
        for code, visit in self._visits.items():  # a transfer or a cancel clears the counter: find it by number
            if visit is not None and visit[0] == ticket.number:
                self._visits[code] = None

    def counters_changed_elsewhere(self) -> None:
        """Another process may have changed any counter: read them all again when next asked."""
        self._counters = None

    def counter_written(self, state: CounterState) -> None:
        self.writes += 1
        if self._visits_read:  # a loket opened for the first time today has no visit yet
            self._visits.setdefault(state.code, None)
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
        return LineBook(seq, day, lines, self.counters(), self._recent, self._digests, self.book.last_transition,
                        self._visits, self._visits_read, self.replays, self._limit)


def _remove(line: list[Entry], entry: Entry) -> None:
    """Take a ticket's entry out of a line: found where it sorts, instead of searching a line of a thousand per
    write (a called, finished or skipped ticket is in no line: it would be read to the end). Among entries queued at
    the same moment it is also looked for by number: the database may order their numbers differently (collation)."""
    at = bisect.bisect_left(line, entry)
    if at < len(line) and line[at][1] == entry[1]:
        del line[at]
        return
    k = bisect.bisect_left(line, (entry[0],))
    while k < len(line) and line[k][0] == entry[0]:
        if line[k][1] == entry[1]:
            del line[k]
            return
        k += 1


def fresh_book(read: LineReader, seq: int, day: date, last_transition: int) -> LineBook:
    """A new book: the counters now and their current visits (a query each); each line is read when first asked
    for."""
    counters = read.all_counters()
    busy = read.current_visits(day) if read.current_visits else None
    visits = {} if busy is None else {code: busy.get(code) for code in {*counters, *busy}}
    return LineBook(seq, day, {}, counters, last_transition=last_transition, visits=visits,
                    visits_read=busy is not None)


def caught_up(book: LineBook, read: LineReader, changed: list[Ticket], seq: int, last_transition: int) -> LineBook:
    """`book` moved to `seq` by following the tickets another process changed (`changed`, as they are now) and
    reading the counters again: a few rows instead of every line."""
    view = LineView(read, book)
    # the tickets a loket called or serves last: after the one it finished before them
    for ticket in sorted(changed, key=lambda t: t.status in (Status.CALLED, Status.SERVING)):
        view.ticket_written(ticket)
    view.counters_changed_elsewhere()
    moved = view.next_book(seq, book.day)
    assert moved is not None
    moved.last_transition = last_transition
    return moved
