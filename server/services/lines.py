"""Reading the lines inside a unit of work: who waits, where every waiting ticket stands, a loket's tile and day,
and recording a ticket event with all of that, so the event carries what every screen needs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from statistics import fmean

from ..domain.counter import CounterState
from ..domain.eta import average_service_minutes
from ..domain.events import TicketEvent
from ..domain.site import Site
from ..domain.standing import CounterTile, CounterToday, ServiceLine, TicketInfo, info_in, rank_line
from ..domain.ticket import Status, Ticket
from ..storage.uow import UnitOfWork

__all__ = ["TicketInfo", "avg_minutes", "counter_tile", "counter_today", "describe", "line_heads", "open_counters",
           "rank", "record_ticket_event", "waiting_line"]


def open_counters(site: Site, service: str, states: dict[str, CounterState]) -> int:
    """Counters open for `service`, given every counter's state."""
    return sum(1 for c in site.counters_serving(service) if c.code in states and states[c.code].is_open)


def avg_minutes(uow: UnitOfWork, site: Site, service: str) -> float:
    recent = uow.view.recent_seconds(service, site.rules.eta_sample_size)
    return average_service_minutes(recent, site.rules.default_service_minutes)


def waiting_line(uow: UnitOfWork, day: date, services: list[str]) -> list[Ticket]:
    return uow.tickets.of_day(day, services, [Status.WAITING])


def rank(uow: UnitOfWork, site: Site, day: date, services: Iterable[str]) -> dict[str, ServiceLine]:
    """The ranked waiting line of each service, from the unit of work's line view (no statement when the view
    starts from a current line book; else one for the lines, one for the counters, one per service for its recent
    service times)."""
    codes = [s for s in dict.fromkeys(services) if s in site.services]
    if not codes:
        return {}
    lines = uow.view.waiting(day, codes)
    states = uow.view.counters()
    burst = site.rules.priority_burst
    return {s: rank_line(s, [(number, priority) for _, number, priority in line], burst, avg_minutes(uow, site, s),
                         open_counters(site, s, states))
            for s, line in lines.items()}


def line_heads(uow: UnitOfWork, day: date, services: Iterable[str]) -> list[Ticket]:
    """The longest-waiting regular and the longest-waiting priority ticket of `services` (0–2 tickets, one
    statement): all the ordering rule needs to choose the next call."""
    regular: tuple | None = None
    priority: tuple | None = None
    for line in uow.view.waiting(day, services).values():
        first_regular = next((e for e in line if not e[2]), None)
        first_priority = next((e for e in line if e[2]), None)
        if first_regular is not None and (regular is None or first_regular < regular):
            regular = first_regular
        if first_priority is not None and (priority is None or first_priority < priority):
            priority = first_priority
    numbers = [e[1] for e in (regular, priority) if e is not None]
    return uow.tickets.by_numbers(day, numbers) if numbers else []


def _counter_name(site: Site, ticket: Ticket) -> str | None:
    return site.counters[ticket.counter].name if ticket.counter in site.counters else None


def describe(uow: UnitOfWork, site: Site, ticket: Ticket) -> TicketInfo:
    """People ahead and ETA for a ticket (0 / 0 once it is no longer waiting)."""
    lines = rank(uow, site, ticket.local_date, [ticket.service]) if ticket.status is Status.WAITING else {}
    return info_in(lines.get(ticket.service), ticket, _counter_name(site, ticket))


def counter_tile(uow: UnitOfWork, day: date, code: str) -> CounterTile:
    """A loket's state and the ticket it is busy with, read now."""
    return CounterTile(code, uow.view.counter(code).status, uow.tickets.at_counter(day, code))


def counter_today(uow: UnitOfWork, day: date, code: str) -> CounterToday:
    """Tickets finished at a loket today and their mean service time."""
    durations = uow.tickets.finished_at_counter_since(code, day)
    return CounterToday(len(durations), round(fmean(durations) / 60, 1) if durations else None)


def record_ticket_event(uow: UnitOfWork, site: Site, cls: type[TicketEvent], ticket: Ticket, now: datetime, *,
                        touched: Iterable[str] = (), counter: str | None = None, tile: CounterTile | None = None,
                        **extra: object) -> TicketInfo:
    """Record `cls` for `ticket` (already saved) with the new lines of the services in `touched` (those whose
    waiting tickets or estimates changed: only they are sent again), and, when it happened at loket `counter`, that
    loket's tile (read unless given) and, after a finish, its day. Returns the ticket with its standing."""
    lines = rank(uow, site, ticket.local_date, touched)
    if ticket.status is Status.WAITING and ticket.service not in lines:
        info = describe(uow, site, ticket)
    else:
        info = info_in(lines.get(ticket.service), ticket, _counter_name(site, ticket))
    if counter is not None and tile is None:
        tile = counter_tile(uow, ticket.local_date, counter)
    today = counter_today(uow, ticket.local_date, counter) if counter and ticket.status is Status.DONE else None
    uow.record(cls(now, info=info, counter=counter, tile=tile, today=today, lines=lines, **extra))  # type: ignore[arg-type]
    return info
