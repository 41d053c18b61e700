"""Reading the lines inside a unit of work: who waits, where every waiting ticket stands, a loket's tile and day,
and recording a ticket event with all of that, so the event carries what every screen needs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from itertools import filterfalse
from operator import itemgetter
from statistics import fmean

from ..domain.counter import CounterState
from ..domain.eta import LOKET_SPAN, Call, average_service_minutes, call_samples, loket_seconds, mean_or
from ..domain.events import TicketEvent
from ..domain.loket_windows import counter_windows, linked_services
from ..domain.projection import OpenCounter, Replay
from ..domain.site import Site
from ..domain.standing import CounterTile, CounterToday, ServiceLine, TicketInfo, info_in, lines_of
from ..domain.ticket import Status, Ticket
from ..storage.line_book import Visit
from ..storage.uow import UnitOfWork

__all__ = ["TicketInfo", "avg_minutes", "counter_tile", "counter_today", "describe", "head_numbers", "open_counters",
           "open_lokets", "rank", "record_ticket_event", "service_seconds", "waiting_line"]


def open_counters(site: Site, service: str, states: dict[str, CounterState]) -> int:
    """Counters open for `service`, given every counter's state."""
    return sum(1 for c in site.counters_serving(service) if c.code in states and states[c.code].is_open)


def avg_minutes(uow: UnitOfWork, site: Site, service: str) -> float:
    """The plain mean of the service's last visits (the queue-length baseline: no no-shows, no outlier rule)."""
    calls = recent_calls(uow, site, service)[:site.rules.eta_sample_size]
    return average_service_minutes([s for _, s, skipped in calls if not skipped], site.rules.default_service_minutes)


def recent_calls(uow: UnitOfWork, site: Site, service: str) -> list[Call]:
    """The service's last calls that ended, deep enough for each of its lokets' own sample (the line view's)."""
    return uow.view.recent_calls(service, site.rules.eta_sample_size * LOKET_SPAN)


def waiting_line(uow: UnitOfWork, day: date, services: list[str]) -> list[Ticket]:
    return uow.tickets.of_day(day, services, [Status.WAITING])


def service_samples(uow: UnitOfWork, site: Site, service: str) -> list[float]:
    """A service's recent times per call that can be typical, its no-shows in their share (through the line view,
    as `service_seconds`)."""
    n = site.rules.eta_sample_size
    return uow.view.digest(service, n * LOKET_SPAN, "samples", lambda calls: call_samples(calls, n))


def loket_times(uow: UnitOfWork, site: Site, services: Iterable[str]) -> dict[str, dict[str, float]]:
    """Per service, the lokets whose own time per call differs from the service's (`eta.loket_seconds`), kept
    in the line view with the service's calls."""
    n, default = site.rules.eta_sample_size, site.rules.default_service_minutes * 60
    return {s: uow.view.digest(s, n * LOKET_SPAN, "lokets", lambda calls: loket_seconds(calls, n, default))
            for s in services}


def service_seconds(uow: UnitOfWork, site: Site, service: str) -> float:
    """A service's typical duration (robust to outliers) from its recent services, through the line view (cached in
    the line book, so one read per service until a ticket of it is finished)."""
    return mean_or(service_samples(uow, site, service), site.rules.default_service_minutes * 60)


