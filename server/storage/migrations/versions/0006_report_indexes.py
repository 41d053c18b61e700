"""report indexes, the report facts and the counters' log (issue 13)

The reports read a range of local days, often for one agency's services, so (local_date, service) answers that
without walking the status column of the existing index; the transitions are read by time for counter activity.
`report_tickets` holds each ticket's figures as integers (wait, service time, local hour…) so a year is summed
without parsing a million timestamps; `report_days` says which days are in it and whether they are final (closed
days never change again). Both are derived data: deleting their rows only makes the next report rebuild them.
`counter_log` keeps when each counter was opened, paused and closed (and by whom), for the clerks' idle share.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

import server.storage.tables

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tickets_report_day_service", "tickets", ["local_date", "service"])
    op.create_index("ix_ticket_transitions_at", "ticket_transitions", ["at"])
    op.create_table(
        "report_tickets",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("counter", sa.String(length=32), nullable=True),
        sa.Column("clerk", sa.String(length=64), nullable=True),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        sa.Column("issued_s", sa.BigInteger(), nullable=False),
        sa.Column("first_call_s", sa.BigInteger(), nullable=True),
        sa.Column("end_s", sa.BigInteger(), nullable=True),
        sa.Column("wait_s", sa.Integer(), nullable=True),
        sa.Column("service_s", sa.Integer(), nullable=True),
        sa.Column("served", sa.SmallInteger(), nullable=False),
        sa.Column("skipped", sa.SmallInteger(), nullable=False),
        sa.Column("cancelled", sa.SmallInteger(), nullable=False),
        sa.Column("expired", sa.SmallInteger(), nullable=False),
        sa.Column("transferred", sa.SmallInteger(), nullable=False),
        # Clustered by day on SQLite (no rowid): a period is one sequential range, never a lookup per ticket.
        sa.PrimaryKeyConstraint("local_date", "service", "ticket_id", name=op.f("pk_report_tickets")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "report_days",
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("local_date", name=op.f("pk_report_days")),
    )
    op.create_table(
        "counter_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", server.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("counter", sa.String(length=32), nullable=False),
        sa.Column("clerk", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counter_log")),
    )
    op.create_index("ix_counter_log_day_counter", "counter_log", ["local_date", "counter"])


def downgrade() -> None:
    op.drop_index("ix_counter_log_day_counter", table_name="counter_log")
    op.drop_table("counter_log")
    op.drop_table("report_days")
    op.drop_table("report_tickets")
    op.drop_index("ix_ticket_transitions_at", table_name="ticket_transitions")
    op.drop_index("ix_tickets_report_day_service", table_name="tickets")
