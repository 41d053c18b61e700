"""Turning domain values into the JSON shapes of the contract."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.ticket import PRIORITY_LABELS, STATUS_LABELS, Ticket
from ..services.context import Context
from ..services.lines import TicketInfo
from ..services.queries import CounterView


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def ticket_json(ctx: Context, info: TicketInfo) -> dict[str, Any]:
    t = info.ticket
    service = ctx.site.services.get(t.service)
    return {
        "id": t.id, "number": t.number, "service": t.service, "service_name": service.name if service else t.service,
        "agency": service.agency if service else None, "status": t.status.value,
        "status_label": STATUS_LABELS[t.status], "priority": t.priority.value if t.priority else None,
        "priority_label": PRIORITY_LABELS[t.priority] if t.priority else None,
        "ahead": info.ahead, "eta_minutes": info.eta_minutes, "issued_at": _iso(t.issued_at),
        "called_at": _iso(t.called_at), "started_at": _iso(t.started_at), "finished_at": _iso(t.finished_at),
        "counter": t.counter, "counter_name": info.counter_name, "source": t.source, "recalls": t.recalls,
        "transferred_from": t.transferred_from, "printed": t.printed, "token": t.token,
        "status_url": ctx.status_url(t.token),
    }


def line_item(t: Ticket, now: datetime) -> dict[str, Any]:
    """A ticket in a clerk's list: no token (the clerk does not need the visitor's status link)."""
    assert t.queued_at is not None
    return {"id": t.id, "number": t.number, "service": t.service, "status": t.status.value,
            "priority": t.priority.value if t.priority else None,
            "waited_minutes": int((now - t.queued_at).total_seconds() // 60), "issued_at": _iso(t.issued_at),
            "skipped_at": _iso(t.skipped_at)}


def counter_json(ctx: Context, view: CounterView) -> dict[str, Any]:
    now = ctx.now()
    return {
        "code": view.code, "name": view.name, "services": list(view.services), "status": view.status,
        "current": ticket_json(ctx, view.current) if view.current else None,
        "waiting": [line_item(t, now) for t in view.waiting],
        "skipped": [line_item(t, now) for t in view.skipped],
        "today": {"served": view.served, "skipped": view.skipped_count,
                  "avg_service_minutes": view.avg_service_minutes},
        "seq": view.seq,
    }
