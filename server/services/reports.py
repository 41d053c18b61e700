"""Use cases of the reports (issue 13): the summary of a period and scope, and the raw tickets of a period.

Who sees what: an admin the whole site; a supervisor only their agencies (another agency, or a service or counter
of one, is refused with 403); clerks and devices nothing. The figures are defined in docs/reports.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError

from ..domain.accounts import Principal, counters_of
from ..domain.errors import Forbidden
from ..domain.report_figures import (
    Counts,
    Durations,
    Summary,
    TicketRecord,
    busiest,
    clerk_rows,
    empty_heatmap,
    service_row,
    site_days,
    target_wait_minutes,
    with_open_time,
)
from ..domain.report_period import BadQuery, Scope
from ..domain.site import Site
from ..storage import reports_rollup as rollup
from ..storage.reports_repo import Filter, ReportsRepository, as_day
from .context import Context

STAFF = ("admin", "supervisor")
REBUILD_DAYS = 31


@dataclass(frozen=True, slots=True)
class Resolved:
    """A checked scope: the ticket filter, and the services whose opening days decide which days were closed."""

    filter: Filter
    day_services: tuple[str, ...]


def offset_seconds(site: Site, day: date) -> int:
    """The site's UTC offset on `day` (WITA: always +8 h; Indonesia keeps no daylight saving)."""
    offset = site.timezone.utcoffset(datetime.combine(day, time(12)))
    return int(offset.total_seconds()) if offset is not None else 0


def resolve(site: Site, actor: Principal, start: date, end: date, scope: Scope) -> Resolved:
    """Check that `actor` may see `scope` and turn it into a ticket filter (400 for unknown codes, 403 for
    another agency's)."""
    if actor.role not in STAFF:
        raise Forbidden("forbidden", "Hanya admin atau supervisor yang boleh melihat laporan.")
    own = None if actor.role == "admin" else set(actor.agencies)
    services: tuple[str, ...] | None = None
    if scope.agency is not None:
        if scope.agency not in site.agencies:
            raise BadQuery("unknown_agency", f"Instansi '{scope.agency}' tidak ada.", param="agency")
        if own is not None and scope.agency not in own:
            raise Forbidden("agency_not_yours", f"Instansi {scope.agency} bukan instansi Anda.")
        services = tuple(s.code for s in site.services.values() if s.agency == scope.agency)
    if scope.service is not None:
        svc = site.services.get(scope.service)
        if svc is None:
            raise BadQuery("unknown_service", f"Layanan '{scope.service}' tidak ada.", param="service")
        if own is not None and svc.agency not in own:
            raise Forbidden("service_not_yours", f"Layanan {svc.code} bukan milik instansi Anda.")
        if services is not None and svc.code not in services:
            raise BadQuery("scope_mismatch", f"Layanan {svc.code} bukan layanan instansi {scope.agency}.")
        services = (svc.code,)
    if scope.counter is not None:
        counter = site.counters.get(scope.counter)
        if counter is None:
            raise BadQuery("unknown_counter", f"Loket '{scope.counter}' tidak ada.", param="counter")
        if own is not None and counter.code not in counters_of(site, own):
            raise Forbidden("counter_not_yours", f"{counter.name} tidak melayani instansi Anda.")
    if services is None and own is not None:  # a supervisor's whole view: their agencies' services only
        services = tuple(s.code for s in site.services.values() if s.agency in own)
    day_services = services if services is not None else tuple(site.services)
    if scope.counter is not None:
        day_services = tuple(s for s in site.counters[scope.counter].services if s in day_services)
    return Resolved(Filter(start, end, services, scope.counter, scope.clerk), day_services)


