"""The simulator's writer (issue 15): `GroupCommit.run_inline` commits and publishes in the caller's thread, use cases
run inside another's work share its transaction, a failure leaves nothing behind; and the simulation's calls run
without screens while its issues still get their standing."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from server.domain.accounts import Principal
from server.domain.errors import DomainError
from server.services import counters, tickets
from server.simulate.engine import InlineCommit
from support import FakeClock, make_context

ADMIN = Principal("user", "admin", "admin")


@pytest.fixture
def ctx(tmp_path):
    ctx = make_context(FakeClock(datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))),
                       f"sqlite:///{tmp_path / 'a.db'}")
    ctx.writer = InlineCommit(ctx)
    ctx.published = []
    ctx.listeners.append(ctx.published.extend)
    commits: list = []
    event.listen(ctx.engine, "commit", commits.append)
    ctx.commits = commits
    yield ctx
    ctx.writer.close()
    ctx.engine.dispose()


def test_run_inline_commits_and_publishes_in_the_callers_thread(ctx):
    threads = threading.active_count()
    with ctx.writer.watched():
        info, _ = tickets.issue_ticket(ctx, "KTP")
    assert threading.active_count() == threads, "no writer thread"
    assert len(ctx.commits) == 1 and [e.info.ticket.number for e in ctx.published] == [info.ticket.number]
    assert ctx.writer.book is not None and ctx.writer.book.lines["KTP"][0][1] == info.ticket.number


def test_use_cases_inside_one_work_share_its_transaction(ctx):
    counters.set_counter_status(ctx, ADMIN, "L05", "open")
    before = len(ctx.commits)

    def moment(uow):
        with ctx.writer.watched():
            issued, _ = tickets.issue_ticket(ctx, "KTP")
        return issued, counters.call_next(ctx, ADMIN, "L05")

    issued, called = ctx.writer.run_inline(moment)
    assert len(ctx.commits) == before + 1
    assert called.ticket.number == issued.ticket.number
    # the issue was watched: its event carries the ranked line; the call ran without screens
    issue, call = ctx.published[-2:]
    assert issue.lines and issue.info.ahead == 0
    assert call.lines == {}


def test_a_failing_work_is_raised_and_leaves_nothing(ctx):
    def broken(uow):
        tickets.issue_ticket(ctx, "KTP")
        raise DomainError("boom", "sengaja")

    with pytest.raises(DomainError):
        ctx.writer.run_inline(broken)
    assert ctx.published == [] and ctx.commits == []
    info, _ = tickets.issue_ticket(ctx, "KTP")
    assert info.ticket.number.endswith("001"), "the rolled-back ticket took no number"
