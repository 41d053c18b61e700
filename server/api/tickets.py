"""Ticket endpoints: the services board, issuing (with Idempotency-Key), the status of one ticket, cancel."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Blueprint, g, request

from ..domain.ticket import parse_priority
from ..services import queries, tickets
from .answers import Ok, Service, Ticket, reply
from .errors import ApiError
from .inputs import require, ticket_view
from .inputs import service_context as _ctx
from .schemas import IssueTicket, parse

bp = Blueprint("tickets", __name__)
MAX_KEY = 128


@bp.get("/health")
def health() -> Any:
    return reply(Ok, {"status": "ok"})


@bp.get("/services")
def services() -> Any:
    return reply(list[Service], queries.list_services(_ctx()))


@bp.post("/tickets")
@require("kiosk", "clerk")
def issue() -> Any:
    body = parse(IssueTicket)
    key = request._get_current_object().environ.get("HTTP_IDEMPOTENCY_KEY", "").strip()  # type: ignore[attr-defined]
    if len(key) > MAX_KEY:
        raise ApiError(422, "invalid_idempotency_key", f"Idempotency-Key maksimal {MAX_KEY} karakter.")
    principal = g.principal
    device = principal.kind == "device"
    info, created = tickets.issue_ticket(
        _ctx(), body.service, parse_priority(body.priority), source="kiosk" if device else "counter",
        idempotency_scope=f"{principal.kind}:{principal.id}", idempotency_key=key,
        fingerprint=_fingerprint(body.model_dump()) if key else None,
        device_id=principal.id if device else None,
    )
    return reply(Ticket, ticket_view(info), 201 if created else 200)


def _fingerprint(body: dict[str, Any]) -> str:
    """The body's meaning, not its spelling (key order, spaces): a retry matches, another request does not."""
    meaning = {k: v for k, v in body.items() if v is not None}  # "priority": null is no priority
    return hashlib.sha256(json.dumps(meaning, sort_keys=True, ensure_ascii=True).encode()).hexdigest()


@bp.get("/tickets/<token>")
def show(token: str) -> Any:
    return reply(Ticket, ticket_view(tickets.get_ticket(_ctx(), token)))


@bp.post("/tickets/<token>/cancel")
def cancel(token: str) -> Any:
    return reply(Ticket, ticket_view(tickets.cancel_ticket(_ctx(), token)))
