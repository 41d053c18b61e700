"""`python -m server demo-data`: a realistic history of the site, made through the use cases with a simulated clock
(issue 13), so the data obey the same rules as real tickets.

Each open day is a small discrete-event simulation: walk-ins arrive by an hourly and weekday profile, booked
visitors check in around their session, clerks open their counters, call, start, finish, skip (and sometimes
recall), transfer within their agency and take a break; some visitors give up; at the next midnight the daily
reset expires what was left open and marks booked no-shows. Nothing is written around the service layer.
"""

from __future__ import annotations

import heapq
import math
import random
import time as timer
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, event

from ..domain.accounts import Principal
from ..domain.errors import DomainError
from ..domain.site import WEEKDAYS, Counter, Service, Site
from ..domain.ticket import Priority
from . import booking, counters, daily, reports, tickets
from .context import Context
from .day_batch import DayBatch
from .reports_activity import CounterLog

# Arrivals per local hour, relative (the morning rush, the lunch dip, a smaller early-afternoon wave).
HOUR_WEIGHTS = {7: 0.6, 8: 1.6, 9: 1.9, 10: 1.6, 11: 1.2, 12: 0.6, 13: 1.0, 14: 0.8, 15: 0.5, 16: 0.3,
                17: 0.2, 18: 0.1, 19: 0.1}
WEEKDAY_FACTOR = {"mon": 1.15, "tue": 1.05, "wed": 1.0, "thu": 0.95, "fri": 0.8, "sat": 0.6, "sun": 0.4}
SERVICE_MINUTES = {"DUKCAPIL": 6.0, "IMIGRASI": 12.0, "POLRI": 9.0, "SAMSAT": 7.0, "BPJSKES": 7.0,
                   "DPMPTSP": 10.0, "DINSOS": 8.0}
DEFAULT_SERVICE_MINUTES = 6.0
LOAD = 0.55  # arrivals as a share of what the open counters can serve
PRIORITY_SHARE = 0.08
SKIP_SHARE = 0.04
RECALL_SHARE = 0.3  # of skipped visitors, the ones who turn up again and are recalled
TRANSFER_SHARE = 0.03
CANCEL_SHARE = 0.02
BOOKING_SHARE = 0.35  # of a session's quota taken
NO_SHOW_SHARE = 0.15
WORK_AFTER_CLOSE = timedelta(minutes=30)  # counters serve who is still waiting this long after the service closes
PRIORITIES = ("lansia", "disabilitas", "ibu_hamil", "balita")
SERVICE_TIME_SPREAD = 0.45  # sigma of the log-normal service time around a service's minutes


# ---------------------------------------------------------------------- planning pieces (also the live demo's)
def service_minutes(svc: Service) -> float:
    """The typical minutes a clerk spends on one visitor of `svc` (by agency)."""
    return SERVICE_MINUTES.get(svc.agency, DEFAULT_SERVICE_MINUTES)


def service_time(rng: random.Random, svc: Service) -> float:
    """A random service time in minutes around the service's typical one (a long right tail, never negative)."""
    return rng.lognormvariate(math.log(service_minutes(svc)), SERVICE_TIME_SPREAD)


def hourly_capacity(site: Site, open_services: dict[str, Service], code: str) -> float:
    """Tickets of service `code` per hour its counters can serve while open (a counter's time shared evenly among
    its open services)."""
    total = 0.0
    for counter in site.counters_serving(code):
        mine = [open_services[s] for s in counter.services if s in open_services]
        total += 60 / (sum(service_minutes(s) for s in mine) / len(mine)) / len(mine)
    return total


def pick_priority(rng: random.Random) -> Priority | None:
    """A walk-in's priority group, for about PRIORITY_SHARE of them."""
    return Priority(rng.choice(PRIORITIES)) if rng.random() < PRIORITY_SHARE else None


def next_call(ctx: Context, rng: random.Random, actor: Principal, code: str,
              skipped: dict[str, list[str]]) -> Any:
    """A simulated clerk's next call (here and in the live demo): half the time a visitor it skipped earlier comes
    back and is recalled, else the next ticket by the fairness rule; None when nobody waits."""
    again = skipped.get(code)
    if again and rng.random() < 0.5:
        return counters.recall(ctx, actor, code, again.pop())
    return counters.call_next(ctx, actor, code)


def clerk(code: str) -> Principal:
    """The simulated clerk of counter `code` (a principal only: no account is stored)."""
    return Principal("user", f"petugas.{code.lower()}", "clerk", (code,))


