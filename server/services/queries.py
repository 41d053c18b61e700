"""Read-only views: the services board, a counter's working view, the display snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean
from typing import Any

from ..domain.accounts import Principal
from ..domain.counter import CounterStatus
from ..domain.eta import estimate_wait_minutes
from ..domain.hours import availability
from ..domain.ticket import Status, Ticket
from .context import Context
from .counters import counter_for
from .lines import TicketInfo, avg_minutes, describe, open_counters, waiting_line

RECENT_CALLS = 10


def list_services(ctx: Context) -> list[dict[str, Any]]:
    """Every service with its state now: open or why not, people waiting, estimated wait for a new ticket."""
    now = ctx.now()
    with ctx.uow() as uow:
        issued = uow.state.issued_counts(now.date())
        waiting = uow.tickets.waiting_counts(now.date())
        states = uow.state.all_counters()
        out = []
        for s in ctx.site.services.values():
            state = availability(ctx.site, s, now, issued.get(s.code, 0))
            n = waiting.get(s.code, 0)
            eta = estimate_wait_minutes(n, avg_minutes(uow, ctx.site, s.code), open_counters(uow, ctx.site, s.code, states))
            out.append({
                "code": s.code, "name": s.name, "agency": s.agency, "agency_name": ctx.site.agencies[s.agency].name,
                "prefix": s.prefix, "open_now": state.open, "closed_reason": state.code,
                "closed_message": state.message, "waiting": n, "eta_minutes": eta,
                "daily_quota": s.daily_quota,
                "remaining": max(0, s.daily_quota - issued.get(s.code, 0)) if s.daily_quota else None,
                "open": s.open.strftime("%H:%M"), "close": s.close.strftime("%H:%M") if s.close else "24:00",
                "days": list(s.days), "requirements": list(s.requirements), "procedure": list(s.procedure),
                "duration": s.duration, "fee": s.fee, "product": s.product, "complaint": s.complaint,
                "spell_digits": s.spell_digits,
            })
        return out


@dataclass(frozen=True, slots=True)
class CounterView:
    code: str
    name: str
    services: tuple[str, ...]
    status: str
    current: TicketInfo | None
    waiting: list[Ticket]
    skipped: list[Ticket]
    served: int
    skipped_count: int
    avg_service_minutes: float | None
    seq: int


def counter_view(ctx: Context, actor: Principal, code: str) -> CounterView:
    """What the clerk's screen shows: the current ticket, the line, today's skipped tickets and counts."""
    counter = counter_for(ctx, actor, code)
    day = ctx.now().date()
    with ctx.uow() as uow:
        seq = uow.state.current_seq()
        current = uow.tickets.at_counter(day, code)
        services = list(counter.services)
        durations = uow.tickets.finished_at_counter_since(code, day)
        counts = uow.tickets.counts_by_status(day, code)
        return CounterView(
            code=code, name=counter.name, services=counter.services, status=uow.state.counter(code).status,
            current=describe(uow, ctx.site, current) if current else None,
            waiting=waiting_line(uow, day, services),
            skipped=uow.tickets.of_day(day, services, [Status.SKIPPED]),
            served=counts.get(Status.DONE.value, 0), skipped_count=counts.get(Status.SKIPPED.value, 0),
            avg_service_minutes=round(fmean(durations) / 60, 1) if durations else None, seq=seq,
        )


def display_snapshot(ctx: Context) -> dict[str, Any]:
    """Everything a waiting-room display needs to redraw from nothing, stamped with the current `seq`."""
    day = ctx.now().date()
    with ctx.uow() as uow:
        seq = uow.state.current_seq()
        states = uow.state.all_counters()
        waiting = uow.tickets.waiting_counts(day)
        busy_at = uow.tickets.busy_by_counter(day)
        counters = []
        for c in ctx.site.counters.values():
            busy = busy_at.get(c.code)
            counters.append({"code": c.code, "name": c.name, "services": list(c.services),
                             "status": (states[c.code].status if c.code in states else CounterStatus.CLOSED).value,
                             "number": busy.number if busy else None, "ticket_status": busy.status.value if busy else None,
                             "priority": busy.priority.value if busy and busy.priority else None})
        calls = [{"number": t.number, "service": t.service, "counter": t.counter,
                  "counter_name": ctx.site.counters[t.counter].name if t.counter in ctx.site.counters else t.counter,
                  "priority": t.priority.value if t.priority else None, "status": t.status.value,
                  "at": t.called_at.isoformat(timespec="seconds") if t.called_at else None}
                 for t in uow.tickets.recent_calls(day, RECENT_CALLS)]
    return {"seq": seq, "date": day.isoformat(), "site": ctx.site.name, "calls": calls, "counters": counters,
            "waiting": {s: waiting.get(s, 0) for s in ctx.site.services}}
