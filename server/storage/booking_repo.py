"""Booking repository: bookings and the per-session quota counters, on the unit of work's connection.

The quota rule lives in one statement: `UPDATE booking_slots SET taken = taken + 1 WHERE … AND taken < quota`.
PostgreSQL row-locks the counter row, SQLite's BEGIN IMMEDIATE serialises writers, so under any burst of
concurrent requests a session never gives out more places than its quota.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Insert, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.booking import Booking, BookingStatus
from .booking_tables import booking_slots, bookings

_FIELDS = ("code", "service", "local_date", "session", "name", "nik_hmac", "nik_last4", "phone", "priority",
           "created_at", "expires_at", "checked_in_at", "cancelled_at", "checked_in_by", "ticket_id")
_TIMES = ("created_at", "expires_at", "checked_in_at", "cancelled_at")

# The statements of booking and check-in, built once: building a Core statement per call cost as much as running it
# (demo-data books and checks in hundreds a day, issue 13).
_ACTIVE = (BookingStatus.BOOKED.value, BookingStatus.CHECKED_IN.value)
_INSERT = insert(bookings).returning(bookings.c.id)
_UPDATE = update(bookings).where(bookings.c.id == bindparam("b_id")).values(
    {c: bindparam(c) for c in (*_FIELDS, "status")})
_BY_CODE = select(bookings).where(bookings.c.code == bindparam("code"))
_ACTIVE_FOR = select(bookings).where(
    bookings.c.nik_hmac == bindparam("nik_hmac"), bookings.c.service == bindparam("service"),
    bookings.c.local_date == bindparam("day"),
    (bookings.c.status == _ACTIVE[0]) | (bookings.c.status == _ACTIVE[1]))
_OVERDUE = [bookings.c.status == BookingStatus.BOOKED.value, bookings.c.expires_at <= bindparam("now")]
_EXPIRE = update(bookings).where(*_OVERDUE).values(status=BookingStatus.EXPIRED.value, expired_at=bindparam("now"))
_EXPIRE_NIK = update(bookings).where(*_OVERDUE, bookings.c.nik_hmac == bindparam("b_nik_hmac")).values(
    status=BookingStatus.EXPIRED.value, expired_at=bindparam("now"))
_SLOT = [booking_slots.c.service == bindparam("b_service"), booking_slots.c.local_date == bindparam("b_day"),
         booking_slots.c.session == bindparam("b_session")]
_TAKE = (update(booking_slots).where(*_SLOT, booking_slots.c.taken < bindparam("quota"))
         .values(taken=booking_slots.c.taken + 1).returning(booking_slots.c.taken))
_NEW_SLOT: dict[str, Insert] = {
    name: dialect.insert(booking_slots).values(taken=0).on_conflict_do_nothing(
        index_elements=["service", "local_date", "session"])
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}


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
        b.id = self.conn.execute(_INSERT, self._values(b)).scalar_one()

    def save(self, b: Booking) -> None:
        self.conn.execute(_UPDATE, self._values(b) | {"b_id": b.id})

    def by_code(self, code: str, *, lock: bool = False) -> Booking | None:
        # PostgreSQL: concurrent changes of one booking queue up (SQLite's writers are serialised anyway)
        stmt = _BY_CODE.with_for_update() if lock and self.conn.dialect.name == "postgresql" else _BY_CODE
        row = self.conn.execute(stmt, {"code": code}).first()
        return self._to_booking(row) if row else None

    def active_for(self, nik_hmac: str, service: str, day: date) -> Booking | None:
        row = self.conn.execute(_ACTIVE_FOR, {"nik_hmac": nik_hmac, "service": service, "day": day}).first()
        return self._to_booking(row) if row else None

    def of_day(self, day: date, services: list[str]) -> list[Booking]:
        rows = self.conn.execute(select(bookings).where(
            bookings.c.local_date == day, bookings.c.service.in_(services),
        ).order_by(bookings.c.expires_at, bookings.c.session, bookings.c.created_at, bookings.c.id))
        return [self._to_booking(r) for r in rows]

    def expire_overdue(self, now: datetime, *, nik_hmac: str | None = None) -> int:
        """Mark every still-booked booking whose check-in window has closed as expired (tidak hadir)."""
        if nik_hmac is None:
            result = self.conn.execute(_EXPIRE, {"now": now})
        else:
            result = self.conn.execute(_EXPIRE_NIK, {"now": now, "b_nik_hmac": nik_hmac})
        return int(result.rowcount or 0)

    # ------------------------------------------------------------------ quota counters
    def take_place(self, service: str, day: date, session: str, quota: int) -> bool:
        """Take one place of the session if any is left; False when the session is full."""
        slot = {"service": service, "local_date": day, "session": session}
        self.conn.execute(_NEW_SLOT[self.conn.dialect.name], slot)
        taken = self.conn.execute(_TAKE, {"b_service": service, "b_day": day, "b_session": session,
                                          "quota": quota}).scalar_one_or_none()
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
