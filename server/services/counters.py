"""Use cases of the clerk at a loket: open/pause/close, call next, recall, start, finish, skip, transfer."""

from __future__ import annotations

from datetime import date

from ..domain.accounts import Principal
from ..domain.counter import CounterStatus
from ..domain.errors import DomainError, Forbidden, Invalid, NotFound
from ..domain.events import (
    CounterStatusChanged,
    TicketCalled,
    TicketFinished,
    TicketSkipped,
    TicketStarted,
    TicketTransferred,
)
from ..domain.ordering import choose_next, next_streak
from ..domain.site import Counter
from ..domain.standing import CounterTile
from ..domain.ticket import Status, Ticket
from ..storage.uow import UnitOfWork
from .context import Context, run
from .lines import TicketInfo, head_numbers, rank, record_ticket_event


def counter_for(ctx: Context, actor: Principal, code: str) -> Counter:
    """The counter, if it exists and `actor` may work at it (admins: any; clerks: their own)."""
    counter = ctx.site.counters.get(code)
    if counter is None:
        raise NotFound("unknown_counter", f"Loket '{code}' tidak ada.")
    if actor.role != "admin" and code not in actor.counters:
        raise Forbidden("counter_not_assigned", f"Anda tidak ditugaskan di {counter.name}.")
    return counter


def _busy(uow: UnitOfWork, day: date, counter: Counter) -> Ticket | None:
    return uow.tickets.at_counter(day, counter.code)


def set_counter_status(ctx: Context, actor: Principal, code: str, status: str) -> str:
    """Open, pause (Istirahat) or close (Tutup Loket) a counter; paused and closed counters get no calls."""
    counter = counter_for(ctx, actor, code)
    if status not in set(CounterStatus):
        allowed = ", ".join(s.value for s in CounterStatus)
        raise Invalid("invalid_status", f"Status loket harus salah satu dari: {allowed}.")

    def work(uow: UnitOfWork) -> str:
        now = ctx.now()
        state = uow.view.counter(code)
        state.status, state.clerk = CounterStatus(status), actor.name
        uow.state.save_counter(state, now)
        tile = CounterTile(code, state.status, _busy(uow, now.date(), counter))
        lines = rank(uow, ctx.site, now.date(), counter.services)  # estimates change with the open counters
        uow.record(CounterStatusChanged(now, tile=tile, clerk=actor.name, lines=lines))
        return status

    return run(ctx, work)


def call_next(ctx: Context, actor: Principal, code: str) -> TicketInfo | None:
    """Call the next ticket by the fairness rule; None when nobody waits. Opens a paused/closed counter."""
    counter = counter_for(ctx, actor, code)

    def work(uow: UnitOfWork) -> TicketInfo | None:
        now = ctx.now()
        # The loket's current ticket and its lines' heads in one read (the heads' numbers come from the line book).
        current, line = uow.tickets.at_counter_and_numbers(now.date(), code,
                                                           head_numbers(uow, now.date(), counter.services))
        if current is not None:
            raise DomainError("counter_busy", f"Selesaikan atau lewati antrean {current.number} dulu.",
                              ticket=current.number)
        state = uow.view.counter(code)
        ticket = choose_next(line, state.priority_streak, ctx.site.rules.priority_burst)
        if ticket is None:
            return None
        regular_waiting = any(not t.is_priority for t in line)
        ticket.call(code, actor.name, now)
        uow.tickets.save(ticket)  # a concurrent caller of the same ticket fails here and the call is retried
        state.priority_streak = next_streak(ticket, state.priority_streak, regular_waiting)
        state.status, state.clerk = CounterStatus.OPEN, actor.name
        uow.state.save_counter(state, now)
        return record_ticket_event(uow, ctx.site, TicketCalled, ticket, now, touched=counter.services, counter=code,
                                   tile=CounterTile(code, state.status, ticket), counter_name=counter.name,
                                   recall=False)

    return run(ctx, work)


