"""Use cases of the clerk at a loket: open/pause/close, call next, recall, start, finish, skip, transfer."""

from __future__ import annotations

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
    ticket_event,
)
from ..domain.ordering import choose_next, next_streak
from ..domain.site import Counter
from ..domain.ticket import Ticket
from ..storage.uow import UnitOfWork
from .context import Context, run
from .lines import TicketInfo, describe, waiting_counts


def counter_for(ctx: Context, actor: Principal, code: str) -> Counter:
    """The counter, if it exists and `actor` may work at it (admins: any; clerks: their own)."""
    counter = ctx.site.counters.get(code)
    if counter is None:
        raise NotFound("unknown_counter", f"Loket '{code}' tidak ada.")
    if actor.role != "admin" and code not in actor.counters:
        raise Forbidden("counter_not_assigned", f"Anda tidak ditugaskan di {counter.name}.")
    return counter


def _busy(uow: UnitOfWork, ctx: Context, counter: Counter) -> Ticket | None:
    return uow.tickets.at_counter(ctx.now().date(), counter.code)


def _announce(uow: UnitOfWork, ctx: Context, counter: Counter, ticket: Ticket, recall: bool) -> None:
    waiting = waiting_counts(uow, ctx.site, ticket.local_date, list(counter.services))
    uow.record(ticket_event(TicketCalled, ticket, ctx.now(), waiting, counter_name=counter.name, recall=recall))


def set_counter_status(ctx: Context, actor: Principal, code: str, status: str) -> str:
    """Open, pause (Istirahat) or close (Tutup Loket) a counter; paused and closed counters get no calls."""
    counter = counter_for(ctx, actor, code)
    if status not in set(CounterStatus):
        allowed = ", ".join(s.value for s in CounterStatus)
        raise Invalid("invalid_status", f"Status loket harus salah satu dari: {allowed}.")

    def work(uow: UnitOfWork) -> str:
        state = uow.state.counter(code)
        state.status, state.clerk = CounterStatus(status), actor.name
        uow.state.save_counter(state, ctx.now())
        waiting = waiting_counts(uow, ctx.site, ctx.now().date(), list(counter.services))
        uow.record(CounterStatusChanged(ctx.now(), counter=code, status=status, clerk=actor.name, waiting=waiting))
        return status

    return run(ctx, work)


def call_next(ctx: Context, actor: Principal, code: str) -> TicketInfo | None:
    """Call the next ticket by the fairness rule; None when nobody waits. Opens a paused/closed counter."""
    counter = counter_for(ctx, actor, code)

    def work(uow: UnitOfWork) -> TicketInfo | None:
        current = _busy(uow, ctx, counter)
        if current is not None:
            raise DomainError("counter_busy", f"Selesaikan atau lewati antrean {current.number} dulu.",
                              ticket=current.number)
        line = uow.tickets.line_heads(ctx.now().date(), list(counter.services))
        state = uow.state.counter(code)
        ticket = choose_next(line, state.priority_streak, ctx.site.rules.priority_burst)
        if ticket is None:
            return None
        regular_waiting = any(not t.is_priority for t in line)
        ticket.call(code, actor.name, ctx.now())
        uow.tickets.save(ticket)  # a concurrent caller of the same ticket fails here and the call is retried
        state.priority_streak = next_streak(ticket, state.priority_streak, regular_waiting)
        state.status, state.clerk = CounterStatus.OPEN, actor.name
        uow.state.save_counter(state, ctx.now())
        _announce(uow, ctx, counter, ticket, recall=False)
        return describe(uow, ctx.site, ticket)

    return run(ctx, work)


def recall(ctx: Context, actor: Principal, code: str, number: str | None = None) -> TicketInfo:
    """Announce the current ticket again, or bring back a skipped ticket of today (by number)."""
    counter = counter_for(ctx, actor, code)

    def work(uow: UnitOfWork) -> TicketInfo:
        current = _busy(uow, ctx, counter)
        if number is None or (current is not None and current.number == number):
            if current is None:
                raise DomainError("no_current_ticket", "Tidak ada antrean yang sedang dipanggil di loket ini.")
            ticket = current
        else:
            if current is not None:
                raise DomainError("counter_busy", f"Selesaikan atau lewati antrean {current.number} dulu.")
            found = uow.tickets.by_number(ctx.now().date(), number)
            if found is None or found.service not in counter.services:
                raise NotFound("unknown_ticket", f"Antrean {number} tidak ada hari ini di layanan loket ini.")
            ticket = found
        ticket.recall(code, actor.name, ctx.now())
        uow.tickets.save(ticket)
        _announce(uow, ctx, counter, ticket, recall=True)
        return describe(uow, ctx.site, ticket)

    return run(ctx, work)


_EVENTS = {"start": TicketStarted, "finish": TicketFinished, "skip": TicketSkipped, "transfer": TicketTransferred}


def _act_on_current(ctx: Context, actor: Principal, code: str, action: str, *args: str) -> TicketInfo:
    """Apply `action` (a Ticket method) to the ticket this counter is busy with, and record its event."""
    counter = counter_for(ctx, actor, code)

    def work(uow: UnitOfWork) -> TicketInfo:
        ticket = _busy(uow, ctx, counter)
        if ticket is None:
            raise DomainError("no_current_ticket", "Tidak ada antrean yang sedang dipanggil di loket ini.")
        before = ticket.service
        getattr(ticket, action)(*args, ctx.now())
        uow.tickets.save(ticket)
        touched = list(dict.fromkeys([*counter.services, before, ticket.service]))
        waiting = waiting_counts(uow, ctx.site, ticket.local_date, touched)
        extra = {"from_service": before} if action == "transfer" else {}
        uow.record(ticket_event(_EVENTS[action], ticket, ctx.now(), waiting, **extra))
        return describe(uow, ctx.site, ticket)

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
