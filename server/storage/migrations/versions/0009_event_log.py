"""event log: every committed event's Socket.IO messages, kept a day, so a process that missed some (message queue
down, messages out of order) delivers them from the database (issue 16: 3, 5)

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

import server.storage.tables

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_log",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", server.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("messages", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_event_log")),
    )
    op.create_index(op.f("ix_event_log_at"), "event_log", ["at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_event_log_at"), table_name="event_log")
    op.drop_table("event_log")
