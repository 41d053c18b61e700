"""Reading the lines inside a unit of work: who waits, people ahead and estimated waits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.counter import CounterState
from ..domain.eta import average_service_minutes, estimate_wait_minutes
from ..domain.ordering import people_ahead
from ..domain.site import Site
from ..domain.ticket import Status, Ticket
from ..storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class TicketInfo:
    """A ticket with what the visitor wants to know: people ahead and the estimated wait."""

    ticket: Ticket
    ahead: int
    eta_minutes: int
    counter_name: str | None = None


def open_counters(uow: UnitOfWork, site: Site, service: str, states: dict[str, CounterState] | None = None) -> int:
    """Counters open for `service`; pass `states` when asking for many services in one go."""
    states = uow.state.all_counters() if states is None else states
    return sum(1 for c in site.counters_serving(service) if c.code in states and states[c.code].is_open)


def avg_minutes(uow: UnitOfWork, site: Site, service: str) -> float:
    recent = uow.tickets.recent_service_seconds(service, site.rules.eta_sample_size)
    return average_service_minutes(recent, site.rules.default_service_minutes)


def waiting_line(uow: UnitOfWork, day: date, services: list[str]) -> list[Ticket]:
    return uow.tickets.of_day(day, services, [Status.WAITING])


def describe(uow: UnitOfWork, site: Site, ticket: Ticket) -> TicketInfo:
    """People ahead and ETA for a waiting ticket (0 / 0 once it is called)."""
    counter_name = site.counters[ticket.counter].name if ticket.counter in site.counters else None
    if ticket.status is not Status.WAITING:
        return TicketInfo(ticket, 0, 0, counter_name)
    ahead = people_ahead(ticket.is_priority, uow.tickets.position(ticket), site.rules.priority_burst)
    eta = estimate_wait_minutes(ahead, avg_minutes(uow, site, ticket.service), open_counters(uow, site, ticket.service))
    return TicketInfo(ticket, ahead, eta, counter_name)


def waiting_counts(uow: UnitOfWork, site: Site, day: date, services: list[str]) -> dict[str, int]:
    counts = uow.tickets.waiting_counts(day)
    return {s: counts.get(s, 0) for s in services}
