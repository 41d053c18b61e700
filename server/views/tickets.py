"""The ticket's JSON shapes: the clerk's (no token, no standing: it does not go stale) and the contract's full one
(the visitor's: standing, status link, labels), built on the same fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.site import Site
from ..domain.standing import Standing, TicketInfo
from ..domain.ticket import PRIORITY_LABELS, STATUS_LABELS, Ticket


def iso(moment: datetime | None) -> str | None:
    """Site time to the second, with the offset (`2026-12-01T08:15:00+08:00`)."""
    return moment.isoformat(timespec="seconds") if moment else None


def status_url(public_url: str, token: str) -> str:
    return f"{public_url}/t/{token}"


def ticket_fields(t: Ticket) -> dict[str, Any]:
    """A ticket as a clerk's screen keeps it. `queued_at` has microseconds: lists are ordered by it, then `id`."""
    return {
        "id": t.id, "number": t.number, "service": t.service, "status": t.status.value,
        "priority": t.priority.value if t.priority else None, "counter": t.counter,
        "queued_at": t.queued_at.isoformat(timespec="microseconds") if t.queued_at else None,
        "issued_at": iso(t.issued_at), "called_at": iso(t.called_at), "started_at": iso(t.started_at),
        "finished_at": iso(t.finished_at), "skipped_at": iso(t.skipped_at), "recalls": t.recalls,
        "transferred_from": t.transferred_from, "source": t.source, "printed": t.printed,
    }


def ticket_json(site: Site, public_url: str, info: TicketInfo) -> dict[str, Any]:
    """The contract's ticket: the clerk's fields plus names, labels, people ahead, estimate and the status link."""
    t = info.ticket
    service = site.services.get(t.service)
    return ticket_fields(t) | {
        "service_name": service.name if service else t.service, "agency": service.agency if service else None,
        "status_label": STATUS_LABELS[t.status],
        "priority_label": PRIORITY_LABELS[t.priority] if t.priority else None,
        "ahead": info.ahead, "eta_minutes": info.eta_minutes, "eta_seconds": info.eta_seconds,
        "no_counter_open": info.no_counter_open, "counter_name": info.counter_name,
        "token": t.token, "status_url": status_url(public_url, t.token),
    }


def standing_json(s: Standing) -> list[Any]:
    """A waiting ticket's standing in a `queue_changed` message: [ahead, eta_minutes, eta_seconds, no_counter_open]
    (the first two as before, so older pages keep working; the estimates are null when no counter is open)."""
    return [s.ahead, s.eta_minutes, s.eta_seconds, s.no_counter_open]
