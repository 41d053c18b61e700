"""accounts administration: supervisors' agencies, a device's counter (survey tablets), users' last login

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

import server.storage.tables

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_agencies",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_agencies_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "agency", name=op.f("pk_user_agencies")),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("last_login_at", server.storage.tables.UTCDateTime(), nullable=True))
    # The kind is a plain string (no CHECK constraint): allowing `survey` needs no schema change.
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("counter", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("counter")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("last_login_at")
    op.drop_table("user_agencies")