def open_lokets(site: Site, states: dict[str, CounterState], now: datetime | None,
                codes: Iterable[str] | None = None, visits: Mapping[str, Visit | None] | None = None,
                own: Mapping[str, Mapping[str, float]] | None = None) -> list[OpenCounter]:
    """The counters (all, or those of `codes`) as the call projection needs them — open now, or closed now with
    hours later today (from the site's counter hours) — with the seconds since each last called (or opened) as of
    `now` (None: unknown, and only the counters open now are given hours), their current visits where `visits`
    knows them (the line view's) and their own times per call where `own` (service → loket → seconds) has them."""
    out = []
    clock = None if now is None else now.hour * 3600 + now.minute * 60 + now.second + now.microsecond / 1e6
    for c in site.counters.values() if codes is None else (site.counters[code] for code in codes):
        state = states.get(c.code)
        is_open = state is not None and state.is_open
        windows = counter_windows(c.hours, clock, is_open)
        if not is_open and not windows:
            continue
        since = in_visit = None
        if is_open and now is not None and state.updated_at is not None:  # type: ignore[union-attr]
            since = max(0.0, _seconds_between(state.updated_at, now))  # type: ignore[union-attr]
        known = visits is not None and now is not None and c.code in visits
        if known and (visit := visits[c.code]) is not None:  # type: ignore[index]
            in_visit = max(0.0, _seconds_between(visit[1], now))  # type: ignore[arg-type]
        mine = {s: own[s][c.code] for s in c.services if s in own and c.code in own[s]} if own else {}
        out.append(OpenCounter(c.code, c.services, state.priority_streak if state else 0, since, windows, known,
                               in_visit, mine))
    return out


def _seconds_between(earlier: datetime, later: datetime) -> float:
    """SQLite gives the stored site time back without its offset: then both are compared as site wall time."""
    if (earlier.tzinfo is None) != (later.tzinfo is None):
        earlier, later = earlier.replace(tzinfo=None), later.replace(tzinfo=None)
    return (later - earlier).total_seconds()


# How stale a group's projection may get between its lokets' changes: the start moves on by whole steps of this to
# the newest ticket (one replay per step; the issues in between append to it). Projected from the lokets' last
# change alone, every loket still busy long after it was expected free counts as free since then: on seeds 1-3
# and 101-105 of the four scenarios, bias -0.2 to -0.5 min more negative and rel. MSE up to 16 % worse.
RESTART_SECONDS = 60


def _as_of(states: dict[str, CounterState], counters: list[str], lines: Iterable[list]) -> datetime | None:
    """The moment a group of lines is projected from: its lokets' last call or status change (or its oldest waiting
    ticket's arrival when that came later: yesterday's closing is no start for today), moved on by whole
    `RESTART_SECONDS` towards its newest ticket. Not the clock: a page's snapshot then equals the last event it got
    (tests/integration/test_snapshot_plus_events.py); and a ticket issued within the same step changes no other
    ticket's projection (`projection.Replay.extend`)."""
    waiting = [line for line in lines if line]  # the lines' entries all come alike: compared as they are
    stamps = [states[c].updated_at for c in counters if c in states and states[c].updated_at is not None]
    stamps += [min(line[0][0] for line in waiting)] if waiting else []
    # Aware times compare across zones (a loket's stamp comes back in UTC, a ticket's in site time); only SQLite's
    # times without offset are compared as site wall time (`_seconds_between`).
    mixed = len({m.tzinfo is None for m in stamps}) > 1
    start = max(stamps, key=(lambda m: m.replace(tzinfo=None)) if mixed else None, default=None)  # type: ignore
    if start is None or not waiting:
        return start
    steps = _seconds_between(start, max(line[-1][0] for line in waiting)) // RESTART_SECONDS
    return start + timedelta(seconds=steps * RESTART_SECONDS) if steps > 0 else start


def _like_entries(moment: datetime | None, lines: dict[str, list], group: list[str]) -> datetime | None:
    """`moment` comparable with the group's waiting entries (SQLite gives stored times back without offset)."""
    first = next((lines[g][0][0] for g in group if lines.get(g)), None)
    if moment is None or first is None or (first.tzinfo is None) == (moment.tzinfo is None):
        return moment
    return moment.replace(tzinfo=None) if first.tzinfo is None else moment.replace(tzinfo=first.tzinfo)


