"""Unit of work: one transaction, the repositories on it, and the events recorded; commit stamps `seq`."""

from __future__ import annotations

import dataclasses
import weakref
from types import TracebackType
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine

from ..domain.events import Event
from . import event_log
from .accounts_repo import AccountRepository
from .audit_repo import AuditRepository
from .line_book import LineBook, LineReader, LineView
from .site_repo import SiteRepository
from .state_repo import StateRepository
from .tickets_repo import TicketRepository


class UnitOfWork:
    """`with UnitOfWork(engine, tz) as uow: ...; events = uow.commit()` — rolled back unless committed."""

    conn: Connection
    tickets: TicketRepository
    state: StateRepository
    accounts: AccountRepository
    audit: AuditRepository
    site: SiteRepository
    view: LineView
    # False: no screen will show this transaction's events (demo-data writing history, services/day_batch.py), so
    # the use cases leave out what events carry only for screens: ranked lines, estimates, loket tiles.
    for_screens = True

    def __init__(self, engine: Engine, tz: ZoneInfo, book: LineBook | None = None,
                 conn: Connection | None = None) -> None:
        """`conn`: a connection the caller keeps open between units of work (the group-commit writer's)."""
        self.engine, self.tz, self.book, self._kept = engine, tz, book, conn
        self.events: list[Event] = []

    def __enter__(self) -> UnitOfWork:
        self.conn = self._kept if self._kept is not None else self.engine.connect()
        self._tx = self.conn.begin()
        # The repositories reach the current view through a weak reference: a strong one (uow -> repository ->
        # callback -> uow) made every transaction a reference cycle, so its ranked lines and projections waited for
        # the cyclic GC, whose passes then freed ~45,000 objects at once (5-35 ms: call-next's p99, issue 11).
        me = weakref.proxy(self)
        self.tickets = TicketRepository(self.conn, self.tz, lambda t: me.view.ticket_written(t),
                                        lambda code, t: me.view.visit_seen(code, t))
        self.state = StateRepository(self.conn, lambda c: me.view.counter_written(c))
        self.view = LineView(self._reader(), self.book)
        self.accounts = AccountRepository(self.conn)
        self.audit = AuditRepository(self.conn)
        self.site = SiteRepository(self.conn)
        self.events = []
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._tx.is_active:
            self._tx.rollback()
        if self._kept is None:
            self.conn.close()

    def start_view(self, book: LineBook | None) -> None:
        """Rank from `book` (current for this transaction) from now on, or read lines from the database (None)."""
        self.view = LineView(self._reader(), book)

    def _reader(self) -> LineReader:
        return LineReader(self.tickets.waiting_entries, self.state.all_counters, self.tickets.ended_calls,
                          self.tickets.current_visits)

    def record(self, event: Event) -> None:
        self.events.append(event)

    def commit(self) -> list[Event]:
        """Commit; events get consecutive site-wide `seq` numbers taken inside the same transaction. A site on a
        message queue logs them (issue 16): on PostgreSQL right after the commit, on a connection of its own — the
        log rows carry whole lines, and writing them while the `seq` row is locked kept the other processes waiting
        (storage/event_log.py) — on SQLite, whose one writer no other process waits for, inside it (no second fsync)."""
        after = False
        if self.events:
            last = self.state.advance_seq(len(self.events))
            first = last - len(self.events) + 1
            self.events = [dataclasses.replace(e, seq=first + i) for i, e in enumerate(self.events)]
            after = self.conn.dialect.name == "postgresql"
            if not after:
                event_log.append(self.conn, self.engine, self.events)
        self._tx.commit()
        if after:
            event_log.append_committed(self.engine, self.events)
        return self.events
