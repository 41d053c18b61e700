"""`python -m server plan --service CODE --date YYYY-MM-DD`: counters needed per hour for a service on a day, from
the same weekday's arrivals in the last weeks and the service's own service times, so that 90 % of visitors wait at
most the service's target. Erlang C (the M/M/c queue, each hour a steady state of its own) gives the first guess;
the simulated day (`staffing.py`: the hours carry their queue over, service times drawn from history) the answer.
Beside it, the counters scheduled for the service in that hour (their hours in the site, all of them when none are
given) and the P90 wait they would give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

from ..domain.accounts import Principal
from ..domain.errors import Forbidden, Invalid
from ..domain.site import Site
from ..services.context import Context
from ..storage.plan_repo import visits
from .staffing import draw_days, p90_by_hour, plan_by_simulation


@dataclass(frozen=True, slots=True)
class HourPlan:
    hour: int
    arrivals_per_hour: float
    erlang: int  # counters Erlang C asks for (first guess)
    needed: int  # counters the simulated day needs
    scheduled: int  # counters serving the service in that hour
    p90_wait_scheduled: float  # minutes, with the scheduled counters (simulated; inf: some are never served)


@dataclass(frozen=True, slots=True)
class Plan:
    service: str
    day: date
    weeks: int
    mean_service_minutes: float
    target_minutes: int
    hours: list[HourPlan]


def scheduled_counters(site: Site, service: str, hour: int) -> int:
    """Counters that serve `service` and work in `hour` by their hours (a counter without hours: always)."""
    start, end = hour * 3600, (hour + 1) * 3600
    return sum(1 for c in site.counters_serving(service)
               if not c.hours or any(a < end and b > start for a, b in c.hours))


def plan(ctx: Context, service: str, day: date, weeks: int = 4) -> Plan:
    site = ctx.site
    if service not in site.services:
        raise Invalid("unknown_service", f"Layanan '{service}' tidak ada.")
    days = [day - timedelta(weeks=w) for w in range(1, weeks + 1)]
    with ctx.uow() as uow:
        seen = visits(uow.conn, site.timezone, service, days)
    durations = [(f - s).total_seconds() for _, s, f in seen if s and f and f > s]
    mean = fmean(durations) / 60 if durations else site.rules.default_service_minutes
    target = site.services[service].target_wait_minutes
    per_hour: dict[int, int] = {}
    for issued, _, _ in seen:
        per_hour[issued.hour] = per_hour.get(issued.hour, 0) + 1
    rates = {h: n / weeks for h, n in per_hour.items()}
    if not rates:
        return Plan(service, day, weeks, round(mean, 1), target, [])
    draws = draw_days(rates, durations, mean * 60)
    erlang, needed = plan_by_simulation(rates, mean, draws, target)
    scheduled = {h: scheduled_counters(site, service, h) for h in needed}
    p90 = p90_by_hour(draws, scheduled)
    hours = [HourPlan(h, round(rates.get(h, 0.0), 1), erlang[h], needed[h], scheduled[h], round(p90[h], 1))
             for h in needed]
    return Plan(service, day, weeks, round(mean, 1), target, hours)


def plan_for(ctx: Context, actor: Principal, service: str, day: date, weeks: int = 4) -> Plan:
    """`plan` for the console: an admin for any service, a supervisor for their agencies' services only."""
    if actor.role not in ("admin", "supervisor"):
        raise Forbidden("forbidden", "Hanya admin atau supervisor yang boleh melihat rencana loket.")
    found = ctx.site.services.get(service)
    if found is not None and actor.role == "supervisor" and found.agency not in actor.agencies:
        raise Forbidden("service_not_yours", f"Layanan {service} bukan milik instansi Anda.")
    if not 1 <= weeks <= 12:
        raise Invalid("bad_weeks", "Jumlah minggu: 1 sampai 12.")
    return plan(ctx, service, day, weeks)


def table(p: Plan) -> str:
    rows = [f"{p.service} {p.day.isoformat()}: rata-rata layanan {p.mean_service_minutes} menit, target P90 tunggu "
            f"{p.target_minutes} menit (dari {p.weeks} minggu terakhir, hari yang sama)",
            "| jam | kedatangan/jam | loket (Erlang C) | loket dibutuhkan (simulasi) | loket terjadwal | "
            "P90 tunggu dgn loket terjadwal (menit) |",
            "|---|---:|---:|---:|---:|---:|"]
    for h in p.hours:
        wait = "∞" if h.p90_wait_scheduled == float("inf") else h.p90_wait_scheduled
        rows.append(f"| {h.hour:02d}:00 | {h.arrivals_per_hour} | {h.erlang} | {h.needed} | {h.scheduled} | {wait} |")
    if not p.hours:
        rows.append("| – | 0 | 0 | 0 | – | – |")
    return "\n".join(rows)
