"""Use cases of the visitor's side: issue a ticket (kiosk, clerk, booking check-in), look it up, cancel it."""

from __future__ import annotations

import secrets

from ..domain.errors import NotFound
from ..domain.events import TicketCancelled, TicketIssued, ticket_event
from ..domain.hours import require_open
from ..domain.numbering import format_number
from ..domain.ticket import Priority, Ticket
from ..storage.uow import UnitOfWork
from .context import Context, run
from .lines import TicketInfo, describe, waiting_counts


def issue_ticket(ctx: Context, service: str, priority: Priority | None = None, *, source: str = "kiosk",
                 idempotency_scope: str = "", idempotency_key: str = "",
                 device_id: int | None = None, booked: bool = False) -> tuple[TicketInfo, bool]:
    """Issue the next number of `service` now. Returns the ticket and whether it was created (False when the
    same idempotency key already produced it). `booked`: an online booking's check-in, whose session rules
    were already checked, so the walk-in hours and daily quota do not apply."""
    svc = ctx.site.services.get(service)
    if svc is None:
        raise NotFound("unknown_service", f"Layanan '{service}' tidak ada.")

    def work(uow: UnitOfWork) -> tuple[TicketInfo, bool]:
        if idempotency_key:
            earlier = uow.state.idempotent_ticket(idempotency_scope, idempotency_key)
            if earlier is not None:
                ticket = uow.tickets.get(earlier)
                assert ticket is not None
                return describe(uow, ctx.site, ticket), False
        now = ctx.now()
        seq = uow.state.next_number(service, now.date())
        # Checked after the atomic allocation so the quota holds under concurrency; a refusal rolls it back.
        if not booked:
            require_open(ctx.site, svc, now, issued_today=seq - 1)
        ticket = Ticket.issue(service, format_number(svc.prefix, seq), now, secrets.token_urlsafe(16),
                              priority, source, device_id)
        uow.tickets.add(ticket)
        if idempotency_key:
            assert ticket.id is not None
            uow.state.remember_key(idempotency_scope, idempotency_key, ticket.id, now)
        waiting = waiting_counts(uow, ctx.site, ticket.local_date, [service])
        uow.record(ticket_event(TicketIssued, ticket, now, waiting, source=source))
        return describe(uow, ctx.site, ticket), True

    return run(ctx, work)


def _by_token(uow: UnitOfWork, token: str) -> Ticket:
    ticket = uow.tickets.by_token(token)
    if ticket is None:
        raise NotFound("unknown_ticket", "Tiket tidak ditemukan.")
    return ticket


def get_ticket(ctx: Context, token: str) -> TicketInfo:
    """The ticket behind a status-page token, with people ahead and ETA."""
    with ctx.uow() as uow:
        return describe(uow, ctx.site, _by_token(uow, token))


def cancel_ticket(ctx: Context, token: str) -> TicketInfo:
    """The visitor gives up their place (from the status page)."""

    def work(uow: UnitOfWork) -> TicketInfo:
        ticket = _by_token(uow, token)
        now = ctx.now()
        ticket.cancel(now)
        uow.tickets.save(ticket)
        waiting = waiting_counts(uow, ctx.site, ticket.local_date, [ticket.service])
        uow.record(ticket_event(TicketCancelled, ticket, now, waiting))
        return describe(uow, ctx.site, ticket)

    return run(ctx, work)
