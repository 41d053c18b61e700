"""Reads for the staffing planner (issue 15): a service's past tickets as (issued, started, finished) times."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from .tables import tickets


def visits(conn: Connection, tz: ZoneInfo, service: str, days: list[date]) -> list[tuple[datetime, datetime | None,
                                                                                        datetime | None]]:
    """Every ticket of `service` issued on `days`, in site time: (issued_at, started_at, finished_at)."""
    if not days:
        return []
    rows = conn.execute(select(tickets.c.issued_at, tickets.c.started_at, tickets.c.finished_at)
                        .where(tickets.c.service == service, tickets.c.local_date.in_(days)))
    return [(i.astimezone(tz), s and s.astimezone(tz), f and f.astimezone(tz)) for i, s, f in rows]
