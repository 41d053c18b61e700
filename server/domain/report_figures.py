"""The figures of the reports (issue 13), pure: counts, waiting and service times, within-target share, arrivals by
hour × weekday and by day, busiest hours, per clerk and per service, closed days.

Two ways in, one meaning (docs/reports.md): `summarize()` computes every figure from per-ticket records (the raw
CSV export reads back into these), and the storage layer computes the same figures with SQL aggregates for speed
and hands them to `Summary`. Times are whole seconds since the epoch (UTC); days are site-local dates.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta

from .site import WEEKDAYS, Site

DEFAULT_TARGET_WAIT_MINUTES = 30
HOURS = 24
BUSIEST_HOURS = 3


def target_wait_minutes(site: Site, service: str) -> int:
    """The wait a service aims to stay under: its own setting, else the site's [queue] one, else 30 minutes.
    The one place reports read the target (the setting arrives with the supervision board, issue 13 item 1)."""
    svc = site.services.get(service)
    own = getattr(svc, "target_wait_minutes", None) if svc is not None else None
    return int(own or getattr(site.rules, "target_wait_minutes", None) or DEFAULT_TARGET_WAIT_MINUTES)


def percentile(ordered: Sequence[int | float], p: float) -> float | None:
    """The p-th quantile (0..1) of ascending values by linear interpolation between closest ranks (Excel's
    PERCENTILE.INC, numpy's default): the median of an even count is the mean of the two middle values."""
    if not ordered:
        return None
    h = (len(ordered) - 1) * p
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (h - low) * (ordered[high] - ordered[low]))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass(frozen=True, slots=True)
class Durations:
    """Mean, median and 90th percentile of a set of durations in seconds (None when there are none)."""

    count: int = 0
    mean_s: float | None = None
    p50_s: float | None = None
    p90_s: float | None = None

    @classmethod
    def of(cls, values: Iterable[int]) -> Durations:
        ordered = sorted(values)
        if not ordered:
            return cls()
        return cls(len(ordered), _round(sum(ordered) / len(ordered)), _round(percentile(ordered, 0.5)),
                   _round(percentile(ordered, 0.9)))


    @classmethod
    def of_counts(cls, counts: Iterable[tuple[int, int]]) -> Durations:
        """The same figures from (value, how many times) pairs: a histogram read from the database instead of
        every value (identical results to `of` on the expanded values)."""
        pairs = sorted((v, n) for v, n in counts if n)
        total_n = sum(n for _, n in pairs)
        if not total_n:
            return cls()
        cumulative, values, upto = [], [], 0
        for v, n in pairs:
            upto += n
            cumulative.append(upto)
            values.append(v)

        def at(rank: int) -> int:  # the value at 0-based `rank` of the expanded, sorted values
            return values[bisect.bisect_right(cumulative, rank)]

        def quantile(p: float) -> float:
            h = (total_n - 1) * p
            low = math.floor(h)
            high = min(low + 1, total_n - 1)
            return float(at(low) + (h - low) * (at(high) - at(low)))

        mean = sum(v * n for v, n in pairs) / total_n
        return cls(total_n, _round(mean), _round(quantile(0.5)), _round(quantile(0.9)))


@dataclass(frozen=True, slots=True)
class Counts:
    """How many tickets of the period: issued, and (overlapping) what happened to them."""

    issued: int = 0
    served: int = 0  # finished (Selesai)
    skipped: int = 0  # skipped at least once (Lewati: not there when called)
    cancelled: int = 0  # given up by the visitor
    expired: int = 0  # still open at the end of its day, closed by the daily reset
    transferred: int = 0  # sent to another service at least once


@dataclass(frozen=True, slots=True)
class Bookings:
    made: int = 0  # bookings for a day of the period (any status)
    checked_in: int = 0
    no_show: int = 0  # never checked in (tidak hadir), including ones still open past their session
    cancelled: int = 0


@dataclass(frozen=True, slots=True)
class DayRow:
    day: date
    closed: bool
    note: str  # the holiday's name, or "" (weekend/other closed days need no name)
    issued: int = 0
    served: int = 0
    future: bool = False  # after today: no figures yet (neither zero nor closed)


@dataclass(frozen=True, slots=True)
class ServiceRow:
    service: str
    name: str
    issued: int
    served: int
    wait_mean_s: float | None
    within_target: float | None
    target_minutes: int


@dataclass(frozen=True, slots=True)
class ClerkRow:
    clerk: str
    served: int
    mean_service_s: float | None
    idle_share: float | None  # open but not serving, between the clerk's first call and last ticket of each day


@dataclass(frozen=True, slots=True)
class ClerkDay:
    """One clerk's day: from the first call to the end of the last ticket, and the seconds spent serving."""

    clerk: str
    day: date
    span_s: int
    busy_s: int
    served: int
    timed: int  # finished tickets with a start (the ones with a service time)
    end_s: int = 0  # when their last ticket of the day ended
    open_s: int | None = None  # seconds their counter was open (from the counters' log), None when not logged


