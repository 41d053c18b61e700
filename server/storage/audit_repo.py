"""Audit repository: the append-only log of who changed what, when, with the old and the new value."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, false, insert, select

from .site_tables import audit_log


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    user: str
    action: str  # create | update | retire | disable | enable | password | revoke | import
    object: str  # "service:KTP", "user:siti", "site", …
    old: Any = None
    new: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "user": self.user, "action": self.action,
                "object": self.object, "old": self.old, "new": self.new}


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class AuditRepository:
    """Only inserts and reads: nothing ever updates or deletes an audit row."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def record(self, at: datetime, user: str, action: str, object: str, old: Any = None,  # noqa: A002
               new: Any = None) -> None:
        self.conn.execute(insert(audit_log).values(at=at, user=user, action=action, object=object,
                                                   old=_dump(old), new=_dump(new)))

    def entries(self, object: str | None = None, limit: int = 200,  # noqa: A002
                objects: tuple[str, ...] | None = None) -> list[AuditEntry]:
        """Newest first. `object` picks one object; `objects` (e.g. a supervisor's) keeps only those."""
        q = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if object is not None:
            q = q.where(audit_log.c.object == object)
        if objects is not None:
            q = q.where(audit_log.c.object.in_(objects) if objects else false())
        return [AuditEntry(r.id, r.at, r.user, r.action, r.object, _load(r.old), _load(r.new))
                for r in self.conn.execute(q)]
