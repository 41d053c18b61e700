"""report indexes: a period's tickets of one service, and ticket history by time (issue 13)

The reports read a range of local days, often for one agency's services, so (local_date, service) answers that
without walking the status column of the existing index; the transitions are read by time for counter activity.
The indexes live only in this migration (the engine's table definitions are left as they are).

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tickets_report_day_service", "tickets", ["local_date", "service"])
    op.create_index("ix_ticket_transitions_at", "ticket_transitions", ["at"])


def downgrade() -> None:
    op.drop_index("ix_ticket_transitions_at", table_name="ticket_transitions")
    op.drop_index("ix_tickets_report_day_service", table_name="tickets")
