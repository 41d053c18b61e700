"""Hypothesis state machine over the real service layer (SQLite in memory, injected clock): random sequences of
issue, call, recall, start, finish, skip, transfer and day change, checked step by step against a small model of
what the queue should be. Every refusal must be one the model expects; numbering is gap-free per service and day;
the database holds exactly the model's tickets; a regular ticket is never passed over more than `burst` times."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import hypothesis.strategies as st
from hypothesis import HealthCheck, event, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import Engine, select

from server.config import config_from_dict
from server.domain.accounts import Principal
from server.domain.errors import DomainError
from server.domain.site import Site
from server.domain.ticket import Priority, Status
from server.services import counters, daily, tickets
from server.services.context import Context
from server.storage.database import make_engine, migrate
from server.storage.tables import tickets as tickets_table
from support import FakeClock, site_config

WITA = ZoneInfo("Asia/Makassar")
ADMIN = Principal("user", "admin", "admin")
SERVICES = ["KTP", "KK", "AKTA"]
COUNTERS = ["L04", "L05", "L06"]  # L04: KTP+KK, L05: KTP, L06: KK+AKTA
ACTIVE = (Status.WAITING, Status.CALLED, Status.SERVING, Status.SKIPPED)  # what the day's close expires
BUSY = (Status.CALLED, Status.SERVING)
# A clerk's action on the current ticket: the use case, the states it may start from, the state it leads to.
ACTIONS = {
    "start": (counters.start, (Status.CALLED,), Status.SERVING),
    "finish": (counters.finish, (Status.SERVING,), Status.DONE),
    "skip": (counters.skip, (Status.CALLED,), Status.SKIPPED),
}
DAY_MIN_STEPS = 12  # use cases run before a day may close: else the lines rarely grow long enough to be interesting
priorities = st.sampled_from([None, Priority.LANSIA, Priority.BALITA])


def arrivals(most: int) -> st.SearchStrategy[list[tuple[str, Priority | None]]]:
    """Visitors taking tickets one after another: (service, priority) each."""
    return st.lists(st.tuples(st.sampled_from(SERVICES), priorities), min_size=1, max_size=most)


@cache
def migrated_template() -> tuple[Site, Engine]:
    """The test site and a freshly migrated in-memory database, made once: migrating per example would take
    most of the run time."""
    engine = make_engine("sqlite://")
    migrate(engine)
    return config_from_dict(site_config()).site, engine


def fresh_context(clock: FakeClock) -> Context:
    """A service Context on its own copy of the migrated database (SQLite's online backup copies it)."""
    site, template = migrated_template()
    engine = make_engine("sqlite://")
    source, target = template.raw_connection(), engine.raw_connection()
    try:
        source.driver_connection.backup(target.driver_connection)
    finally:
        source.close()
        target.close()
    return Context(site=site, engine=engine, clock=clock, secret=b"test")


@dataclass
class Expected:
    """One ticket as the model expects to find it in the database."""

    day: date
    number: str
    issued_service: str
    service: str
    priority: Priority | None
    arrival: int  # issue order; the place in line, kept across transfers
    status: Status = Status.WAITING
    counter: str | None = None

    def row(self) -> tuple[Any, ...]:
        return (self.status.value, self.service, self.counter, self.priority.value if self.priority else None)


class QueueMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock(datetime(2026, 11, 30, 8, 0, tzinfo=WITA))
        self.ctx = fresh_context(self.clock)
        self.burst = self.ctx.site.rules.priority_burst
        self.tickets: dict[tuple[date, str], Expected] = {}
        self.arrivals = 0
        self.steps_today = 0
        # Priority calls a counter made in a row while a regular ticket waited (the fairness rule's streak).
        self.passed_over: dict[str, int] = {c: 0 for c in COUNTERS}

    # ------------------------------------------------------------------ the model's view
    @property
    def day(self) -> date:
        return self.clock.now.date()

    def today(self) -> list[Expected]:
        return [t for t in self.tickets.values() if t.day == self.day]

    def current(self, counter: str) -> Expected | None:
        busy = [t for t in self.today() if t.counter == counter and t.status in BUSY]
        assert len(busy) <= 1, f"model bug: {counter} holds {[t.number for t in busy]}"
        return busy[0] if busy else None

    def waiting_for(self, counter: str) -> list[Expected]:
        served = self.ctx.site.counters[counter].services
        line = [t for t in self.today() if t.status is Status.WAITING and t.service in served]
        return sorted(line, key=lambda t: t.arrival)

    def expected_next(self, counter: str) -> Expected | None:
        """docs/fairness.md: priority first, unless the counter already passed a waiting regular `burst` times."""
        line = self.waiting_for(counter)
        priority = [t for t in line if t.priority is not None]
        regular = [t for t in line if t.priority is None]
        if priority and (not regular or self.passed_over[counter] < self.burst):
            return priority[0]
        return regular[0] if regular else None

    # ------------------------------------------------------------------ running a use case
    def perform(self, refusal: str | None, fn: Any, *args: Any) -> Any:
        """Run a use case; it must be refused with exactly `refusal`, or succeed when `refusal` is None."""
        event(f"{fn.__name__}: {refusal or 'ok'}")  # `pytest --hypothesis-show-statistics` shows the mix
        call = f"{fn.__name__}({', '.join(str(a) for a in args if a is not ADMIN)})"
        try:
            result = fn(self.ctx, *args)
        except DomainError as exc:
            if exc.code != refusal:
                wanted = f"refusal {refusal!r}" if refusal else "success"
                raise AssertionError(f"{call} refused with {exc.code!r}; the model expected {wanted}") from exc
            return None
        finally:
            self.clock.advance(seconds=30)
            self.steps_today += 1
        assert refusal is None, f"{call} succeeded; the model expected refusal {refusal!r}"
        return result

    def act_on(self, counter: str, action: str) -> None:
        fn, sources, target = ACTIONS[action]
        current = self.current(counter)
        refusal = "no_current_ticket" if current is None else None if current.status in sources else "illegal_transition"
        info = self.perform(refusal, fn, ADMIN, counter)
        if current is not None and refusal is None:
            assert info.ticket.number == current.number
            current.status = target

    # ------------------------------------------------------------------ rules
    @initialize(batch=arrivals(6))
    def morning_line(self, batch):
        """Visitors already waiting when the lokets open (so no example starts with an empty hall)."""
        self.issue(batch)

    @rule(batch=arrivals(4))
    def issue(self, batch):
        for service, priority in batch:
            self.issue_one(service, priority)

    def issue_one(self, service, priority):
        seq = 1 + sum(1 for t in self.today() if t.issued_service == service)
        number = f"{self.ctx.site.services[service].prefix}{seq:03d}"
        info, created = self.perform(None, tickets.issue_ticket, service, priority)
        assert created and info.ticket.status is Status.WAITING
        assert info.ticket.number == number, f"issued {info.ticket.number}, the next of {service} is {number}"
        self.arrivals += 1
        self.tickets[(self.day, number)] = Expected(self.day, number, service, service, priority, self.arrivals)

    @rule(counter=st.sampled_from(COUNTERS))
    def call_next(self, counter):
        busy = self.current(counter) is not None
        expected = None if busy else self.expected_next(counter)
        regular_waiting = any(t.priority is None for t in self.waiting_for(counter))
        info = self.perform("counter_busy" if busy else None, counters.call_next, ADMIN, counter)
        if busy:
            return
        if expected is None:
            assert info is None, f"{counter} called {info.ticket.number} but none of its services has a waiting ticket"
            return
        assert info is not None, f"{counter} called nobody while {expected.number} waits"
        assert info.ticket.number == expected.number, f"{counter} called {info.ticket.number}, not {expected.number}"
        expected.status, expected.counter = Status.CALLED, counter
        fair_pass = expected.priority is not None and regular_waiting
        self.passed_over[counter] = self.passed_over[counter] + 1 if fair_pass else 0
        # The fairness rule: never more than `burst` priority calls in a row while a regular ticket waits.
        assert self.passed_over[counter] <= self.burst

    @rule(counter=st.sampled_from(COUNTERS), no_show=st.booleans())
    def serve_and_call_next(self, counter, no_show):
        """The clerk's usual rhythm: close the current ticket (served or no-show), then call the next."""
        current = self.current(counter)
        if current is not None and current.status is Status.CALLED:
            self.act_on(counter, "skip" if no_show else "start")
        if current is not None and current.status is Status.SERVING:
            self.act_on(counter, "finish")
        self.call_next(counter)

    @rule(counter=st.sampled_from(COUNTERS))
    def recall_current(self, counter):
        current = self.current(counter)
        refusal = "no_current_ticket" if current is None else None if current.status is Status.CALLED else "illegal_transition"
        info = self.perform(refusal, counters.recall, ADMIN, counter)
        if current is not None and refusal is None:
            assert info.ticket.number == current.number

    @rule(counter=st.sampled_from(COUNTERS), data=st.data())
    def recall_skipped(self, counter, data):
        """A no-show who turns up later is called back by number: one of this loket's services when there is one,
        else another loket's (which must be refused)."""
        skipped = [t for t in self.today() if t.status is Status.SKIPPED]
        own = [t for t in skipped if t.service in self.ctx.site.counters[counter].services]
        self.recall_one_of(counter, data, own or skipped)

    @rule(counter=st.sampled_from(COUNTERS), data=st.data())
    def recall_other_number(self, counter, data):
        """A number that is not skipped: only the loket's own current ticket may be recalled; a ticket another
        loket has called is never taken over (not_skipped)."""
        self.recall_one_of(counter, data, [t for t in self.today() if t.status is not Status.SKIPPED])

    def recall_one_of(self, counter, data, choices):
        if not choices:
            return
        ticket = data.draw(st.sampled_from(sorted(choices, key=lambda t: t.number)))
        current = self.current(counter)
        if current is not None:
            refusal = (None if current.status is Status.CALLED else "illegal_transition") if ticket is current \
                else "counter_busy"
        elif ticket.service not in self.ctx.site.counters[counter].services:
            refusal = "unknown_ticket"
        else:
            refusal = None if ticket.status is Status.SKIPPED else "not_skipped"
        info = self.perform(refusal, counters.recall, ADMIN, counter, ticket.number)
        if refusal is None:
            assert info.ticket.number == ticket.number
            ticket.status, ticket.counter = Status.CALLED, counter

    @rule(counter=st.sampled_from(COUNTERS), action=st.sampled_from(sorted(ACTIONS)))
    def act(self, counter, action):
        self.act_on(counter, action)

    @rule(counter=st.sampled_from(COUNTERS), service=st.sampled_from(SERVICES))
    def transfer(self, counter, service):
        current = self.current(counter)
        refusal = "no_current_ticket" if current is None else "same_service" if current.service == service else None
        info = self.perform(refusal, counters.transfer, ADMIN, counter, service)
        if current is not None and refusal is None:
            assert info.ticket.number == current.number and info.ticket.service == service
            current.service, current.status, current.counter = service, Status.WAITING, None

    @precondition(lambda self: self.steps_today >= DAY_MIN_STEPS)
    @rule()
    def next_day(self):
        stale = [t for t in self.today() if t.status in ACTIVE]
        self.clock.now = (self.clock.now + timedelta(days=1)).replace(hour=8, minute=0)
        assert daily.close_day(self.ctx) == len(stale)  # what the server's midnight task does
        for t in stale:
            t.status, t.counter = Status.CANCELLED, None
        for counter in COUNTERS:
            self.passed_over[counter] = 0
        self.steps_today = 0

    # ------------------------------------------------------------------ invariants
    def rows(self):
        with self.ctx.engine.connect() as conn:
            return conn.execute(select(tickets_table)).all()

    @invariant()
    def the_database_agrees_with_the_model(self):
        rows = self.rows()  # one read per step keeps the run short
        self.check_exactly_the_expected_tickets(rows)
        self.check_numbers_are_gap_free_per_service_and_day(rows)
        self.check_a_counter_holds_at_most_one_ticket(rows)

    def check_exactly_the_expected_tickets(self, rows):
        actual = {(r.local_date, r.number): (r.status, r.service, r.counter, r.priority) for r in rows}
        expected = {key: t.row() for key, t in self.tickets.items()}
        assert actual == expected

    def check_numbers_are_gap_free_per_service_and_day(self, rows):
        issued: dict[tuple[date, str], list[str]] = defaultdict(list)
        for r in rows:
            issued[(r.local_date, r.issued_service)].append(r.number)
        for (day, service), numbers in issued.items():
            prefix = self.ctx.site.services[service].prefix
            assert all(n.startswith(prefix) for n in numbers), f"{service} on {day}: {numbers}"
            seqs = sorted(int(n[len(prefix):]) for n in numbers)
            assert seqs == list(range(1, len(seqs) + 1)), f"{service} on {day} issued {seqs}, not 1..{len(seqs)}"

    def check_a_counter_holds_at_most_one_ticket(self, rows):
        busy = [r for r in rows if r.status in BUSY]
        assert all(r.counter for r in busy)
        assert len({(r.local_date, r.counter) for r in busy}) == len(busy)
        assert all(r.counter is None for r in rows if r.status == Status.WAITING)


QueueMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=50, deadline=None,
                                          suppress_health_check=[HealthCheck.too_slow])
test_queue_state_machine = QueueMachine.TestCase