@dataclass(frozen=True, slots=True)
class CounterLogEntry:
    """A counter opened, paused or closed by a clerk (the counters' log)."""

    counter: str
    clerk: str | None
    day: date
    at_s: int
    status: str  # open | paused | closed


def with_open_time(days: Iterable[ClerkDay], log: Iterable[CounterLogEntry]) -> list[ClerkDay]:
    """Each clerk-day with the seconds their counter was open: from each *open* to the counter's next entry, at
    most to the end of the clerk's last ticket that day (a counter left open at night is not counted as open)."""
    ends = {(d.clerk, d.day): d.end_s for d in days}
    entries = sorted(log, key=lambda e: (e.counter, e.day, e.at_s))
    opened: dict[tuple[str, date], int] = {}
    for i, e in enumerate(entries):
        if e.status != "open" or e.clerk is None or (e.clerk, e.day) not in ends:
            continue
        following = entries[i + 1] if i + 1 < len(entries) else None
        cap = ends[(e.clerk, e.day)]
        until = following.at_s if following and (following.counter, following.day) == (e.counter, e.day) else cap
        opened[(e.clerk, e.day)] = opened.get((e.clerk, e.day), 0) + max(0, min(until, cap) - e.at_s)
    return [replace(d, open_s=opened.get((d.clerk, d.day))) for d in days]


