"""Tables of online booking: the bookings and one counter row per (service, day, session) that holds the quota.

They live on the same `metadata` as the queue's tables; Alembic revision 0003 creates them.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, text

from .tables import UTCDateTime, metadata

# Active = still holds its place (booked) or already turned into a ticket (checked in).
ACTIVE_SQL = "status IN ('booked', 'checked_in')"

bookings = Table(
    "bookings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(12), nullable=False, unique=True),
    Column("service", String(32), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("session", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("name", String(100), nullable=False),
    Column("nik_hmac", String(64), nullable=False),  # HMAC-SHA256(server secret, NIK): never the NIK itself
    Column("nik_last4", String(4), nullable=False),
    Column("phone", String(20)),  # E.164
    Column("priority", String(16)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),  # session end + grace: then a no-show (tidak hadir)
    Column("checked_in_at", UTCDateTime),
    Column("cancelled_at", UTCDateTime),
    Column("expired_at", UTCDateTime),
    Column("checked_in_by", String(64)),
    Column("ticket_id", Integer, ForeignKey("tickets.id", ondelete="SET NULL")),
    # One active booking per NIK per service per day, enforced by the database under any concurrency.
    Index("uq_bookings_active_nik", "nik_hmac", "service", "local_date", unique=True,
          sqlite_where=text(ACTIVE_SQL), postgresql_where=text(ACTIVE_SQL)),
    Index("ix_bookings_day_service", "local_date", "service"),
    Index("ix_bookings_status_expires", "status", "expires_at"),
)

booking_slots = Table(
    "booking_slots", metadata,
    Column("service", String(32), primary_key=True),
    Column("local_date", Date, primary_key=True),
    Column("session", String(32), primary_key=True),
    # Places taken; raised only by `UPDATE … SET taken = taken + 1 WHERE taken < quota`, so never above quota.
    Column("taken", Integer, nullable=False, default=0),
)
