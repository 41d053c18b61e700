"""`python -m server plan --service CODE --date YYYY-MM-DD`: counters needed per hour for a service on a day, from
the same weekday's arrivals in the last weeks and the service's mean service time, so that 90 % of visitors wait
at most the service's target (Erlang C, the M/M/c queue: a first guess that assumes every counter serves only this
service and stays open the whole hour)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

from ..domain.errors import Invalid
from ..services.context import Context
from ..storage.plan_repo import visits
from .erlang import counters_needed, wait_quantile


@dataclass(frozen=True, slots=True)
class HourPlan:
    hour: int
    arrivals_per_hour: float
    needed: int
    configured: int  # counters configured for the service (the site has no per-hour schedule)
    p90_wait_configured: float  # minutes, with `configured` counters (inf: they cannot keep up)


@dataclass(frozen=True, slots=True)
class Plan:
    service: str
    day: date
    weeks: int
    mean_service_minutes: float
    target_minutes: int
    hours: list[HourPlan]


def plan(ctx: Context, service: str, day: date, weeks: int = 4) -> Plan:
    site = ctx.site
    if service not in site.services:
        raise Invalid("unknown_service", f"Layanan '{service}' tidak ada.")
    days = [day - timedelta(weeks=w) for w in range(1, weeks + 1)]
    with ctx.uow() as uow:
        seen = visits(uow.conn, site.timezone, service, days)
    durations = [(f - s).total_seconds() / 60 for _, s, f in seen if s and f and f > s]
    mean = fmean(durations) if durations else site.rules.default_service_minutes
    target = site.services[service].target_wait_minutes
    configured = len(site.counters_serving(service))
    per_hour: dict[int, int] = {}
    for issued, _, _ in seen:
        per_hour[issued.hour] = per_hour.get(issued.hour, 0) + 1
    hours = []
    for hour in sorted(per_hour):
        rate = per_hour[hour] / weeks
        load = rate * mean / 60
        hours.append(HourPlan(hour, round(rate, 1), counters_needed(rate, mean, target), configured,
                              round(wait_quantile(configured, load, mean, 0.9), 1)))
    return Plan(service, day, weeks, round(mean, 1), target, hours)


def table(p: Plan) -> str:
    rows = [f"{p.service} {p.day.isoformat()}: rata-rata layanan {p.mean_service_minutes} menit, target P90 tunggu "
            f"{p.target_minutes} menit (dari {p.weeks} minggu terakhir, hari yang sama)",
            "| jam | kedatangan/jam | loket dibutuhkan | loket tersedia | P90 tunggu dgn loket tersedia (menit) |",
            "|---|---:|---:|---:|---:|"]
    for h in p.hours:
        rows.append(f"| {h.hour:02d}:00 | {h.arrivals_per_hour} | {h.needed} | {h.configured} | "
                    f"{'∞' if h.p90_wait_configured == float('inf') else h.p90_wait_configured} |")
    if not p.hours:
        rows.append("| – | 0 | 0 | – | – |")
    return "\n".join(rows)
