"""Site repository: the versioned site document. The latest version is the site; a change inserts version n+1."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from .site_tables import site_versions


class SiteRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def latest_version(self) -> int:
        """The newest version number, 0 when the site was never stored (one cheap query, polled by every process)."""
        return int(self.conn.execute(select(func.coalesce(func.max(site_versions.c.version), 0))).scalar_one())

    def latest(self) -> tuple[int, dict[str, Any]] | None:
        """(version, document) of the newest version, or None for an empty store."""
        row = self.conn.execute(select(site_versions.c.version, site_versions.c.document)
                                .order_by(site_versions.c.version.desc()).limit(1)).first()
        return None if row is None else (row.version, json.loads(row.document))

    def insert(self, version: int, document: dict[str, Any], at: datetime, by: str) -> None:
        """Store `version`. A concurrent writer that already stored the same number makes this raise IntegrityError
        (the primary key), and the use case is retried on the newer document."""
        self.conn.execute(insert(site_versions).values(
            version=version, document=json.dumps(document, ensure_ascii=False), created_at=at, created_by=by))
