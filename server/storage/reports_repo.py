"""Reads for the reports (issue 13): SQL aggregates of a period's tickets and bookings, and the raw tickets of a
period as a stream. Read-only; works on SQLite and PostgreSQL.

Times are read as whole epoch seconds computed by the database, so a year of tickets is never turned into
Python datetimes. A ticket's *first* call comes from its history only when it was recalled or transferred (then
`called_at` no longer holds the first call); the other tickets read `called_at` directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, cast, exists, func, literal, or_, select
from sqlalchemy.sql.expression import Select
from sqlalchemy.types import BigInteger, Integer

from ..domain.report_figures import Bookings, ClerkDay, TicketRecord
from .booking_tables import bookings
from .tables import ticket_transitions, tickets

t = tickets.alias("t")
tt = ticket_transitions.alias("tt")
STREAM_ROWS = 2000  # rows fetched at a time by the CSV export (memory stays flat as the period grows)


@dataclass(frozen=True, slots=True)
class Filter:
    """Which tickets a report reads: a period of local days and, optionally, services, one counter, one clerk.
    `services` None = every service (an admin's whole site, retired services included)."""

    start: date
    end: date
    services: tuple[str, ...] | None = None
    counter: str | None = None
    clerk: str | None = None


class ReportsRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"

    # ------------------------------------------------------------------ dialect pieces
    def _epoch(self, col: Any) -> ColumnElement[Any]:
        if self.pg:
            return cast(func.floor(func.extract("epoch", col)), BigInteger)
        return cast(func.strftime("%s", col), Integer)

    def _local_hour(self, col: Any, offset_s: int) -> ColumnElement[Any]:
        minutes = offset_s // 60
        if self.pg:
            return cast(func.extract("hour", col + func.make_interval(0, 0, 0, 0, 0, minutes)), Integer)
        return cast(func.strftime("%H", col, f"{minutes:+d} minutes"), Integer)

    def _weekday(self, col: Any) -> ColumnElement[Any]:
        """0 = Sunday … 6 = Saturday on both databases."""
        if self.pg:
            return cast(func.extract("dow", col), Integer)
        return cast(func.strftime("%w", col), Integer)

    def _first_call(self) -> ColumnElement[Any]:
        history = select(func.min(tt.c.at)).where(tt.c.ticket_id == t.c.id, tt.c.action == "call")
        plain = and_(t.c.recalls == 0, t.c.transferred_from.is_(None))
        return case((plain, t.c.called_at), else_=history.scalar_subquery())

    def _expired(self) -> ColumnElement[Any]:
        closed = exists().where(tt.c.ticket_id == t.c.id, tt.c.action == "expire")
        return and_(t.c.status == "cancelled", closed)

    def _where(self, q: Select[Any], f: Filter) -> Select[Any]:
        q = q.where(t.c.local_date >= f.start, t.c.local_date <= f.end)
        if f.services is not None:
            q = q.where(t.c.service.in_(f.services))
        if f.counter is not None:
            q = q.where(t.c.counter == f.counter)
        if f.clerk is not None:
            q = q.where(t.c.clerk == f.clerk)
        return q

    def _wait(self) -> ColumnElement[Any]:
        return self._epoch(self._first_call()) - self._epoch(t.c.issued_at)

    # ------------------------------------------------------------------ aggregates
    def by_day_service(self, f: Filter, targets: dict[str, int]) -> list[tuple[Any, ...]]:
        """Per (local day, service): issued, served, skipped, cancelled, expired, transferred, the sum and count of
        waits, and how many waits were within the service's target (`targets`: service → seconds)."""
        wait = self._wait()
        default = max(targets.values(), default=0)
        target = case(*((t.c.service == code, literal(secs)) for code, secs in targets.items()), else_=default) \
            if targets else literal(default)
        expired = self._expired()
        q = select(
            t.c.local_date, t.c.service, func.count(),
            func.count(t.c.finished_at), func.count(t.c.skipped_at),
            func.sum(case((and_(t.c.status == "cancelled", ~expired), 1), else_=0)),
            func.sum(case((expired, 1), else_=0)),
            func.count(t.c.transferred_from),
            func.sum(wait), func.count(wait), func.sum(case((wait <= target, 1), else_=0)),
        ).select_from(t).group_by(t.c.local_date, t.c.service)
        return [tuple(r) for r in self.conn.execute(self._where(q, f))]

    def arrivals(self, f: Filter, offset_s: int) -> list[tuple[int, int, int]]:
        """(weekday 0 = Sunday, local hour, arrivals) of the period."""
        weekday, hour = self._weekday(t.c.local_date), self._local_hour(t.c.issued_at, offset_s)
        q = select(weekday, hour, func.count()).select_from(t).group_by(weekday, hour)
        return [(int(w), int(h), int(n)) for w, h, n in self.conn.execute(self._where(q, f))]

    def durations(self, f: Filter) -> tuple[list[int], list[int]]:
        """Every wait (issued → first call) and every service time (start → finish) of the period, in seconds."""
        wait = self._wait()
        service = self._epoch(t.c.finished_at) - self._epoch(t.c.started_at)
        q = self._where(select(wait, service).select_from(t).where(
            or_(t.c.called_at.is_not(None), t.c.recalls > 0, t.c.transferred_from.is_not(None))), f)
        waits, services = [], []
        for w, s in self.conn.execute(q):
            if w is not None:
                waits.append(int(w))
            if s is not None:
                services.append(int(s))
        return waits, services

    def clerk_days(self, f: Filter) -> list[ClerkDay]:
        """Per clerk and day: first call → end of their last ticket, seconds serving, served and timed tickets."""
        first = self._epoch(self._first_call())
        finished, started = self._epoch(t.c.finished_at), self._epoch(t.c.started_at)
        end = func.coalesce(finished, self._epoch(t.c.skipped_at), first)
        q = select(t.c.clerk, t.c.local_date, func.min(first), func.max(end), func.sum(finished - started),
                   func.count(t.c.finished_at), func.count(finished - started)
                   ).select_from(t).where(t.c.clerk.is_not(None)).group_by(t.c.clerk, t.c.local_date)
        rows = self.conn.execute(self._where(q, f).having(func.min(first).is_not(None)))
        return [ClerkDay(clerk, _day(day), int(hi - lo), int(busy or 0), int(served), int(timed))
                for clerk, day, lo, hi, busy, served, timed in rows]

    def bookings(self, start: date, end: date, services: tuple[str, ...] | None, now: datetime) -> Bookings:
        """Bookings for days of the period: made, checked in, no-show (never came), cancelled."""
        b = bookings
        overdue = or_(b.c.status == "expired", and_(b.c.status == "booked", b.c.expires_at <= now))
        q = select(func.count(), func.sum(case((b.c.status == "checked_in", 1), else_=0)),
                   func.sum(case((overdue, 1), else_=0)), func.sum(case((b.c.status == "cancelled", 1), else_=0))
                   ).where(b.c.local_date >= start, b.c.local_date <= end)
        if services is not None:
            q = q.where(b.c.service.in_(services))
        made, checked, no_show, cancelled = self.conn.execute(q).one()
        return Bookings(int(made or 0), int(checked or 0), int(no_show or 0), int(cancelled or 0))

    # ------------------------------------------------------------------ raw tickets
    def records(self, f: Filter) -> Iterator[TicketRecord]:
        """The period's tickets one by one in (day, issue time) order, fetched a few thousand rows at a time."""
        e = self._epoch
        q = self._where(select(
            t.c.number, t.c.local_date, t.c.service, t.c.status, t.c.priority, e(t.c.issued_at),
            e(self._first_call()), e(t.c.started_at), e(t.c.finished_at), e(t.c.skipped_at), e(t.c.cancelled_at),
            self._expired(), t.c.transferred_from, t.c.counter, t.c.clerk,
        ).select_from(t), f).order_by(t.c.local_date, t.c.issued_at, t.c.id)
        result = self.conn.execution_options(stream_results=True, yield_per=STREAM_ROWS).execute(q)
        for r in result:
            yield TicketRecord(r[0], _day(r[1]), r[2], r[3], r[4], int(r[5]), *(_int(v) for v in r[6:11]),
                               bool(r[11]), r[12], r[13], r[14])


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
