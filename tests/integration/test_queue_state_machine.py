"""Hypothesis state machine over the real service layer (SQLite in memory, injected clock): random sequences of
issue, call, recall, start, finish, skip, transfer and day change never produce a duplicate number, a lost
ticket, a ticket in two places, or a starved regular ticket."""

from collections import Counter as Tally
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import select

from server.domain.accounts import Principal
from server.domain.errors import DomainError
from server.domain.ticket import Priority, Status
from server.services import counters, daily, tickets
from server.storage.tables import tickets as tickets_table
from support import FakeClock, make_context

WITA = ZoneInfo("Asia/Makassar")
ADMIN = Principal("user", "admin", "admin")
SERVICES = ["KTP", "KK", "AKTA"]
COUNTERS = ["L04", "L05", "L06"]  # L04: KTP+KK, L05: KTP, L06: KK+AKTA
priorities = st.sampled_from([None, Priority.LANSIA, Priority.BALITA])


class QueueMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock(datetime(2026, 11, 30, 8, 0, tzinfo=WITA))
        self.ctx = make_context(self.clock)
        self.issued = 0
        self.burst = self.ctx.site.rules.priority_burst
        self.passed_over: dict[str, int] = {c: 0 for c in COUNTERS}

    def rows(self):
        with self.ctx.engine.connect() as conn:
            return conn.execute(select(tickets_table)).all()

    def tick(self) -> None:
        self.clock.advance(seconds=30)

    def attempt(self, fn, *args):
        try:
            return fn(self.ctx, *args)
        except DomainError as exc:
            assert exc.code and exc.status in (403, 404, 409, 422)
            return None
        finally:
            self.tick()

    @rule(service=st.sampled_from(SERVICES), priority=priorities, count=st.integers(1, 4))
    def issue(self, service, priority, count):
        for _ in range(count):
            self.issue_one(service, priority)

    def issue_one(self, service, priority):
        info, created = tickets.issue_ticket(self.ctx, service, priority)
        assert created and info.ticket.status is Status.WAITING
        self.issued += 1
        self.tick()

    @rule(counter=st.sampled_from(COUNTERS))
    def call_next(self, counter):
        served = self.ctx.site.counters[counter].services
        day = self.clock().astimezone(WITA).date()
        waiting = [r for r in self.rows() if r.status == "waiting" and r.service in served and r.local_date == day]
        regular_waiting = any(r.priority is None for r in waiting)
        info = self.attempt(counters.call_next, ADMIN, counter)
        if info is None:
            return
        if info.ticket.priority is not None and regular_waiting:
            self.passed_over[counter] += 1
        else:
            self.passed_over[counter] = 0
        # The fairness rule: never more than `burst` priority calls in a row while a regular ticket waits.
        assert self.passed_over[counter] <= self.burst

    @rule(counter=st.sampled_from(COUNTERS), no_show=st.booleans())
    def serve_and_call_next(self, counter, no_show):
        """The clerk's usual rhythm: close the current ticket (served or no-show), then call the next."""
        current = [r for r in self.rows() if r.counter == counter and r.status in ("called", "serving")]
        if current and current[0].status == "called":
            self.attempt(counters.skip if no_show else counters.start, ADMIN, counter)
        if current and not (no_show and current[0].status == "called"):
            self.attempt(counters.finish, ADMIN, counter)
        self.call_next(counter)

    @rule(counter=st.sampled_from(COUNTERS))
    def recall_current(self, counter):
        self.attempt(counters.recall, ADMIN, counter)

    @rule(counter=st.sampled_from(COUNTERS), data=st.data())
    def recall_skipped(self, counter, data):
        skipped = [r.number for r in self.rows() if r.status == "skipped"]
        if skipped:
            self.attempt(counters.recall, ADMIN, counter, data.draw(st.sampled_from(skipped)))

    @rule(counter=st.sampled_from(COUNTERS), action=st.sampled_from([counters.start, counters.finish, counters.skip]))
    def act(self, counter, action):
        self.attempt(action, ADMIN, counter)

    @rule(counter=st.sampled_from(COUNTERS), service=st.sampled_from(SERVICES))
    def transfer(self, counter, service):
        self.attempt(counters.transfer, ADMIN, counter, service)

    @rule()
    def next_day(self):
        self.clock.now = (self.clock.now + timedelta(days=1)).replace(hour=8, minute=0)
        daily.close_day(self.ctx)  # what the server's midnight task does
        for counter in COUNTERS:
            self.passed_over[counter] = 0

    @invariant()
    def numbers_are_unique_per_day_and_nothing_is_lost(self):
        rows = self.rows()
        assert len(rows) == self.issued
        per_day = Tally((r.local_date, r.number) for r in rows)
        assert all(n == 1 for n in per_day.values())
        for r in rows:  # numbering is gap-free per issued service and day
            assert 1 <= int(r.number[-3:]) <= self.issued

    @invariant()
    def a_ticket_is_in_one_place_and_a_counter_holds_at_most_one(self):
        busy = [r for r in self.rows() if r.status in ("called", "serving")]
        assert all(r.counter for r in busy)
        assert len({r.counter for r in busy}) == len(busy)
        for r in self.rows():
            if r.status == "waiting":
                assert r.counter is None
            assert r.status in {s.value for s in Status}


QueueMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=35, deadline=None,
                                          suppress_health_check=[HealthCheck.too_slow])
test_queue_state_machine = QueueMachine.TestCase
