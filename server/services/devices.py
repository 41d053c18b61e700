"""Use cases of devices: a kiosk reports a ticket printed or not and its printer state; a clerk asks for a reprint."""

from __future__ import annotations

import json

from ..domain.accounts import Principal
from ..domain.errors import Forbidden, Invalid, NotFound
from ..domain.events import DeviceStateChanged, ReprintRequested, TicketPrintReported
from ..domain.ticket import Ticket
from ..storage.uow import UnitOfWork
from .context import Context, run
from .devices_health import PRINTER_STATES
from .lines import TicketInfo, describe, record_ticket_event

MAX_STATE_KEYS = 10


def _ticket(uow: UnitOfWork, token: str) -> Ticket:
    ticket = uow.tickets.by_token(token)
    if ticket is None:
        raise NotFound("unknown_ticket", "Tiket tidak ditemukan.")
    return ticket


def _serves(ctx: Context, actor: Principal, service: str) -> bool:
    """An admin, or a clerk one of whose counters serves `service`."""
    if actor.role == "admin":
        return True
    counters = (ctx.site.counters.get(code) for code in actor.counters)
    return any(c is not None and service in c.services for c in counters)


def report_printed(ctx: Context, device: Principal, token: str, printed: bool, reason: str = "") -> TicketInfo:
    """The issuing kiosk tells whether the paper came out; unprinted tickets are listed for a reprint."""

    def work(uow: UnitOfWork) -> TicketInfo:
        ticket = _ticket(uow, token)
        if device.kind == "device" and ticket.device_id not in (None, device.id):
            raise Forbidden("not_your_ticket", "Tiket ini dicetak oleh perangkat lain.")
        ticket.printed = printed
        uow.tickets.save(ticket)
        return record_ticket_event(uow, ctx.site, TicketPrintReported, ticket, ctx.now(), printed=printed,
                                   reason=(reason or "")[:100])  # null: no reason given

    return run(ctx, work)


def request_reprint(ctx: Context, actor: Principal, token: str) -> TicketInfo:
    """A clerk or admin asks the kiosk that issued the ticket to print it again (CETAK ULANG)."""

    def work(uow: UnitOfWork) -> TicketInfo:
        ticket = _ticket(uow, token)
        if not _serves(ctx, actor, ticket.service):  # issue 17: not any clerk for any service
            raise Forbidden("not_your_service", "Loket Anda tidak melayani layanan tiket ini.")
        if ticket.device_id is None:
            raise Invalid("no_kiosk", "Tiket ini tidak diambil dari kios, tidak bisa dicetak ulang di kios.")
        now = ctx.now()
        if ticket.local_date != now.date():
            raise Invalid("ticket_expired", "Tiket hanya berlaku pada hari diambil.")
        return record_ticket_event(uow, ctx.site, ReprintRequested, ticket, now, device_id=ticket.device_id)

    return run(ctx, work)


def report_device_state(ctx: Context, device: Principal, state: dict[str, str]) -> dict[str, str]:
    """A kiosk or display says how it is (e.g. {"printer": "paper_out"}); kept for the admin's device list."""
    if device.kind != "device":
        raise Forbidden("forbidden", "Hanya perangkat yang melaporkan keadaannya.")
    if len(state) > MAX_STATE_KEYS or not all(isinstance(v, str) and len(v) <= 40 for v in state.values()):
        raise Invalid("invalid_state", "Keadaan perangkat: paling banyak 10 kunci dengan nilai teks pendek.")
    if "printer" in state and state["printer"] not in PRINTER_STATES:
        raise Invalid("invalid_state", f"printer harus salah satu dari: {', '.join(PRINTER_STATES)}.")

    def work(uow: UnitOfWork) -> dict[str, str]:
        now = ctx.now()
        # Merged into what the heartbeat keeps (version, address, uptime): a printer report must not erase them.
        known = uow.accounts.device_by_id(device.id)
        try:
            kept = json.loads(known.state) if known and known.state else {}
        except ValueError:
            kept = {}
        merged = (kept if isinstance(kept, dict) else {}) | state
        uow.accounts.set_device_state(device.id, json.dumps(merged, sort_keys=True), now)
        uow.record(DeviceStateChanged(now, device=device.name, kind=device.role, state=dict(state)))
        return state

    return run(ctx, work)


def unprinted_today(ctx: Context) -> list[TicketInfo]:
    """Today's tickets whose paper did not come out and that are still in line (for the clerk's reprint list)."""
    with ctx.uow() as uow:
        day = ctx.now().date()
        return [describe(uow, ctx.site, t) for t in uow.tickets.unprinted(day)]
