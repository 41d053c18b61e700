"""SQLAlchemy Core tables of Antre. Times are stored in UTC; the schema is changed only by Alembic migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, whatever the database does with zones."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


site_state = Table(
    "site_state", metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", BigInteger, nullable=False, default=0),
)

daily_counters = Table(
    "daily_counters", metadata,
    Column("service", String(32), primary_key=True),
    Column("local_date", Date, primary_key=True),
    Column("last_number", Integer, nullable=False),
)

tickets = Table(
    "tickets", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("number", String(8), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("service", String(32), nullable=False),
    Column("issued_service", String(32), nullable=False),
    Column("priority", String(16)),
    Column("source", String(16), nullable=False, default="kiosk"),
    Column("status", String(16), nullable=False),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("queued_at", UTCDateTime, nullable=False),
    Column("called_at", UTCDateTime),
    Column("started_at", UTCDateTime),
    Column("finished_at", UTCDateTime),
    Column("skipped_at", UTCDateTime),
    Column("cancelled_at", UTCDateTime),
    Column("counter", String(32)),
    Column("clerk", String(64)),
    Column("recalls", Integer, nullable=False, default=0),
    Column("transferred_from", String(32)),
    Column("printed", Boolean, nullable=False, default=True),
    Column("version", Integer, nullable=False, default=0),
    Column("device_id", Integer),  # the kiosk that issued it: reprints are sent back there
    # Prefixes are unique per site, so a number is unique per local day: the database itself refuses a duplicate.
    UniqueConstraint("local_date", "number", name="uq_tickets_day_number"),
    Index("ix_tickets_day_status_service", "local_date", "status", "service"),
)

ticket_transitions = Table(
    "ticket_transitions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("action", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("service", String(32), nullable=False),
    Column("counter", String(32)),
    Column("clerk", String(64)),
)

counter_states = Table(
    "counter_states", metadata,
    Column("code", String(32), primary_key=True),
    Column("status", String(16), nullable=False, default="closed"),
    Column("priority_streak", Integer, nullable=False, default=0),
    Column("clerk", String(64)),
    Column("updated_at", UTCDateTime),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_login_at", UTCDateTime),
)

user_counters = Table(
    "user_counters", metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("counter", String(32), primary_key=True),
)

user_agencies = Table(  # a supervisor's agencies
    "user_agencies", metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("agency", String(32), primary_key=True),
)

devices = Table(
    "devices", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime),
    Column("state", Text),
    Column("active", Boolean, nullable=False, default=True),
    Column("counter", String(32)),  # a survey tablet's counter: a supervisor of its agency may revoke it
)

auth_tokens = Table(
    "auth_tokens", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE")),
    Column("device_id", Integer, ForeignKey("devices.id", ondelete="CASCADE")),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime),
    Column("revoked_at", UTCDateTime),
)

idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("scope", String(80), primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("fingerprint", String(64)),  # sha256 of the request body: the same key with another body is refused
)
