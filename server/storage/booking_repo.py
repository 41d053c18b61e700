"""Booking repository: bookings and the per-session quota counters, on the unit of work's connection.

The quota rule lives in one statement: `UPDATE booking_slots SET taken = taken + 1 WHERE … AND taken < quota`.
PostgreSQL row-locks the counter row, SQLite's BEGIN IMMEDIATE serialises writers, so under any burst of
concurrent requests a session never gives out more places than its quota.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, and_, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.booking import Booking, BookingStatus
from .booking_tables import booking_slots, bookings

_FIELDS = ("code", "service", "local_date", "session", "name", "nik_hmac", "nik_last4", "phone", "priority",
           "created_at", "expires_at", "checked_in_at", "cancelled_at", "checked_in_by", "ticket_id")
_TIMES = ("created_at", "expires_at", "checked_in_at", "cancelled_at")


class BookingRepository:
    def __init__(self, conn: Connection, tz: ZoneInfo) -> None:
        self.conn, self.tz = conn, tz

    # ------------------------------------------------------------------ mapping
    def _to_booking(self, row: Any) -> Booking:
        m = row._mapping
        values = {k: m[k] for k in _FIELDS}
        for k in _TIMES:
            values[k] = m[k].astimezone(self.tz) if m[k] is not None else None
        return Booking(**values, status=BookingStatus(m["status"]), id=m["id"])

    def _values(self, b: Booking) -> dict[str, Any]:
        return {k: getattr(b, k) for k in _FIELDS} | {"status": b.status.value}

    # ------------------------------------------------------------------ bookings
    def add(self, b: Booking) -> None:
        b.id = self.conn.execute(insert(bookings).values(self._values(b)).returning(bookings.c.id)).scalar_one()

    def save(self, b: Booking) -> None:
        self.conn.execute(update(bookings).where(bookings.c.id == b.id).values(self._values(b)))

    def by_code(self, code: str, *, lock: bool = False) -> Booking | None:
        stmt = select(bookings).where(bookings.c.code == code)
        if lock:
            stmt = stmt.with_for_update()  # PostgreSQL: concurrent changes of one booking queue up
        row = self.conn.execute(stmt).first()
        return self._to_booking(row) if row else None

    def active_for(self, nik_hmac: str, service: str, day: date) -> Booking | None:
        row = self.conn.execute(select(bookings).where(
            bookings.c.nik_hmac == nik_hmac, bookings.c.service == service, bookings.c.local_date == day,
            bookings.c.status.in_([BookingStatus.BOOKED.value, BookingStatus.CHECKED_IN.value]))).first()
        return self._to_booking(row) if row else None

    def of_day(self, day: date, services: list[str]) -> list[Booking]:
        rows = self.conn.execute(select(bookings).where(
            bookings.c.local_date == day, bookings.c.service.in_(services),
        ).order_by(bookings.c.expires_at, bookings.c.session, bookings.c.created_at, bookings.c.id))
        return [self._to_booking(r) for r in rows]

    def expire_overdue(self, now: datetime, *, nik_hmac: str | None = None) -> int:
        """Mark every still-booked booking whose check-in window has closed as expired (tidak hadir)."""
        where = [bookings.c.status == BookingStatus.BOOKED.value, bookings.c.expires_at <= now]
        if nik_hmac is not None:
            where.append(bookings.c.nik_hmac == nik_hmac)
        result = self.conn.execute(update(bookings).where(and_(*where))
                                   .values(status=BookingStatus.EXPIRED.value, expired_at=now))
        return int(result.rowcount or 0)

    # ------------------------------------------------------------------ quota counters
    def take_place(self, service: str, day: date, session: str, quota: int) -> bool:
        """Take one place of the session if any is left; False when the session is full."""
        upsert = (postgresql if self.conn.dialect.name == "postgresql" else sqlite).insert
        self.conn.execute(upsert(booking_slots).values(service=service, local_date=day, session=session, taken=0)
                          .on_conflict_do_nothing(index_elements=["service", "local_date", "session"]))
        taken = self.conn.execute(
            update(booking_slots).where(
                booking_slots.c.service == service, booking_slots.c.local_date == day,
                booking_slots.c.session == session, booking_slots.c.taken < quota,
            ).values(taken=booking_slots.c.taken + 1).returning(booking_slots.c.taken)
        ).scalar_one_or_none()
        return taken is not None

    def free_place(self, service: str, day: date, session: str) -> None:
        self.conn.execute(update(booking_slots).where(
            booking_slots.c.service == service, booking_slots.c.local_date == day,
            booking_slots.c.session == session, booking_slots.c.taken > 0,
        ).values(taken=booking_slots.c.taken - 1))

    def taken(self, service: str, day: date) -> dict[str, int]:
        rows = self.conn.execute(select(booking_slots.c.session, booking_slots.c.taken).where(
            booking_slots.c.service == service, booking_slots.c.local_date == day))
        return {session: n for session, n in rows}
