"""Statements per use case may only go down: today's counts are a ceiling (issue 11 lowers them and this file)."""

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from server.realtime.hub import Hub
from server.services import accounts, counters, tickets
from server.services.writer import GroupCommit
from support import FakeClock, make_context

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # bench/ is not an installed package; `python -m pytest` has it, plain pytest not
    sys.path.insert(0, str(ROOT))

from bench.querycount import RecordingSocketIO, StatementCounter  # noqa: E402

# Every statement one operation sends (its unit of work, the reads around it, the hub after the commit), on SQLite.
# Before issue 11 (docs/benchmarks.md, "Fast path: profile before") they were: authenticate a kiosk token 3, a clerk
# token 5 (every request), issue 8, with an idempotency key 10, call next 12, start 6, finish 10, skip 6. Lower a
# number when the code makes fewer statements; never raise one. With group commit BEGIN, the `seq` read and the
# `seq` update are shared by every operation of a batch (counted here for a batch of one).
FIRST_LOOKUP = {"authenticate a kiosk token (first time)": 3, "authenticate a clerk token (first time)": 5,
                "authenticate a kiosk token": 1, "authenticate a clerk token": 1}  # remembered: one liveness query
BUDGET = {
    "group commit": FIRST_LOOKUP | {
        "issue a ticket": 6,
        "issue a ticket from a kiosk with an idempotency key": 8,
        "call next": 7,
        "start": 6,
        "finish": 8,
        "call next again": 7,
        "skip": 6,
    },
    # Without group commit (`[storage] group_commit = false`, an in-memory database) there is no line book: ranking
    # reads the lokets' current visits itself, one statement more where a line is ranked (issue 15), so that an
    # event and a page asking later are told the same (tests/integration/test_snapshot_plus_events.py).
    "one transaction each": FIRST_LOOKUP | {
        "issue a ticket": 9,
        "issue a ticket from a kiosk with an idempotency key": 11,
        "call next": 10,
        "start": 6,
        "finish": 10,
        "call next again": 10,
        "skip": 6,
    },
}


@pytest.fixture(params=["group commit", "one transaction each"])
def site(tmp_path, request):
    ctx = make_context(FakeClock(datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))),
                       f"sqlite:///{tmp_path / 'antre.db'}")
    if request.param == "group commit":  # as the server runs on SQLite; PostgreSQL runs one transaction each
        ctx.writer = GroupCommit(ctx)
    kiosk_token = accounts.create_device(ctx, "kiosk-1", "kiosk")
    kiosk = accounts.resolve(ctx, kiosk_token)
    accounts.create_user(ctx, "budi", "clerk", "rahasia-123", ["L05"])
    clerk_token = accounts.login(ctx, "budi", "rahasia-123")
    for service in ("KTP", "KTP", "KTP", "KK"):  # today's number rows exist and L05 (KTP) has a line
        tickets.issue_ticket(ctx, service)
    sio = RecordingSocketIO()
    Hub(sio, ctx)
    counter = StatementCounter(ctx, sio)
    yield ctx, counter, kiosk_token, kiosk, clerk_token, BUDGET[request.param]
    counter.close()
    if ctx.writer is not None:
        ctx.writer.close()
    ctx.engine.dispose()


def test_no_use_case_sends_more_statements_than_before_the_fast_path(site):
    ctx, counter, kiosk_token, kiosk, clerk_token, budget = site
    clerk = accounts.resolve(ctx, clerk_token)
    def first_time(token: str) -> object:
        ctx.tokens.forget([accounts.token_hash(token)])
        return accounts.resolve(ctx, token)

    steps = {
        "authenticate a kiosk token (first time)": lambda: first_time(kiosk_token),
        "authenticate a clerk token (first time)": lambda: first_time(clerk_token),
        "authenticate a kiosk token": lambda: accounts.resolve(ctx, kiosk_token),
        "authenticate a clerk token": lambda: accounts.resolve(ctx, clerk_token),
        "issue a ticket": lambda: tickets.issue_ticket(ctx, "KTP"),
        "issue a ticket from a kiosk with an idempotency key": lambda: tickets.issue_ticket(
            ctx, "KTP", source="kiosk", idempotency_scope=f"device:{kiosk.id}", idempotency_key="budget-1",
            device_id=kiosk.id),
        "call next": lambda: counters.call_next(ctx, clerk, "L05"),
        "start": lambda: counters.start(ctx, clerk, "L05"),
        "finish": lambda: counters.finish(ctx, clerk, "L05"),
        "call next again": lambda: counters.call_next(ctx, clerk, "L05"),
        "skip": lambda: counters.skip(ctx, clerk, "L05"),
    }
    made = {name: counter.measure(step) for name, step in steps.items()}
    totals = {name: m.use_case + m.publish for name, m in made.items()}
    assert all(n > 0 for n in totals.values()), f"the counter saw every operation's statements: {totals}"
    assert all(made[name].emits > 0 for name in steps if not name.startswith("authenticate")), "each one published"
    over = {name: f"{totals[name]} > {budget[name]}" for name in steps if totals[name] > budget[name]}
    assert over == {}, f"statements per operation crept up (all today: {totals})"


def test_the_count_does_not_grow_with_the_length_of_the_line(site):
    ctx, counter, *_ = site
    first = counter.measure(lambda: tickets.issue_ticket(ctx, "KTP")).use_case
    for _ in range(20):
        tickets.issue_ticket(ctx, "KTP")
    assert counter.measure(lambda: tickets.issue_ticket(ctx, "KTP")).use_case == first
