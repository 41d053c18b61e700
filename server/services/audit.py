"""The audit trail: who changed what, when, with the old and the new value (admin: all; supervisor: their
agencies' objects)."""

from __future__ import annotations

from ..domain.accounts import Principal
from ..storage.audit_repo import AuditEntry
from .context import Context
from .site_access import require_staff, session_scopes, visible

MAX_LIMIT = 1000


def _supervised_objects(ctx: Context, actor: Principal) -> tuple[str, ...]:
    """The audit object names of the agencies, services, counters and service sessions a supervisor sees."""
    with ctx.uow() as uow:
        latest = uow.site.latest()
    doc = latest[1] if latest else {}
    names: list[str] = []
    for section, kind in (("agency", "agencies"), ("service", "services"), ("counter", "counters")):
        names += [f"{section}:{item.get('code')}" for item in doc.get(section, []) if visible(actor, kind, item, doc)]
    names += [f"sessions:{key}" for key, value in session_scopes(doc)
              if key.startswith("service:") and visible(actor, "sessions", value, doc, key)]
    return tuple(names)


def audit_trail(ctx: Context, actor: Principal, object: str | None = None,  # noqa: A002
                limit: int = 200) -> list[AuditEntry]:
    """Newest first; `object` (e.g. "service:KTP") picks one object's history."""
    require_staff(actor)
    limit = max(1, min(limit, MAX_LIMIT))
    objects = None if actor.role == "admin" else _supervised_objects(ctx, actor)
    with ctx.uow() as uow:
        return uow.audit.entries(object, limit, objects)