def booking_request(rng: random.Random, svc: Service, day: date, session: Any) -> booking.BookingRequest:
    """A citizen's booking of `session` on `day`, with a made-up but well-formed NIK (Samarinda, born 1950-2005)."""
    born = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
    nik = f"647201{born.day + 40 * rng.randint(0, 1):02d}{born:%m%y}{rng.randint(1, 9999):04d}"
    return booking.BookingRequest(svc.code, day, session.code, "Warga Contoh", nik, consent=True,
                                  priority=rng.choice(PRIORITIES) if rng.random() < 0.05 else None)


@dataclass
class DemoResult:
    days: int = 0
    open_days: int = 0
    tickets: int = 0
    bookings: int = 0
    refused: int = 0  # calls the rules refused (e.g. an arrival during a break): expected, not an error
    seconds: float = 0.0

    @property
    def days_per_second(self) -> float:
        return self.days / self.seconds if self.seconds else 0.0


@dataclass
class SimClock:
    """The injected clock: the use cases see the simulated time as "now"."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now


def relax_durability(engine: Engine) -> None:
    """Demo data may be lost in a power cut: skip the fsync on every commit while generating (SQLite only)."""
    if engine.dialect.name != "sqlite":
        return
    engine.dispose()  # connections opened from now on get the pragma

    @event.listens_for(engine, "connect")
    def _fast(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA synchronous=OFF")
        cur.close()


def generate(ctx: Context, days: int, seed: int = 1, last_day: date | None = None,
             progress: Callable[[date, DemoResult], None] | None = None, *, busy: float = 1.0,
             per_day: bool = True) -> DemoResult:
    """Simulate `days` days ending with `last_day` (default: yesterday) into `ctx`'s database, with `busy` times
    the usual arrivals. `per_day`: every use case of a simulated day in one transaction (services/day_batch.py);
    False: one transaction per use case, as on the server (the same history, tests/reports/test_demo_data.py)."""
    clock = SimClock()
    sim = replace(ctx, clock=clock, listeners=[], writer=None)  # a server's writer would keep the real clock
    sim.listeners.append(CounterLog(sim))  # the counters' log, as the server keeps it
    batch = DayBatch(sim) if per_day else None
    sim.writer = batch
    rng = random.Random(seed)
    last = last_day or (ctx.now().date() - timedelta(days=1))
    result = DemoResult()
    started = timer.monotonic()
    for i in range(days + 1):  # the day after the last: only its midnight reset
        day = last - timedelta(days=days - 1 - i)
        with batch.day() if batch else nullcontext():
            clock.now = _at(sim, day, time(0, 0, 30))
            daily.close_day(sim)  # the previous day's reset, as the server's job would have run it
            if i < days:
                Day(sim, clock, rng, day, result, busy).run()
        if i < days:
            result.days += 1
            if progress is not None:
                progress(day, result)
    reports.rebuild_facts(sim, last - timedelta(days=days - 1), last)  # the history's report facts, ready to read
    result.seconds = timer.monotonic() - started
    return result


def _at(ctx: Context, day: date, at: time) -> datetime:
    return datetime.combine(day, at, ctx.site.timezone).astimezone(UTC)


class Day:
    """One simulated day of the whole site."""

    def __init__(self, ctx: Context, clock: SimClock, rng: random.Random, day: date, result: DemoResult,
                 busy: float = 1.0) -> None:
        self.ctx, self.clock, self.rng, self.day, self.result = ctx, clock, rng, day, result
        self.arrivals = busy  # the arrivals' factor (demo-data --busy)
        weekday = WEEKDAYS[day.weekday()]
        self.open = {c: s for c, s in ctx.site.services.items() if weekday in s.days} \
            if day not in ctx.site.holidays else {}
        self.events: list[tuple[datetime, int, str, Any]] = []
        self.seq = 0
        self.waiting: dict[str, str] = {}  # token → number of tickets not yet called
        self.idle: set[str] = set()
        self.skipped: dict[str, list[str]] = {}  # counter → numbers it may recall
        self.rested: set[str] = set()
        self.busy: set[str] = set()  # counters with a visitor: a stray wake-up must not call another one
        self.closing: set[str] = set()  # counters whose end-of-day wake-up is planned
        self.booked: dict[str, int] = {}  # service → booked visitors who will come today

    # ------------------------------------------------------------------ scheduling
    def at(self, when: datetime, kind: str, payload: Any = None) -> None:
        self.seq += 1
        heapq.heappush(self.events, (when, self.seq, kind, payload))

    def local(self, at: time) -> datetime:
        return _at(self.ctx, self.day, at)

    def run(self) -> None:
        if not self.open:
            return
        self.result.open_days += 1
        self.plan_counters()
        self.plan_bookings()
        self.plan_walk_ins()  # after the bookings: booked visitors take their share of the counters' time
        handlers = {"arrive": self.arrive, "free": self.free, "serve": self.serve, "done": self.done,
                    "resume": self.resume, "cancel": self.cancel, "check_in": self.check_in}
        while self.events:
            when, _, kind, payload = heapq.heappop(self.events)
            self.clock.now = when
            try:
                handlers[kind](payload)
            except DomainError:
                self.result.refused += 1
                if kind in ("serve", "done"):  # never leave a clerk stuck: the next call goes on
                    self.busy.discard(payload[0])
                    self.at(when + timedelta(seconds=30), "free", payload[0])

    # ------------------------------------------------------------------ plans
    def minutes(self, svc: Service) -> float:
        return service_minutes(svc)

    def plan_counters(self) -> None:
        for counter in self.ctx.site.counters.values():
            services = [self.open[s] for s in counter.services if s in self.open]
            if not services:
                continue
            opens = min(s.open for s in services)
            self.at(self.local(opens) + timedelta(seconds=self.rng.uniform(-300, 240)), "resume", counter.code)

    def capacity(self, code: str) -> float:
        """Tickets per day the counters open for service `code` can serve (a counter's time shared evenly)."""
        total = 0.0
        for counter in self.ctx.site.counters_serving(code):
            mine = [self.open[s] for s in counter.services if s in self.open]
            hours = sum(_hours(s) for s in mine) / len(mine)
            total += hours * 60 / (sum(self.minutes(s) for s in mine) / len(mine)) / len(mine)
        return total

    def plan_walk_ins(self) -> None:
        factor = WEEKDAY_FACTOR[WEEKDAYS[self.day.weekday()]] * self.rng.uniform(0.85, 1.15)
        for svc in self.open.values():
            expected = self.capacity(svc.code) * LOAD * factor * self.arrivals - self.booked.get(svc.code, 0)
            count = _poisson(self.rng, expected)
            start, end = _minute(svc.open), _minute(svc.close) - (svc.cutoff_minutes or
                                                                   self.ctx.site.rules.ticket_cutoff_minutes)
            hours = [h for h in HOUR_WEIGHTS if start // 60 <= h < math.ceil(end / 60)]
            if not hours or end <= start:
                continue
            for h in self.rng.choices(hours, [HOUR_WEIGHTS[h] for h in hours], k=count):
                minute = self.rng.uniform(max(start, h * 60), min(end, (h + 1) * 60))
                self.at(self.local(time(0)) + timedelta(minutes=minute), "arrive", svc.code)

    def plan_bookings(self) -> None:
        cfg = self.ctx.booking
        self.clock.now = self.local(time(0, 5))  # booked "last night": the window always holds today
        for svc in self.open.values():
            if not cfg.bookable(svc.code):
                continue
            for session in booking.sessions_on(self.ctx.site, cfg.sessions[svc.code], self.day):
                for _ in range(int(session.quota * BOOKING_SHARE * self.rng.uniform(0.5, 1.2))):
                    self.book(svc, session)

    def book(self, svc: Service, session: Any) -> None:
        try:
            made = booking.book(self.ctx, booking_request(self.rng, svc, self.day, session)).booking
        except DomainError:
            self.result.refused += 1
            return
        self.result.bookings += 1
        if self.rng.random() < NO_SHOW_SHARE:
            return
        self.booked[svc.code] = self.booked.get(svc.code, 0) + 1
        starts = session.starts(self.day, self.ctx.site.timezone)
        self.at(starts + timedelta(minutes=self.rng.uniform(-30, 45)), "check_in", made.code)

    # ------------------------------------------------------------------ visitors
    def arrive(self, code: str) -> None:
        info, _ = tickets.issue_ticket(self.ctx, code, pick_priority(self.rng))
        self.issued(info.ticket)

    def check_in(self, code: str) -> None:
        _, info, _ = booking.check_in(self.ctx, code, KIOSK)
        self.issued(info.ticket)

    def issued(self, ticket: Any) -> None:
        self.result.tickets += 1
        self.waiting[ticket.token] = ticket.number
        if self.rng.random() < CANCEL_SHARE:
            self.at(self.clock.now + timedelta(minutes=self.rng.uniform(15, 90)), "cancel", ticket.token)
        for counter in self.ctx.site.counters_serving(ticket.service):
            if counter.code in self.idle:
                self.idle.discard(counter.code)
                self.at(self.clock.now + timedelta(seconds=self.rng.uniform(5, 40)), "free", counter.code)

    def cancel(self, token: str) -> None:
        if token in self.waiting:  # only a visitor still waiting gives up (never one standing at a counter)
            tickets.cancel_ticket(self.ctx, token)
            del self.waiting[token]

    # ------------------------------------------------------------------ clerks
    def clerk(self, code: str) -> Principal:
        return clerk(code)

    def free(self, code: str) -> None:
        if code in self.busy:
            return
        counter = self.ctx.site.counters[code]
        now, actor = self.clock.now, self.clerk(code)
        if now >= self.closes(counter):
            counters.set_counter_status(self.ctx, actor, code, "closed")
            return
        if code not in self.rested and now >= self.break_at(code):
            self.rested.add(code)
            counters.set_counter_status(self.ctx, actor, code, "paused")
            self.at(now + timedelta(minutes=self.rng.uniform(25, 45)), "resume", code)
            return
        info = next_call(self.ctx, self.rng, actor, code, self.skipped)
        if info is None:
            self.idle.add(code)  # woken by the next arrival for one of its services
            if code not in self.closing:
                self.closing.add(code)
                self.at(self.closes(counter), "free", code)
            return
        self.idle.discard(code)
        self.busy.add(code)
        self.waiting.pop(info.ticket.token, None)
        self.at(now + timedelta(seconds=self.rng.uniform(15, 100)), "serve", (code, info.ticket))

    def serve(self, payload: tuple[str, Any]) -> None:
        code, ticket = payload
        actor = self.clerk(code)
        if self.rng.random() < SKIP_SHARE:
            counters.skip(self.ctx, actor, code)
            if self.rng.random() < RECALL_SHARE:
                self.skipped.setdefault(code, []).append(ticket.number)
            self.busy.discard(code)
            self.at(self.clock.now + timedelta(seconds=5), "free", code)
            return
        counters.start(self.ctx, actor, code)
        svc = self.ctx.site.services[ticket.service]
        minutes = service_time(self.rng, svc)
        self.at(self.clock.now + timedelta(minutes=minutes), "done", (code, ticket))

    def done(self, payload: tuple[str, Any]) -> None:
        code, ticket = payload
        actor = self.clerk(code)
        svc = self.ctx.site.services[ticket.service]
        others = [s for s in self.open.values() if s.agency == svc.agency and s.code != svc.code]
        if others and self.rng.random() < TRANSFER_SHARE:
            counters.transfer(self.ctx, actor, code, self.rng.choice(others).code)
            self.waiting[ticket.token] = ticket.number
        else:
            counters.finish(self.ctx, actor, code)
        self.busy.discard(code)
        self.at(self.clock.now + timedelta(seconds=self.rng.uniform(5, 45)), "free", code)

    def resume(self, code: str) -> None:
        """Buka: the clerk opens the counter (in the morning, after a break) and calls the first visitor."""
        counters.set_counter_status(self.ctx, self.clerk(code), code, "open")
        self.free(code)

    def closes(self, counter: Counter) -> datetime:
        last = max((self.open[s].close or time(23, 59)) for s in counter.services if s in self.open)
        return self.local(last) + WORK_AFTER_CLOSE

    def break_at(self, code: str) -> datetime:
        """Each clerk's rest: the site's break of the day (e.g. Friday prayer) or a lunch break around noon."""
        weekday = WEEKDAYS[self.day.weekday()]
        site_break = next((b for b in self.ctx.site.breaks if weekday in b.days), None)
        if site_break is not None:
            return self.local(site_break.start)
        offset = (sum(map(ord, code)) % 90)  # staggered, stable per counter: 11:30 … 13:00
        return self.local(time(11, 30)) + timedelta(minutes=offset)


KIOSK = Principal("device", "kiosk-demo", "kiosk")


def _minute(at: time | None) -> int:
    return 24 * 60 if at is None else at.hour * 60 + at.minute


def _hours(svc: Service) -> float:
    return max(0.0, (_minute(svc.close) - _minute(svc.open)) / 60)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count (normal approximation: the means here are large)."""
    if mean <= 0:
        return 0
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))
