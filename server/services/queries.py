"""Read-only queries: the services board, a counter's working view, the display snapshot (each in one transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ..domain.accounts import Principal
from ..domain.counter import CounterStatus
from ..domain.eta import minutes_of
from ..domain.hours import availability, next_opening
from ..domain.loket_windows import linked_services
from ..domain.projection import project
from ..domain.standing import CounterTile, CounterToday
from ..domain.ticket import Status, Ticket
from ..views.services import service_facts
from .context import Context
from .counters import counter_for
from .lines import counter_today, loket_times, open_lokets, service_samples, service_seconds, waiting_line

RECENT_CALLS = 12  # the display keeps as many (display/state.py HISTORY_SIZE)


def list_services(ctx: Context) -> list[dict[str, Any]]:
    """Every service with its state now: open or why not, people waiting, estimated wait for a new ticket."""
    now = ctx.now()
    with ctx.uow() as uow:
        issued = uow.state.issued_counts(now.date())
        lines = uow.view.waiting(now.date(), list(ctx.site.services))
        served = {code for c in open_lokets(ctx.site, uow.view.counters(), now) for code in c.services}
        counters = open_lokets(ctx.site, uow.view.counters(), now, visits=uow.view.visits(now.date()),
                               own=loket_times(uow, ctx.site, [s for s in served if s in ctx.site.services]))
        seconds = {code: service_seconds(uow, ctx.site, code) for code in served if code in ctx.site.services}
        samples = {code: service_samples(uow, ctx.site, code) for code in seconds}
        out = []
        for s in ctx.site.services.values():
            state = availability(ctx.site, s, now, issued.get(s.code, 0))
            n = len(lines[s.code])
            eta_seconds = _newcomer_eta(s.code, lines, counters, seconds, samples, ctx.site.rules.priority_burst)
            eta = minutes_of(eta_seconds)
            out.append(service_facts(ctx.site, s) | {
                "prefix": s.prefix, "open_now": state.open, "closed_reason": state.code,
                "closed_message": state.message, "waiting": n, "eta_minutes": eta,
                "eta_seconds": eta_seconds, "no_counter_open": eta_seconds is None,
                "daily_quota": s.daily_quota, "target_wait_minutes": s.target_wait_minutes,
                "remaining": max(0, s.daily_quota - issued.get(s.code, 0)) if s.daily_quota else None,
                "open": s.open.strftime("%H:%M"), "close": s.close.strftime("%H:%M") if s.close else "24:00",
                "spell_digits": s.spell_digits,
                "next_open": (opens := next_opening(ctx.site, s, now)) and opens.isoformat(timespec="minutes"),
            })
        return out


def _newcomer_eta(service: str, lines: dict, counters: list, seconds: dict, samples: dict, burst: int) -> int | None:
    """When a regular ticket taken now would be called (None: no open loket serves the service): the call
    projection with that ticket added at the end of its line."""
    linked = linked_services([service], counters)
    mine = [c for c in counters if any(s in linked for s in c.services)]
    if not any(service in c.services for c in mine):
        return None
    own = {s: lines.get(s, []) for s in linked}
    latest = max((line[-1][0] for line in own.values() if line), default=datetime.min) + timedelta(microseconds=1)
    newcomer = (latest, "\uffff", False)  # after everyone waiting now, at every loket it shares
    own[service] = [*own[service], newcomer]
    # as of its arrival: a loket whose line holds anyone else is busy (it would have called them)
    return project(own, mine, seconds, burst, samples, latest)[newcomer[1]].eta_seconds


def current_seq(ctx: Context) -> int:
    """The site's last event number: a snapshot read after it includes at least every event up to it."""
    with ctx.uow() as uow:
        return uow.state.current_seq()


@dataclass(frozen=True, slots=True)
class CounterView:
    code: str
    name: str
    services: tuple[str, ...]
    status: CounterStatus
    current: Ticket | None
    waiting: list[Ticket]
    skipped: list[Ticket]
    today: CounterToday
    seq: int


def counter_view(ctx: Context, actor: Principal, code: str) -> CounterView:
    """What the clerk's screen shows: the current ticket, the line, today's skipped tickets and the loket's day."""
    counter = counter_for(ctx, actor, code)
    day = ctx.now().date()
    with ctx.uow() as uow:
        services = list(counter.services)
        return CounterView(
            code=code, name=counter.name, services=counter.services, status=uow.state.counter(code).status,
            current=uow.tickets.at_counter(day, code), waiting=waiting_line(uow, day, services),
            skipped=uow.tickets.of_day(day, services, [Status.SKIPPED]), today=counter_today(uow, day, code),
            seq=uow.state.current_seq(),
        )


@dataclass(frozen=True, slots=True)
class CallRecord:
    """A call (or recall) from the tickets' history: the display's riwayat panggilan."""

    ticket: Ticket
    counter: str
    at: datetime
    recall: bool
    service: str  # the service it was called for (a ticket may be transferred since)


@dataclass(frozen=True, slots=True)
class DisplaySnapshot:
    seq: int
    day: date
    calls: list[CallRecord]
    tiles: list[CounterTile]
    waiting: dict[str, int]


def display_snapshot(ctx: Context) -> DisplaySnapshot:
    """Everything a waiting-room display needs to redraw from nothing, stamped with the current `seq`."""
    day = ctx.now().date()
    with ctx.uow() as uow:
        seq = uow.state.current_seq()
        states = uow.state.all_counters()
        busy_at = uow.tickets.busy_by_counter(day)
        tiles = [CounterTile(c.code, states[c.code].status if c.code in states else CounterStatus.CLOSED,
                             busy_at.get(c.code)) for c in ctx.site.counters.values()]
        calls = [CallRecord(t, counter, at, action == "recall", service)
                 for t, counter, at, action, service in uow.tickets.recent_calls(day, RECENT_CALLS)]
        return DisplaySnapshot(seq, day, calls, tiles, uow.tickets.waiting_counts(day))
