"""Tables of the site store: the versioned site document (the latest version is the site) and the audit log.

They live on the same `metadata` as the queue's tables; Alembic revision 0004 creates them.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from .tables import UTCDateTime, metadata

site_versions = Table(
    "site_versions", metadata,
    # Two writers that both read version n both try to insert n+1: the primary key lets exactly one win.
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("document", Text, nullable=False),  # JSON with the shape of config.toml's site sections
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(64)),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("user", String(64), nullable=False),
    Column("action", String(16), nullable=False),
    Column("object", String(100), nullable=False),
    Column("old", Text),  # JSON, or NULL for a creation
    Column("new", Text),  # JSON, or NULL
    Index("ix_audit_log_object_id", "object", "id"),
)
