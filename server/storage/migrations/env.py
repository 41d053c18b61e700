"""Alembic environment: runs on the connection handed over by server.storage.database.migrate."""

from alembic import context

from server.storage import booking_tables, site_tables  # noqa: F401  (registers their tables on metadata)
from server.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic revision --autogenerate` run by a developer
    from sqlalchemy import create_engine

    connection = create_engine(context.config.get_main_option("sqlalchemy.url") or "sqlite://").connect()

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
