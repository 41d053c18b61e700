"""online booking: bookings (NIK kept only as an HMAC + last 4 digits) and per-session quota counters

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

import server.storage.tables

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ACTIVE_SQL = "status IN ('booked', 'checked_in')"


def upgrade() -> None:
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("session", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("nik_hmac", sa.String(length=64), nullable=False),
        sa.Column("nik_last4", sa.String(length=4), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("priority", sa.String(length=16), nullable=True),
        sa.Column("created_at", server.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("expires_at", server.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("checked_in_at", server.storage.tables.UTCDateTime(), nullable=True),
        sa.Column("cancelled_at", server.storage.tables.UTCDateTime(), nullable=True),
        sa.Column("expired_at", server.storage.tables.UTCDateTime(), nullable=True),
        sa.Column("checked_in_by", sa.String(length=64), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_bookings_ticket_id_tickets"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
        sa.UniqueConstraint("code", name=op.f("uq_bookings_code")),
    )
    op.create_index("uq_bookings_active_nik", "bookings", ["nik_hmac", "service", "local_date"], unique=True,
                    sqlite_where=sa.text(ACTIVE_SQL), postgresql_where=sa.text(ACTIVE_SQL))
    op.create_index("ix_bookings_day_service", "bookings", ["local_date", "service"])
    op.create_index("ix_bookings_status_expires", "bookings", ["status", "expires_at"])
    op.create_table(
        "booking_slots",
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("session", sa.String(length=32), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("service", "local_date", "session", name=op.f("pk_booking_slots")),
    )


def downgrade() -> None:
    op.drop_table("booking_slots")
    op.drop_index("ix_bookings_status_expires", table_name="bookings")
    op.drop_index("ix_bookings_day_service", table_name="bookings")
    op.drop_index("uq_bookings_active_nik", table_name="bookings")
    op.drop_table("bookings")
