"""Use cases of the visitor's side: issue a ticket (kiosk, clerk, booking check-in), look it up, cancel it."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from ..domain.errors import Invalid, NotFound
from ..domain.events import TicketCancelled, TicketIssued
from ..domain.hours import WALK_IN, Admission, require_open
from ..domain.numbering import format_number
from ..domain.ticket import Priority, Status, Ticket
from ..storage.uow import UnitOfWork
from .context import Context, run
from .lines import TicketInfo, describe, record_ticket_event

_NUMBER = re.compile(r"^([A-Z]{1,2})0*([1-9]\d{0,2})$")  # a printed number, its zeros optional


def issue_ticket(ctx: Context, service: str, priority: Priority | None = None, *, source: str = "kiosk",
                 idempotency_scope: str = "", idempotency_key: str = "", fingerprint: str | None = None,
                 device_id: int | None = None) -> tuple[TicketInfo, bool]:
    """Issue the next number of `service` to a walk-in visitor now. Returns the ticket and whether it was created
    (False when the same idempotency key already produced it)."""
    if service not in ctx.site.services:  # refused before a write transaction is opened
        raise NotFound("unknown_service", f"Layanan '{service}' tidak ada.")
    return run(ctx, lambda uow: issue_in(
        uow, ctx, service, ctx.now(), priority, source=source, admission=WALK_IN,
        idempotency_scope=idempotency_scope, idempotency_key=idempotency_key, fingerprint=fingerprint,
        device_id=device_id))


def issue_in(uow: UnitOfWork, ctx: Context, service: str, now: datetime, priority: Priority | None, *,
             source: str, admission: Admission, idempotency_scope: str = "", idempotency_key: str = "",
             fingerprint: str | None = None, device_id: int | None = None) -> tuple[TicketInfo, bool]:
    """Issue a ticket inside the caller's unit of work (the kiosk's and a booking check-in's one path): the
    `admission` says which walk-in rules apply. Returns the ticket and whether it was created."""
    svc = ctx.site.services.get(service)
    if svc is None:
        raise NotFound("unknown_service", f"Layanan '{service}' tidak ada.")
    if idempotency_key:
        earlier = uow.state.idempotent_ticket(idempotency_scope, idempotency_key)
        if earlier is not None:
            if earlier[1] is not None and fingerprint is not None and earlier[1] != fingerprint:
                raise Invalid("idempotency_key_reused", "Idempotency-Key ini sudah dipakai untuk permintaan lain.")
            ticket = uow.tickets.get(earlier[0])
            assert ticket is not None
            return describe(uow, ctx.site, ticket), False
    seq = uow.state.next_number(service, now.date())
    # Checked after the atomic allocation so the quota holds under concurrency; a refusal rolls it back.
    require_open(ctx.site, svc, now, issued_today=seq - 1, admission=admission)
    ticket = Ticket.issue(service, format_number(svc.prefix, seq), now, secrets.token_urlsafe(16),
                          priority, source, device_id)
    uow.tickets.add(ticket)
    if idempotency_key:
        assert ticket.id is not None
        uow.state.remember_key(idempotency_scope, idempotency_key, ticket.id, now, fingerprint)
    return record_ticket_event(uow, ctx.site, TicketIssued, ticket, now, touched=[service], source=source), True


def _by_token(uow: UnitOfWork, token: str) -> Ticket:
    ticket = uow.tickets.by_token(token)
    if ticket is None:
        raise NotFound("unknown_ticket", "Tiket tidak ditemukan.")
    return ticket


def find_today(ctx: Context, number: str) -> TicketInfo | None:
    """Today's ticket printed with `number` ("D037"; "d 37" reads the same), or None: the front page's "follow a
    ticket" for a visitor without a phone camera. Numbers are public (the TV calls them), so this is read-only."""
    match = _NUMBER.match(number.replace(" ", "").upper())
    if match is None:
        return None
    with ctx.uow() as uow:
        ticket = uow.tickets.by_number(ctx.now().date(), format_number(match[1], int(match[2])))
        return describe(uow, ctx.site, ticket) if ticket else None


def get_ticket(ctx: Context, token: str) -> TicketInfo:
    """The ticket behind a status-page token, with people ahead and ETA."""
    with ctx.uow() as uow:
        return describe(uow, ctx.site, _by_token(uow, token))


def cancel_ticket(ctx: Context, token: str) -> TicketInfo:
    """The visitor gives up their place (from the status page)."""

    def work(uow: UnitOfWork) -> TicketInfo:
        ticket = _by_token(uow, token)
        now = ctx.now()
        was = ticket.status
        ticket.cancel(now)
        uow.tickets.save(ticket)
        # A called ticket given up at the counter frees that loket on the displays; a waiting one leaves its line.
        at = ticket.counter if ticket.counter and was is Status.CALLED else None
        line = [ticket.service] if was is Status.WAITING else []
        return record_ticket_event(uow, ctx.site, TicketCancelled, ticket, now, touched=line, counter=at)

    return run(ctx, work)
