"""survey: the table of SKM responses, one per served ticket (issue 14)

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

import server.storage.tables

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("counter", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", server.storage.tables.UTCDateTime(), nullable=False),
        *(sa.Column(f"u{i}", sa.SmallInteger(), nullable=False) for i in range(1, 10)),
        sa.Column("age", sa.String(length=8), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("education", sa.String(length=8), nullable=True),
        sa.Column("occupation", sa.String(length=12), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("follow_up", sa.String(length=16), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("replied_by", sa.String(length=64), nullable=True),
        sa.Column("replied_at", server.storage.tables.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_survey_responses_ticket_id_tickets"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_survey_responses_ticket_id")),
    )
    op.create_index("ix_survey_responses_day_service", "survey_responses", ["local_date", "service"])


def downgrade() -> None:
    op.drop_index("ix_survey_responses_day_service", table_name="survey_responses")
    op.drop_table("survey_responses")
