"""Per-day rollups of the report facts (issue 13, Alembic 0010), so a year's counts, hour × weekday arrivals and
clerk days are summed from a few thousand rows instead of re-reading every ticket's facts.

`report_hours` holds each (day, service, local hour of issue)'s counts and wait sum; `report_clerks` each (day,
service, clerk)'s first call, end of work and service seconds. Both are rebuilt with the facts of their days
(ReportsRepository.rebuild) and read only when a report is not narrowed to one counter or one clerk (the facts
answer those). Waiting and service time percentiles still read each ticket's seconds: an exact median needs them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    Integer,
    SmallInteger,
    String,
    Table,
    func,
    select,
)
from sqlalchemy.sql.expression import Select

from ..domain.report_figures import ClerkDay
from .tables import metadata

report_hours = Table(
    "report_hours", metadata,
    Column("local_date", Date, primary_key=True),
    Column("service", String(32), primary_key=True),
    Column("hour", SmallInteger, primary_key=True),  # site-local hour of issue
    Column("weekday", SmallInteger, nullable=False),  # 0 = Monday
    Column("issued", Integer, nullable=False),
    Column("served", Integer, nullable=False),
    Column("skipped", Integer, nullable=False),
    Column("cancelled", Integer, nullable=False),
    Column("expired", Integer, nullable=False),
    Column("transferred", Integer, nullable=False),
    Column("wait_sum", BigInteger, nullable=False),
    Column("wait_n", Integer, nullable=False),
    sqlite_with_rowid=False,
)
report_clerks = Table(
    "report_clerks", metadata,
    Column("local_date", Date, primary_key=True),
    Column("service", String(32), primary_key=True),
    Column("clerk", String(64), primary_key=True),
    Column("first_call_s", BigInteger, nullable=False),
    Column("end_s", BigInteger, nullable=False),
    Column("service_sum", BigInteger),  # NULL: none of its tickets was started
    Column("served", Integer, nullable=False),
    Column("timed", Integer, nullable=False),
    sqlite_with_rowid=False,
)
h, c = report_hours, report_clerks


def rebuild_rollups(conn: Connection, facts: Table, days: list[date]) -> None:
    """Recompute the rollups of `days` from their facts (inside the caller's write transaction)."""
    r = facts
    conn.execute(h.delete().where(h.c.local_date.in_(days)))
    conn.execute(c.delete().where(c.c.local_date.in_(days)))
    conn.execute(h.insert().from_select(
        [col.name for col in h.columns],
        select(r.c.local_date, r.c.service, r.c.hour, func.min(r.c.weekday), func.count(), func.sum(r.c.served),
               func.sum(r.c.skipped), func.sum(r.c.cancelled), func.sum(r.c.expired), func.sum(r.c.transferred),
               func.coalesce(func.sum(r.c.wait_s), 0), func.count(r.c.wait_s))
        .where(r.c.local_date.in_(days)).group_by(r.c.local_date, r.c.service, r.c.hour)))
    conn.execute(c.insert().from_select(
        [col.name for col in c.columns],
        select(r.c.local_date, r.c.service, r.c.clerk, func.min(r.c.first_call_s), func.max(r.c.end_s),
               func.sum(r.c.service_s), func.sum(r.c.served), func.count(r.c.service_s))
        .where(r.c.local_date.in_(days), r.c.clerk.is_not(None), r.c.first_call_s.is_not(None))
        .group_by(r.c.local_date, r.c.service, r.c.clerk)))


def _period(q: Select[Any], table: Table, start: date, end: date, services: tuple[str, ...] | None) -> Select[Any]:
    q = q.where(table.c.local_date >= start, table.c.local_date <= end)
    return q if services is None else q.where(table.c.service.in_(services))


def by_day_service(conn: Connection, start: date, end: date,
                   services: tuple[str, ...] | None) -> list[tuple[Any, ...]]:
    """Per (local day, service): issued, served, skipped, cancelled, expired, transferred, wait sum, wait count."""
    q = select(h.c.local_date, h.c.service, *(func.sum(h.c[k]) for k in (
        "issued", "served", "skipped", "cancelled", "expired", "transferred", "wait_sum", "wait_n"))
    ).group_by(h.c.local_date, h.c.service)
    return [tuple(row) for row in conn.execute(_period(q, h, start, end, services))]


def arrivals(conn: Connection, start: date, end: date, services: tuple[str, ...] | None) -> list[tuple[int, int, int]]:
    """(weekday 0 = Monday, local hour, arrivals) of the period."""
    q = select(h.c.weekday, h.c.hour, func.sum(h.c.issued)).group_by(h.c.weekday, h.c.hour)
    return [(int(w), int(hr), int(n)) for w, hr, n in conn.execute(_period(q, h, start, end, services))]


def clerk_days(conn: Connection, start: date, end: date, services: tuple[str, ...] | None,
               as_day: Any) -> list[ClerkDay]:
    """Per clerk and day: first call → end of their last ticket, seconds serving, served and timed tickets."""
    q = select(c.c.clerk, c.c.local_date, func.min(c.c.first_call_s), func.max(c.c.end_s), func.sum(c.c.service_sum),
               func.sum(c.c.served), func.sum(c.c.timed)).group_by(c.c.clerk, c.c.local_date)
    return [ClerkDay(clerk, as_day(day), int(hi - lo), int(busy or 0), int(served), int(timed), int(hi))
            for clerk, day, lo, hi, busy, served, timed in conn.execute(_period(q, c, start, end, services))]