@dataclass(frozen=True, slots=True)
class Summary:
    start: date
    end: date
    scope: dict[str, str]
    counts: Counts
    bookings: Bookings | None
    wait: Durations
    service_time: Durations
    within_target: float | None  # share of called tickets whose wait was within their service's target
    within_target_count: int
    heatmap: list[list[int]]  # [weekday Mon..Sun][hour 0..23] arrivals
    days: list[DayRow]
    busiest_hours: list[tuple[int, int]]  # (hour, arrivals), most first
    services: list[ServiceRow] = field(default_factory=list)
    clerks: list[ClerkRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """The JSON of GET /api/v1/reports/summary (the contract's keys first)."""
        counts = asdict(self.counts)
        return {
            "from": self.start.isoformat(), "to": self.end.isoformat(), "scope": self.scope,
            **counts,
            "wait": asdict(self.wait), "service_time": asdict(self.service_time),
            "within_target": _share(self.within_target), "within_target_count": self.within_target_count,
            "bookings": asdict(self.bookings) if self.bookings is not None else None,
            "arrivals_by_hour": {WEEKDAYS[i]: row for i, row in enumerate(self.heatmap)},
            "busiest_hours": [{"hour": h, "arrivals": n} for h, n in self.busiest_hours],
            "days": [{"date": d.day.isoformat(), "closed": d.closed, "note": d.note,
                      "issued": None if d.closed or d.future else d.issued,
                      "served": None if d.closed or d.future else d.served} for d in self.days],
            "services": [asdict(s) | {"within_target": _share(s.within_target)} for s in self.services],
            "clerks": [asdict(c) | {"idle_share": _share(c.idle_share)} for c in self.clerks],
        }


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# ---------------------------------------------------------------------------------------------- shared pieces
def site_days(site: Site, services: Iterable[str], start: date, end: date,
              counts: dict[date, tuple[int, int]], today: date | None = None) -> list[DayRow]:
    """Every day of the period with its (issued, served); a holiday or a day none of `services` opens is closed
    (shown as closed, not as zero), unless tickets were issued on it after all; days after `today` are future."""
    wanted = [site.services[s] for s in services if s in site.services]
    out = []
    day = start
    while day <= end:
        issued, served = counts.get(day, (0, 0))
        holiday = site.holidays.get(day, "")
        weekday = WEEKDAYS[day.weekday()]
        closed = bool(holiday) or not any(weekday in s.days for s in wanted)
        out.append(DayRow(day, closed and not issued, holiday, issued, served, today is not None and day > today))
        day += timedelta(days=1)
    return out


def busiest(heatmap: list[list[int]], n: int = BUSIEST_HOURS) -> list[tuple[int, int]]:
    """The `n` hours of the day with the most arrivals over the period (ties: the earlier hour first)."""
    totals = [(hour, sum(row[hour] for row in heatmap)) for hour in range(HOURS)]
    ranked = sorted((t for t in totals if t[1]), key=lambda t: (-t[1], t[0]))
    return ranked[:n]


def clerk_rows(days: Iterable[ClerkDay]) -> list[ClerkRow]:
    """Per clerk over the period: served, mean service time, idle share (1 − serving / open; where the counters'
    log has no open time for a day, the day's span from first call to last ticket stands for it)."""
    acc: dict[str, list[int]] = {}
    for d in days:
        a = acc.setdefault(d.clerk, [0, 0, 0, 0])
        a[0] += d.open_s if d.open_s is not None else d.span_s
        a[1] += d.busy_s
        a[2] += d.served
        a[3] += d.timed
    rows = [ClerkRow(clerk, served, _round(busy / timed) if timed else None,
                     max(0.0, 1 - busy / span) if span else None)
            for clerk, (span, busy, served, timed) in acc.items()]
    return sorted(rows, key=lambda r: (-r.served, r.clerk))


def empty_heatmap() -> list[list[int]]:
    return [[0] * HOURS for _ in WEEKDAYS]


# ---------------------------------------------------------------------------------------------- from records
@dataclass(frozen=True, slots=True)
class TicketRecord:
    """One ticket as the reports see it (epoch seconds; `called_s` is the first call)."""

    number: str
    day: date
    service: str
    status: str
    priority: str | None
    issued_s: int
    called_s: int | None = None
    started_s: int | None = None
    finished_s: int | None = None
    skipped_s: int | None = None
    cancelled_s: int | None = None
    expired: bool = False
    transferred_from: str | None = None
    counter: str | None = None
    clerk: str | None = None

    @property
    def wait_s(self) -> int | None:
        return None if self.called_s is None else self.called_s - self.issued_s

    @property
    def service_s(self) -> int | None:
        if self.started_s is None or self.finished_s is None:
            return None
        return self.finished_s - self.started_s


def summarize(records: Iterable[TicketRecord], *, site: Site, start: date, end: date, services: Iterable[str],
              offset_s: int, scope: dict[str, str] | None = None, bookings: Bookings | None = None,
              today: date | None = None, counter_log: Iterable[CounterLogEntry] = ()) -> Summary:
    """Every figure of the period from per-ticket records (the reference the SQL aggregates must agree with).
    `offset_s` is the site's UTC offset, which places an arrival in its local hour."""
    tickets = [r for r in records if start <= r.day <= end]
    waits = [(r.service, r.wait_s) for r in tickets if r.wait_s is not None]
    within = sum(1 for svc, w in waits if w <= target_wait_minutes(site, svc) * 60)
    heat = empty_heatmap()
    per_day: dict[date, tuple[int, int]] = {}
    for r in tickets:
        heat[r.day.weekday()][(r.issued_s + offset_s) // 3600 % HOURS] += 1
        issued, served = per_day.get(r.day, (0, 0))
        per_day[r.day] = (issued + 1, served + (r.finished_s is not None))
    counts = Counts(
        issued=len(tickets), served=sum(r.finished_s is not None for r in tickets),
        skipped=sum(r.skipped_s is not None for r in tickets),
        cancelled=sum(r.status == "cancelled" and not r.expired for r in tickets),
        expired=sum(r.expired for r in tickets), transferred=sum(r.transferred_from is not None for r in tickets))
    scoped = list(services)
    return Summary(start, end, scope or {}, counts, bookings, Durations.of(w for _, w in waits),
                   Durations.of(s for r in tickets if (s := r.service_s) is not None),
                   within / len(waits) if waits else None, within, heat,
                   site_days(site, scoped, start, end, per_day, today), busiest(heat),
                   _service_rows(site, tickets), clerk_rows(with_open_time(_clerk_days(tickets), counter_log)))


def _service_rows(site: Site, tickets: list[TicketRecord]) -> list[ServiceRow]:
    groups: dict[str, list[TicketRecord]] = {}
    for r in tickets:
        groups.setdefault(r.service, []).append(r)
    rows = []
    for code, group in groups.items():
        target = target_wait_minutes(site, code)
        waits = [w for r in group if (w := r.wait_s) is not None]
        rows.append(service_row(site, code, len(group), sum(r.finished_s is not None for r in group), sum(waits),
                                len(waits), sum(w <= target * 60 for w in waits)))
    return sorted(rows, key=lambda r: (-r.issued, r.service))


def service_row(site: Site, code: str, issued: int, served: int, wait_sum: int, wait_n: int,
                within_n: int) -> ServiceRow:
    svc = site.services.get(code)
    return ServiceRow(code, svc.name if svc else code, issued, served, _round(wait_sum / wait_n) if wait_n else None,
                      within_n / wait_n if wait_n else None, target_wait_minutes(site, code))


def _clerk_days(tickets: list[TicketRecord]) -> list[ClerkDay]:
    acc: dict[tuple[str, date], list[int]] = {}
    for r in tickets:
        if r.clerk is None or r.called_s is None:
            continue
        end = r.finished_s or r.skipped_s or r.called_s
        a = acc.setdefault((r.clerk, r.day), [r.called_s, end, 0, 0, 0])
        a[0], a[1] = min(a[0], r.called_s), max(a[1], end)
        a[3] += r.finished_s is not None
        if (s := r.service_s) is not None:
            a[2] += s
            a[4] += 1
    return [ClerkDay(clerk, day, a[1] - a[0], a[2], a[3], a[4], a[1]) for (clerk, day), a in acc.items()]
