"""event log as text: its rows are written once and read back only to be sent on, so PostgreSQL no longer parses
each event's messages as JSON, and compresses them with lz4 where the server has it (issue 11)

Logging an issued ticket's event (~2.5 kB of messages) cost PostgreSQL ~383 K instructions a row: the JSON input
parse and pglz's compression were two thirds of it; as text with lz4, 126 K (docs/benchmarks.md, session 8). The
relay decodes the text it reads back (storage/event_log.py). SQLite stores JSON as text already: nothing changes.

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.alter_column("event_log", "messages", type_=sa.Text(), existing_type=sa.JSON(), existing_nullable=False)
    # lz4 (PostgreSQL 14 and later, when built with it, as the Debian and official packages are): ~2× cheaper
    # than the default pglz on these rows; without it the default stays.
    lz4 = bind.exec_driver_sql("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                               "WHERE name = 'default_toast_compression'").scalar()
    if lz4:
        op.execute("ALTER TABLE event_log ALTER COLUMN messages SET COMPRESSION lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("event_log", "messages", type_=sa.JSON(), existing_type=sa.Text(), existing_nullable=False,
                        postgresql_using="messages::json")
