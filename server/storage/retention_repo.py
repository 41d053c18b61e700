"""Erasing bookings' personal data after the retention period (UU No. 27/2022): the name, the phone number and the
NIK's HMAC and last digits go; the booking row (service, day, session, status, ticket) stays for the statistics."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, String, and_, cast, func, literal, select, update

from .booking_tables import bookings

ERASED_PREFIX = "dihapus-"  # nik_hmac of an erased booking: unique per row, never a real HMAC (those are hex)


class RetentionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _due(self, before: date) -> object:
        return and_(bookings.c.local_date < before, bookings.c.nik_last4 != "")

    def due(self, before: date) -> int:
        """How many bookings of a visit day before `before` still hold personal data."""
        return int(self.conn.execute(select(func.count()).select_from(bookings).where(self._due(before))).scalar_one())

    def erase_before(self, before: date) -> int:
        """Erase the personal data of every booking whose visit day is before `before`; how many were erased.
        One statement, so a second process running the same job at the same moment erases nothing twice."""
        done = self.conn.execute(update(bookings).where(self._due(before)).values(
            name="", phone=None, nik_last4="",
            nik_hmac=literal(ERASED_PREFIX) + cast(bookings.c.id, String)))
        return int(done.rowcount or 0)
