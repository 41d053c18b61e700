"""report rollups: per (day, service, hour) counts and waits, per (day, service, clerk) work (issue 13)

A year's summary summed every ticket's facts four times (per day and service, hour × weekday, per clerk, the
durations); these rollups of the facts answer the first three from a few thousand rows. Derived data like the facts:
the days already in `report_days` are forgotten here, so the next report rebuilds their facts and rollups together.
An index of the facts on (day, service, wait, service time) lets the percentiles' pass read a third of each row.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_hours",
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("issued", sa.Integer(), nullable=False),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.Column("expired", sa.Integer(), nullable=False),
        sa.Column("transferred", sa.Integer(), nullable=False),
        sa.Column("wait_sum", sa.BigInteger(), nullable=False),
        sa.Column("wait_n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("local_date", "service", "hour", name=op.f("pk_report_hours")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "report_clerks",
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("clerk", sa.String(length=64), nullable=False),
        sa.Column("first_call_s", sa.BigInteger(), nullable=False),
        sa.Column("end_s", sa.BigInteger(), nullable=False),
        sa.Column("service_sum", sa.BigInteger(), nullable=True),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.Column("timed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("local_date", "service", "clerk", name=op.f("pk_report_clerks")),
        sqlite_with_rowid=False,
    )
    # The waits and service times of a period, read without the rest of each ticket's facts
    op.create_index("ix_report_tickets_durations", "report_tickets", ["local_date", "service", "wait_s", "service_s"])
    op.execute("DELETE FROM report_days")  # rebuilt with their rollups by the next report


def downgrade() -> None:
    op.drop_index("ix_report_tickets_durations", table_name="report_tickets")
    op.drop_table("report_clerks")
    op.drop_table("report_hours")