def summary(ctx: Context, actor: Principal, start: date, end: date, scope: Scope) -> Summary:
    """Every figure of the period for the scope, from SQL aggregates read in one snapshot."""
    site = ctx.site
    r = resolve(site, actor, start, end, scope)
    f = r.filter
    codes = set(f.services) if f.services is not None else set(site.services)
    targets = {code: target_wait_minutes(site, code) * 60 for code in codes}
    refresh_facts(ctx, start, end)
    with ctx.engine.connect() as conn:
        repo = ReportsRepository(conn)
        if f.counter is None and f.clerk is None:  # a whole site, agency or service: the per-day rollups
            groups = rollup.by_day_service(conn, start, end, f.services)
            arrivals = rollup.arrivals(conn, start, end, f.services)
            clerk_days = rollup.clerk_days(conn, start, end, f.services, as_day)
        else:  # one counter or one clerk: their own tickets' facts
            groups, arrivals, clerk_days = repo.by_day_service(f), repo.arrivals(f), repo.clerk_days(f)
        waits, service_times, within = repo.durations(f, targets)
        clerk_days = with_open_time(clerk_days, repo.counter_log(f))
        bookings = None if f.counter or f.clerk else repo.bookings(start, end, f.services, ctx.now())
    per_day: dict[date, tuple[int, int]] = {}
    per_service: dict[str, list[int]] = {}  # the 8 numbers of a group, then how many waited within target
    for day, service, *numbers in groups:
        issued, served = per_day.get(day, (0, 0))
        per_day[day] = (issued + int(numbers[0]), served + int(numbers[1] or 0))
        acc = per_service.get(service)
        if acc is None:
            acc = per_service[service] = [0] * 9
        for i, n in enumerate(numbers):
            acc[i] += int(n or 0)
    for service, n in within.items():
        per_service.setdefault(service, [0] * 9)[8] += n
    totals = [sum(column) for column in zip(*per_service.values(), strict=True)] if per_service else [0] * 9
    heat = empty_heatmap()
    for weekday, hour, n in arrivals:
        heat[weekday][hour] += n
    services = sorted((service_row(site, code, a[0], a[1], a[6], a[7], a[8]) for code, a in per_service.items()),
                      key=lambda s: (-s.issued, s.service))
    return Summary(start, end, scope.as_dict(), Counts(*totals[:6]), bookings, Durations.of_counts(waits.items()),
                   Durations.of_counts(service_times.items()), totals[8] / totals[7] if totals[7] else None, totals[8], heat,
                   site_days(site, r.day_services, start, end, per_day, ctx.now().date()), busiest(heat), services,
                   clerk_rows(clerk_days))


def refresh_facts(ctx: Context, start: date, end: date) -> int:
    """Bring the report facts of the period up to date: days not yet final are recomputed from the tickets, a
    month per short write transaction (so a kiosk never waits long behind a cold year). Returns the days rebuilt."""
    today = ctx.now().date()
    last = min(end, today)
    if last < start:
        return 0
    with ctx.engine.connect() as conn:
        final = ReportsRepository(conn).final_days(start, last)
    days = [d for d in (start + timedelta(days=i) for i in range((last - start).days + 1)) if d not in final]
    for i in range(0, len(days), REBUILD_DAYS):
        chunk = days[i:i + REBUILD_DAYS]
        try:
            with ctx.engine.begin() as conn:
                ReportsRepository(conn).rebuild(chunk, today, offset_seconds(ctx.site, chunk[0]))
        except IntegrityError:  # a concurrent report rebuilt the same days first: theirs is as good
            continue
    return len(days)


def rebuild_facts(ctx: Context, start: date, end: date) -> int:
    """Rebuild the report facts of a period even where they were final (demo-data writes history into the past)."""
    with ctx.engine.begin() as conn:
        ReportsRepository(conn).forget(start, end)
    return refresh_facts(ctx, start, end)


def ticket_records(ctx: Context, actor: Principal, start: date, end: date, scope: Scope) -> Iterator[TicketRecord]:
    """The raw tickets of the period for the scope, streamed (the caller iterates; the connection closes when the
    iteration ends). The access check happens now, before the first row is asked for."""
    f = resolve(ctx.site, actor, start, end, scope).filter

    def rows() -> Iterator[TicketRecord]:
        with ctx.engine.connect() as conn:
            yield from ReportsRepository(conn).records(f)

    return rows()
