"""Reads for the reports (issue 13): the report facts (one row of whole-second figures per ticket, rebuilt from the
tickets for days not yet final) and SQL aggregates over them, bookings counts, and the raw tickets of a period as a
stream. Works on SQLite and PostgreSQL.

Times are turned into whole epoch seconds by the database, so a year of tickets is never turned into Python
datetimes. A ticket's *first* call comes from its history only when it was recalled or transferred (then
`called_at` no longer holds the first call); the other tickets read `called_at` directly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Connection,
    Date,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.sql.expression import Select

from ..domain.report_figures import Bookings, ClerkDay, CounterLogEntry, TicketRecord
from .booking_tables import bookings
from .reports_rollup import rebuild_rollups
from .tables import UTCDateTime, metadata, ticket_transitions, tickets

# Derived data (Alembic 0006): one row of whole-second figures per ticket, and which days are in it.
report_tickets = Table(
    "report_tickets", metadata,
    Column("local_date", Date, primary_key=True),
    Column("service", String(32), primary_key=True),
    Column("ticket_id", Integer, primary_key=True, autoincrement=False),
    Column("counter", String(32)),
    Column("clerk", String(64)),
    Column("weekday", SmallInteger, nullable=False),  # 0 = Monday, of the site-local day
    Column("hour", SmallInteger, nullable=False),  # site-local hour of issue
    Column("issued_s", BigInteger, nullable=False),
    Column("first_call_s", BigInteger),
    Column("end_s", BigInteger),  # finish, else skip, else first call: where the clerk's work on it ended
    Column("wait_s", Integer),  # issued → first call
    Column("service_s", Integer),  # start → finish
    Column("served", SmallInteger, nullable=False),
    Column("skipped", SmallInteger, nullable=False),
    Column("cancelled", SmallInteger, nullable=False),
    Column("expired", SmallInteger, nullable=False),
    Column("transferred", SmallInteger, nullable=False),
    # The durations pass reads only these: a third of the row's width to scan (Alembic 0010)
    Index("ix_report_tickets_durations", "local_date", "service", "wait_s", "service_s"),
    sqlite_with_rowid=False,  # clustered by (day, service): a period is read as one range
)
report_days = Table(
    "report_days", metadata,
    Column("local_date", Date, primary_key=True),
    Column("final", Boolean, nullable=False),  # a closed past day: its facts never change again
)
counter_log = Table(  # when each counter was opened, paused and closed, and by whom (Alembic 0006)
    "counter_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("local_date", Date, nullable=False),
    Column("counter", String(32), nullable=False),
    Column("clerk", String(64)),
    Column("status", String(16), nullable=False),
    Index("ix_counter_log_day_counter", "local_date", "counter"),
)
FACT_COLUMNS = ["ticket_id", "local_date", "service", "counter", "clerk", "weekday", "hour", "issued_s", "first_call_s",
                "end_s", "wait_s", "service_s", "served", "skipped", "cancelled", "expired", "transferred"]
ACTIVE = ("waiting", "called", "serving", "skipped")  # a day with these tickets is not over yet

t = tickets.alias("t")
r = report_tickets
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

    def facts_select(self, days: list[date], offset_s: int) -> Select[Any]:
        """Each ticket of `days` as whole-second figures (the columns of `report_tickets`)."""
        e = self._epoch
        first, issued = e(self._first_call()), e(t.c.issued_at)
        finished, started, expired = e(t.c.finished_at), e(t.c.started_at), self._expired()

        def flag(cond: Any) -> ColumnElement[Any]:
            return case((cond, 1), else_=0)

        return select(
            t.c.id, t.c.local_date, t.c.service, t.c.counter, t.c.clerk, (self._weekday(t.c.local_date) + 6) % 7,
            self._local_hour(t.c.issued_at, offset_s), issued, first,
            func.coalesce(finished, e(t.c.skipped_at), first), first - issued, finished - started,
            flag(t.c.finished_at.is_not(None)), flag(t.c.skipped_at.is_not(None)),
            flag(and_(t.c.status == "cancelled", ~expired)), flag(expired), flag(t.c.transferred_from.is_not(None)),
        ).select_from(t).where(t.c.local_date.in_(days))

    def final_days(self, start: date, end: date) -> set[date]:
        q = select(report_days.c.local_date).where(report_days.c.local_date >= start,
                                                   report_days.c.local_date <= end, report_days.c.final)
        return {as_day(d) for (d,) in self.conn.execute(q)}

    def rebuild(self, days: list[date], today: date, offset_s: int) -> None:
        """Recompute the facts of `days` (inside the caller's write transaction); a past day whose tickets are all
        closed is final and never recomputed again."""
        rt = report_tickets
        self.conn.execute(rt.delete().where(rt.c.local_date.in_(days)))
        self.conn.execute(rt.insert().from_select(FACT_COLUMNS, self.facts_select(days, offset_s)))
        open_days = {as_day(d) for (d,) in self.conn.execute(select(t.c.local_date).where(
            t.c.local_date.in_(days), t.c.status.in_(ACTIVE)).distinct())}
        rebuild_rollups(self.conn, rt, days)
        self.conn.execute(report_days.delete().where(report_days.c.local_date.in_(days)))
        self.conn.execute(report_days.insert(), [{"local_date": d, "final": d < today and d not in open_days}
                                                 for d in days])

    # ------------------------------------------------------------------ aggregates (over the facts)
    def _facts(self, q: Select[Any], f: Filter) -> Select[Any]:
        q = q.where(r.c.local_date >= f.start, r.c.local_date <= f.end)
        if f.services is not None:
            q = q.where(r.c.service.in_(f.services))
        if f.counter is not None:
            q = q.where(r.c.counter == f.counter)
        if f.clerk is not None:
            q = q.where(r.c.clerk == f.clerk)
        return q

    def by_day_service(self, f: Filter) -> list[tuple[Any, ...]]:
        """Per (local day, service): issued, served, skipped, cancelled, expired, transferred, the sum and count of
        waits (a whole site or agency reads the rollup instead: reports_rollup.by_day_service)."""
        q = select(
            r.c.local_date, r.c.service, func.count(), func.sum(r.c.served), func.sum(r.c.skipped),
            func.sum(r.c.cancelled), func.sum(r.c.expired), func.sum(r.c.transferred),
            func.coalesce(func.sum(r.c.wait_s), 0), func.count(r.c.wait_s),
        ).group_by(r.c.local_date, r.c.service)
        return [tuple(row) for row in self.conn.execute(self._facts(q, f))]

    def arrivals(self, f: Filter) -> list[tuple[int, int, int]]:
        """(weekday 0 = Monday, local hour, arrivals) of the period."""
        q = select(r.c.weekday, r.c.hour, func.count()).group_by(r.c.weekday, r.c.hour)
        return [(int(w), int(h), int(n)) for w, h, n in self.conn.execute(self._facts(q, f))]

    def durations(self, f: Filter, targets: dict[str, int]) -> tuple[Counter[int], Counter[int], Counter[str]]:
        """How many tickets waited (issued → first call) and were served (start → finish) each number of seconds —
        the distributions in one pass over the facts, without a sort in the database — and per service how many
        waits were within its target (`targets`: service → seconds; a service no longer on the site has the most
        common one)."""
        # One branch per distinct target (most services share the site's), not one per service: cheaper per row.
        by_target: dict[int, list[str]] = {}
        for code, secs in targets.items():
            by_target.setdefault(secs, []).append(code)
        common = max(by_target, key=lambda secs: len(by_target[secs]), default=0)
        branches = [(r.c.service.in_(codes), literal(secs)) for secs, codes in by_target.items() if secs != common]
        target = case(*branches, else_=literal(common)) if branches else literal(common)
        # Each (day, service)'s seconds as one comma-separated text, in the facts' own order (no sort): a year is a
        # few thousand strings split and counted at C speed (as text; only the distinct values become numbers),
        # not 300,000 rows made into Python tuples one by one.
        q = select(r.c.service, self._joined(r.c.wait_s), self._joined(r.c.service_s),
                   func.sum(case((r.c.wait_s <= target, 1), else_=0))).group_by(r.c.local_date, r.c.service)
        waits: Counter[str] = Counter()
        services: Counter[str] = Counter()
        within: Counter[str] = Counter()
        for code, wait_text, service_text, ok in self.conn.execute(self._facts(q, f)):
            if wait_text:
                waits.update(wait_text.split(","))
                within[code] += int(ok)
            if service_text:
                services.update(service_text.split(","))
        return _numbers(waits), _numbers(services), within

    def _joined(self, col: Any) -> ColumnElement[Any]:
        """The column's non-NULL values of a group as 'v1,v2,…' (NULL when none)."""
        if self.pg:
            return func.string_agg(cast(col, String), ",")
        return func.group_concat(col, ",")

    def forget(self, start: date, end: date) -> None:
        """Drop the facts of a period (they are rebuilt by the next report): for history written after the fact."""
        self.conn.execute(report_days.delete().where(report_days.c.local_date >= start,
                                                     report_days.c.local_date <= end))

    def clerk_days(self, f: Filter) -> list[ClerkDay]:
        """Per clerk and day: first call → end of their last ticket, seconds serving, served and timed tickets."""
        q = select(r.c.clerk, r.c.local_date, func.min(r.c.first_call_s), func.max(r.c.end_s),
                   func.sum(r.c.service_s), func.sum(r.c.served), func.count(r.c.service_s)
                   ).where(r.c.clerk.is_not(None), r.c.first_call_s.is_not(None)).group_by(r.c.clerk, r.c.local_date)
        return [ClerkDay(clerk, as_day(day), int(hi - lo), int(busy or 0), int(served), int(timed), int(hi))
                for clerk, day, lo, hi, busy, served, timed in self.conn.execute(self._facts(q, f))]

    # ------------------------------------------------------------------ the counters' log
    def log_counters(self, rows: list[dict[str, Any]]) -> None:
        """Append entries {"at", "local_date", "counter", "clerk", "status"} to the counters' log."""
        self.conn.execute(counter_log.insert(), rows)

    def counter_log(self, f: Filter) -> list[CounterLogEntry]:
        """The log entries of the period (of one counter when the filter names one), oldest first."""
        c = counter_log.c
        q = select(c.counter, c.clerk, c.local_date, self._epoch(c.at), c.status).where(
            c.local_date >= f.start, c.local_date <= f.end).order_by(c.counter, c.at, c.id)
        if f.counter is not None:
            q = q.where(c.counter == f.counter)
        return [CounterLogEntry(counter, clerk, as_day(day), int(at), status)
                for counter, clerk, day, at, status in self.conn.execute(q)]

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
            yield TicketRecord(r[0], as_day(r[1]), r[2], r[3], r[4], int(r[5]), *(_int(v) for v in r[6:11]),
                               bool(r[11]), r[12], r[13], r[14])


def _numbers(counts: Counter[str]) -> Counter[int]:
    return Counter({int(value): n for value, n in counts.items()})


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def as_day(value: Any) -> date:
    """A date as the database gives it back (SQLite: an ISO string in raw SQL results)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))

