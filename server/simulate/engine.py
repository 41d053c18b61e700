"""The simulated day: arrivals, clerks and visitors as timed events, played through the real use cases
(`tickets.issue_ticket`, `counters.call_next/start/finish/skip/set_counter_status`) on an in-memory database whose
clock is the simulation's (demo_data.SimClock, shared with the demo-data generator): no sleeping, and the same
scenario and seed give the same day.

For every ticket it keeps what the ticket promised at issue — Antre's `ahead` and `eta_seconds` and the two
textbook predictors (QL: people waiting × mean of the last services ÷ open counters; LES: the wait of the last
visitor of the service to be called) — and the wait that followed (issue to first call)."""

from __future__ import annotations

import heapq
import random
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import partial
from typing import TypeVar
from zoneinfo import ZoneInfo

from ..config import config_from_dict
from ..domain.accounts import Principal
from ..domain.errors import DomainError
from ..domain.ticket import Priority
from ..services import counters, tickets
from ..services.context import Context
from ..services.demo_data import SimClock
from ..services.site_store import load_site
from ..services.writer import GroupCommit
from ..storage.database import make_engine, migrate
from ..storage.uow import UnitOfWork
from .scenario import Scenario, arrival_times, site_config

CLERK = Principal("user", "simulasi", "admin")
T = TypeVar("T")


class InlineCommit(GroupCommit):
    """The server's group-commit writer (and its line book), run in the caller's thread (`GroupCommit.run_inline`):
    the simulation makes one use case at a time, so a hand-off to the writer thread and back per use case would
    only cost time (most of a day's time on a busy machine).

    The simulation reads only what a ticket is told at its issue, so the other use cases run as nobody's screen
    watches them (`UnitOfWork.for_screens` off, as the demo-data history is written): a call, start or finish does
    not rank every line its loket links nor build the loket's tile and day for screens. Inside `watched()` (an
    issue) they run as on the server, so the ticket's ahead and estimate come from the same code."""

    screens = False

    def submit(self, work: Callable[[UnitOfWork], T]) -> T:
        return self.run_inline(partial(_seen, self.screens, work))

    @contextmanager
    def watched(self) -> Iterator[None]:
        """Use cases run inside with screens watching (their events carry lines and standings)."""
        self.screens = True
        try:
            yield
        finally:
            self.screens = False


def _seen(screens: bool, work: Callable[[UnitOfWork], T], uow: UnitOfWork) -> T:
    """`work` with screens watching or not; set per use case, as one event's use cases share a unit of work."""
    uow.for_screens = screens
    return work(uow)


PRIORITIES = tuple(Priority)


@dataclass(slots=True)
class Record:
    """One ticket: what it was told at issue, and what happened."""

    number: str
    service: str
    priority: bool
    issued: float  # seconds after local midnight
    ahead: int
    antre: float | None  # Antre's eta_seconds (None: no open counter for the service)
    ql: float
    les: float
    called: float | None = None
    served: float | None = None  # the service time drawn for it (None: not served, e.g. a no-show)

    @property
    def wait(self) -> float | None:
        return None if self.called is None else self.called - self.issued


@dataclass
class _Loket:
    code: str
    services: tuple[str, ...]
    speed: float = 1.0  # the clerk's service times ÷ the service's
    working: bool = False  # within its hours and not on a break
    busy: bool = False


