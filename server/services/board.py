"""The supervision board's use cases: whose data a board may show (its scope) and the snapshot it starts from.

A board shows every loket and service of its scope: the whole site for an admin, the supervisor's agencies for a
supervisor. The snapshot is read in one transaction and stamped with the site's `seq`; after it the board follows
committed events (server/realtime/board.py), so this runs on connect and on request, never per event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..domain.accounts import Principal, counters_of
from ..domain.counter import CounterState
from ..domain.errors import Forbidden
from ..domain.site import Counter, Service, Site
from ..domain.standing import ServiceLine
from ..domain.ticket import Status, Ticket
from .context import Context
from .lines import rank

BOARD_ROLES = ("admin", "supervisor")
# Tickets that were called today: the late ones (waited past the target) and the served count come from them.
CALLED_TODAY = (Status.CALLED, Status.SERVING, Status.DONE, Status.SKIPPED)


def board_scope(actor: Principal) -> tuple[str, ...] | None:
    """The agencies `actor`'s board shows: None = the whole site (admin). Anyone else is refused."""
    if actor.role == "admin":
        return None
    if actor.role == "supervisor":
        return tuple(sorted(actor.agencies))
    raise Forbidden("forbidden", "Papan pantau hanya untuk admin dan supervisor.")


def narrowed(scope: tuple[str, ...] | None, asked: list[str] | None) -> tuple[str, ...] | None:
    """A board may ask to show fewer agencies (a TV for one floor): only those of its scope, never more."""
    if not asked:
        return scope
    wanted = sorted({a for a in asked if isinstance(a, str)})
    return tuple(wanted if scope is None else [a for a in wanted if a in scope])


def scoped_services(site: Site, scope: tuple[str, ...] | None) -> list[Service]:
    return [s for s in site.services.values() if scope is None or s.agency in scope]


def scoped_counters(site: Site, scope: tuple[str, ...] | None) -> list[Counter]:
    mine = None if scope is None else counters_of(site, scope)
    return [c for c in site.counters.values() if mine is None or c.code in mine]


@dataclass(frozen=True, slots=True)
class BoardSnapshot:
    seq: int
    day: date
    now: datetime
    services: list[Service]
    counters: list[tuple[Counter, CounterState | None, Ticket | None]]  # the loket, its state, its busy ticket
    waiting: list[Ticket]
    lines: dict[str, ServiceLine]
    called: list[Ticket]  # tickets of the scope called today (late ones, served count)


def board_snapshot(ctx: Context, scope: tuple[str, ...] | None) -> BoardSnapshot:
    """Everything a board of `scope` draws from nothing, current to the returned `seq`."""
    now = ctx.now()
    day, site = now.date(), ctx.site
    services, counters = scoped_services(site, scope), scoped_counters(site, scope)
    codes = [s.code for s in services]
    with ctx.uow() as uow:
        seq = uow.state.current_seq()
        states = uow.state.all_counters()
        busy = uow.tickets.busy_by_counter(day)
        return BoardSnapshot(
            seq=seq, day=day, now=now, services=services,
            counters=[(c, states.get(c.code), busy.get(c.code)) for c in counters],
            waiting=uow.tickets.of_day(day, codes, [Status.WAITING]) if codes else [],
            lines=rank(uow, site, day, codes), called=uow.tickets.of_day(day, codes, CALLED_TODAY) if codes else [],
        )