def recall(ctx: Context, actor: Principal, code: str, number: str | None = None) -> TicketInfo:
    """Announce the current ticket again, or bring back a skipped ticket of today (by number)."""
    counter = counter_for(ctx, actor, code)

    def work(uow: UnitOfWork) -> TicketInfo:
        now = ctx.now()
        current = _busy(uow, now.date(), counter)
        if number is None or (current is not None and current.number == number):
            if current is None:
                raise DomainError("no_current_ticket", "Tidak ada antrean yang sedang dipanggil di loket ini.")
            ticket = current
        else:
            if current is not None:
                raise DomainError("counter_busy", f"Selesaikan atau lewati antrean {current.number} dulu.")
            found = uow.tickets.by_number(now.date(), number)
            if found is None or found.service not in counter.services:
                raise NotFound("unknown_ticket", f"Antrean {number} tidak ada hari ini di layanan loket ini.")
            if found.status is not Status.SKIPPED:  # never take a ticket another loket has called
                raise DomainError("not_skipped", f"Antrean {number} tidak sedang terlewat, tidak bisa dipanggil "
                                  "ulang di sini.")
            ticket = found
        ticket.recall(code, actor.name, now)
        uow.tickets.save(ticket)
        tile = CounterTile(code, uow.view.counter(code).status, ticket)
        return record_ticket_event(uow, ctx.site, TicketCalled, ticket, now, counter=code, tile=tile,
                                   counter_name=counter.name, recall=True)

    return run(ctx, work)


_EVENTS = {"start": TicketStarted, "finish": TicketFinished, "skip": TicketSkipped, "transfer": TicketTransferred}
# Whose line changed: a finish moves the service's estimate (a new service time); a transfer leaves one line and
# joins another; a start or a skip changes no waiting line.
_LINES_CHANGED = {
    "start": lambda t: (), "skip": lambda t: (), "finish": lambda t: (t.service,),
    "transfer": lambda t: (t.transferred_from, t.service),
}


def _act_on_current(ctx: Context, actor: Principal, code: str, action: str, *args: str) -> TicketInfo:
    """Apply `action` (a Ticket method) to the ticket this counter is busy with, and record its event."""
    counter = counter_for(ctx, actor, code)

    def work(uow: UnitOfWork) -> TicketInfo:
        now = ctx.now()
        ticket = _busy(uow, now.date(), counter)
        if ticket is None:
            raise DomainError("no_current_ticket", "Tidak ada antrean yang sedang dipanggil di loket ini.")
        before = ticket.service
        getattr(ticket, action)(*args, now)
        uow.tickets.save(ticket)
        busy = ticket if ticket.status is Status.SERVING else None
        tile = CounterTile(code, uow.view.counter(code).status, busy)
        extra = {"from_service": before} if action == "transfer" else {}
        return record_ticket_event(uow, ctx.site, _EVENTS[action], ticket, now, touched=_LINES_CHANGED[action](ticket),
                                   counter=code, tile=tile, **extra)

    return run(ctx, work)


def start(ctx: Context, actor: Principal, code: str) -> TicketInfo:
    """Mulai Layani: the visitor arrived at the counter; service time starts."""
    return _act_on_current(ctx, actor, code, "start")


def finish(ctx: Context, actor: Principal, code: str) -> TicketInfo:
    """Selesai: the visitor was served."""
    return _act_on_current(ctx, actor, code, "finish")


def skip(ctx: Context, actor: Principal, code: str) -> TicketInfo:
    """Lewati: the called visitor did not come (no-show); recallable today."""
    return _act_on_current(ctx, actor, code, "skip")


def transfer(ctx: Context, actor: Principal, code: str, service: str) -> TicketInfo:
    """Alihkan: send the current ticket to another service's line, keeping its number and place."""
    if service not in ctx.site.services:
        raise NotFound("unknown_service", f"Layanan '{service}' tidak ada.")
    return _act_on_current(ctx, actor, code, "transfer", service)