@dataclass
class Day:
    """One run of a scenario."""

    scenario: Scenario
    seed: int
    records: dict[str, Record] = field(default_factory=dict)

    def __post_init__(self) -> None:
        s = self.scenario
        self.rng = random.Random(self.seed)
        self.tz = ZoneInfo(s.timezone)
        self.midnight = datetime.combine(s.day, time(0), self.tz)
        self.clock = SimClock(self.midnight)
        config = config_from_dict(site_config(s))
        # In memory (one connection, no fsync): a commit costs no file writes, and nothing outlives the run. A failed
        # BEGIN or COMMIT makes the writer drop that connection, and the day with it: the run fails with the error.
        engine = make_engine("sqlite://")
        migrate(engine)
        self.ctx = Context(site=config.site, engine=engine, clock=self.clock, secret=b"simulasi")
        load_site(self.ctx, config.raw)
        # As the server runs on SQLite: the writer's line book spares every use case re-reading the lines.
        self.writer = self.ctx.writer = InlineCommit(self.ctx)
        self.plans = {p.code: p for p in s.services}
        self.lokets = {c.code: _Loket(c.code, c.services, c.speed) for c in s.counters}
        self.waiting: dict[str, list[str]] = {p.code: [] for p in s.services}  # numbers, for QL
        self.recent: dict[str, deque[float]] = {p.code: deque(maxlen=s.sample_size) for p in s.services}
        self.last_wait: dict[str, float] = {p.code: 0.0 for p in s.services}  # LES
        self.queue: list[tuple[float, int, str, tuple]] = []
        self.n = 0

    # ------------------------------------------------------------------ the event queue
    def at(self, t: float, kind: str, *args: object) -> None:
        self.n += 1
        heapq.heappush(self.queue, (t, self.n, kind, args))

    def run(self) -> list[Record]:
        s = self.scenario
        for plan in s.services:
            self._arrivals(plan.code, plan.rates)
        for c in s.counters:
            self.at(c.open, "open", c.code)
            for a, b in c.breaks:
                self.at(a, "pause", c.code)
                self.at(b, "open", c.code)
            self.at(c.close, "close", c.code)
        try:
            while self.queue:
                t, _, kind, args = heapq.heappop(self.queue)
                if t > s.end:
                    break
                self.now = t
                self.clock.now = self.midnight + timedelta(seconds=t)
                # One unit of work per event: the use cases it sets off at that moment (a finish and the loket's
                # next call, an issue and the call at an idle loket) commit together, as in a batch of the server's
                # writer under load; one BEGIN, `seq` and COMMIT instead of one each. No savepoint per use case: the
                # one refusal the day expects (`_status`) comes before its use case writes anything.
                self.writer.run_inline(partial(self._event, kind, args))
        finally:
            self.writer.close()
            self.ctx.engine.dispose()
        return list(self.records.values())

    def _event(self, kind: str, args: tuple, _uow: UnitOfWork) -> None:
        getattr(self, "_" + kind)(*args)

    def _arrivals(self, service: str, rates: dict[int, float]) -> None:
        for t in arrival_times(rates, self.rng):
            self.at(t, "arrive", service)

    # ------------------------------------------------------------------ visitors
    def _arrive(self, service: str) -> None:
        priority = self.rng.choice(PRIORITIES) if self.rng.random() < self.scenario.priority_share else None
        open_n = sum(1 for k in self.lokets.values() if k.working and service in k.services)
        recent = self.recent[service]
        mean = sum(recent) / len(recent) if recent else self.scenario.default_service_minutes * 60
        ql = len(self.waiting[service]) * mean / max(1, open_n)
        with self.writer.watched():
            info, _ = tickets.issue_ticket(self.ctx, service, priority)
        number = info.ticket.number
        self.records[number] = Record(number, service, priority is not None, self.now, info.ahead,
                                      None if info.no_counter_open else float(info.eta_seconds or 0), ql,
                                      self.last_wait[service])
        self.waiting[service].append(number)
        for k in self.lokets.values():  # an idle loket calls at once
            if k.working and not k.busy and service in k.services and self._call(k):
                break

    # ------------------------------------------------------------------ clerks
    def _call(self, k: _Loket) -> bool:
        info = counters.call_next(self.ctx, CLERK, k.code)
        if info is None:
            return False
        k.busy = True
        r = self.records[info.ticket.number]
        if r.called is None:
            r.called = self.now
            self.last_wait[r.service] = self.now - r.issued
            self.waiting[r.service].remove(r.number)
        if self.rng.random() < self.scenario.no_show_share:
            self.at(self.now + self.scenario.no_show_seconds, "skip", k.code)
        else:
            self.at(self.now + self.scenario.walk_seconds, "start", k.code, r.number)
        return True

    def _start(self, code: str, number: str) -> None:
        counters.start(self.ctx, CLERK, code)
        r = self.records[number]
        r.served = seconds = self.plans[r.service].draw_seconds(self.rng) * self.lokets[code].speed
        self.at(self.now + seconds, "finish", code, r.service, seconds)

    def _finish(self, code: str, service: str, seconds: float) -> None:
        counters.finish(self.ctx, CLERK, code)
        self.recent[service].append(seconds)  # QL knows a service time once it is over
        self._next(code)

    def _skip(self, code: str) -> None:
        counters.skip(self.ctx, CLERK, code)
        self._next(code)

    def _next(self, code: str) -> None:
        k = self.lokets[code]
        k.busy = False
        if k.working:
            self._call(k)
        else:  # its break or its closing came while it served: it stops now
            self._status(code, "paused" if self._on_break(code) else "closed")

    def _status(self, code: str, status: str) -> None:
        try:
            counters.set_counter_status(self.ctx, CLERK, code, status)
        except DomainError:  # e.g. closing a loket that is already closed
            pass

    def _on_break(self, code: str) -> bool:
        plan = next(c for c in self.scenario.counters if c.code == code)
        return any(a <= self.now < b for a, b in plan.breaks) and self.now < plan.close

    def _open(self, code: str) -> None:
        k = self.lokets[code]
        plan = next(c for c in self.scenario.counters if c.code == code)
        if self.now >= plan.close:
            return
        k.working = True
        if not k.busy:
            self._status(code, "open")
            self._call(k)

    def _pause(self, code: str) -> None:
        k = self.lokets[code]
        k.working = False
        if not k.busy:
            self._status(code, "paused")

    def _close(self, code: str) -> None:
        k = self.lokets[code]
        k.working = False
        if not k.busy:
            self._status(code, "closed")