def rank(uow: UnitOfWork, site: Site, day: date, services: Iterable[str],
         appended_only: bool = False) -> dict[str, ServiceLine]:
    """The ranked waiting line of each service, and of every service sharing an open loket with one of them (a
    call of one moves the others), from the unit of work's line view (no statement when the view starts from a
    current line book; else one for the lines, one for the counters, one per service with waiting tickets for
    its recent service times). With `appended_only`, a group whose only change since its last ranking in the line
    view is regular tickets appended (no priority ticket waiting) gives only the lines that got them, with only
    their standings (nobody else's moved): an issue then costs one placement, not a replay of the group."""
    codes = [s for s in dict.fromkeys(services) if s in site.services]
    if not codes or not uow.for_screens:  # lines ranked only for screens (and nothing stores them)
        return {}
    states = uow.view.counters()
    # the lokets open now, and those closed now but staffed later today, link lines (placed per group, below)
    counters = [c for c in site.counters.values() if c.hours or (c.code in states and states[c.code].is_open)]
    groups: list[list[str]] = []  # the lines linked by lokets, each group once
    for s in codes:
        if not any(s in g for g in groups):
            groups.append(linked_services([s], counters))
    codes = [s for g in groups for s in g if s in site.services]
    lines = uow.view.waiting(day, codes)
    samples = {s: service_samples(uow, site, s) for s in codes if lines[s]}
    default = site.rules.default_service_minutes * 60
    seconds = {s: mean_or(kept, default) for s, kept in samples.items()}
    own = loket_times(uow, site, samples)
    out: dict[str, ServiceLine] = {}
    for group in groups:  # each group of lines linked by lokets, as of its own last change
        # A loket whose services were all retired serves no line (it made every ranking a 500: Schemathesis).
        mine = [c.code for c in counters if c.services and c.services[0] in group]
        mine_lines = {g: lines[g] for g in group if g in lines}
        as_of = _as_of(states, mine, mine_lines.values())
        lokets = open_lokets(site, states, as_of, mine, uow.view.visits(day), own)
        given = (mine_lines, lokets, seconds, site.rules.priority_burst, samples, _like_entries(as_of, lines, group))
        key = (day, *sorted(mine_lines))  # the same group, whichever of its lines was asked for
        replay = uow.view.replays.get(key)
        new = replay.extend(*given) if replay is not None else None
        if new is None:  # anything but tickets appended: replay the group, and keep it for the next issue
            replay = uow.view.replays[key] = Replay(*given)
        out.update(lines_of(mine_lines, replay.projected, new if appended_only and new is not None else None))
    return out


_IS_PRIORITY = itemgetter(2)  # of a waiting entry (queued_at, number, is priority)


def head_numbers(uow: UnitOfWork, day: date, services: Iterable[str]) -> list[str]:
    """The numbers of the longest-waiting regular and the longest-waiting priority ticket of `services` (0–2): all
    the ordering rule needs to choose the next call; from the line view (no statement with a current book)."""
    regular: tuple | None = None
    priority: tuple | None = None
    for line in uow.view.waiting(day, services).values():  # scanned in C: a line without priority tickets is read to
        first_regular = next(filterfalse(_IS_PRIORITY, line), None)  # its end on every call
        first_priority = next(filter(_IS_PRIORITY, line), None)
        if first_regular is not None and (regular is None or first_regular < regular):
            regular = first_regular
        if first_priority is not None and (priority is None or first_priority < priority):
            priority = first_priority
    return [e[1] for e in (regular, priority) if e is not None]


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
    lines = rank(uow, site, ticket.local_date, touched, appended_only=True)
    line = lines.get(ticket.service)
    if ticket.status is Status.WAITING and (line is None or line.standing_of(ticket.number) is None):
        info = describe(uow, site, ticket)
    else:
        info = info_in(line, ticket, _counter_name(site, ticket))
    screens = uow.for_screens
    if counter is not None and tile is None and screens:
        tile = counter_tile(uow, ticket.local_date, counter)
    done = counter and ticket.status is Status.DONE and screens
    today = counter_today(uow, ticket.local_date, counter) if done else None
    uow.record(cls(now, info=info, counter=counter, tile=tile, today=today, lines=lines, **extra))  # type: ignore[arg-type]
    return info
