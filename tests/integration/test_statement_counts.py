"""The real-time hub turns committed events into messages without going back to the database (issue 10)."""

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from server.domain.accounts import Principal
from server.realtime.hub import Hub
from server.services import counters, tickets
from support import FakeClock, make_context

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # bench/ is not an installed package; `python -m pytest` has it, plain pytest not
    sys.path.insert(0, str(ROOT))

from bench.querycount import RecordingSocketIO, StatementCounter  # noqa: E402

ADMIN = Principal("user", "admin", "admin")


@pytest.fixture
def counted(tmp_path):
    ctx = make_context(FakeClock(datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))),
                       f"sqlite:///{tmp_path / 'antre.db'}")
    for service in ("KTP", "KTP", "KK"):
        tickets.issue_ticket(ctx, service)
    sio = RecordingSocketIO()
    Hub(sio, ctx)
    counter = StatementCounter(ctx, sio)
    yield ctx, counter
    counter.close()
    ctx.engine.dispose()


def test_the_hub_publishes_every_ticket_event_without_a_single_statement(counted):
    ctx, counter = counted
    steps = {
        "issue": lambda: tickets.issue_ticket(ctx, "KTP"),
        "call next": lambda: counters.call_next(ctx, ADMIN, "L05"),
        "recall": lambda: counters.recall(ctx, ADMIN, "L05"),
        "start": lambda: counters.start(ctx, ADMIN, "L05"),
        "finish": lambda: counters.finish(ctx, ADMIN, "L05"),
        "call next again": lambda: counters.call_next(ctx, ADMIN, "L05"),
        "skip": lambda: counters.skip(ctx, ADMIN, "L05"),
        "call the third": lambda: counters.call_next(ctx, ADMIN, "L05"),
        "transfer": lambda: counters.transfer(ctx, ADMIN, "L05", "KK"),
        "pause": lambda: counters.set_counter_status(ctx, ADMIN, "L05", "paused"),
    }
    made = {name: counter.measure(step) for name, step in steps.items()}
    assert all(m.use_case > 0 and m.emits > 0 for m in made.values()), "every step ran SQL and published"
    assert {name: m.publish_sql for name, m in made.items() if m.publish} == {}
