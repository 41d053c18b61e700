"""Group commit for SQLite (issue 11): concurrent use cases share one transaction, each answered after the commit;
a refusal inside a batch undoes only its own writes; the writer's line book always equals the database."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from server.domain.accounts import Principal
from server.domain.errors import DomainError
from server.services import counters, tickets
from server.services.context import run
from server.services.writer import GroupCommit
from support import FakeClock, drop_pg_database, fresh_pg_database, make_context, site_config

WITA = ZoneInfo("Asia/Makassar")
ADMIN = Principal("user", "admin", "admin")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ctx(tmp_path, request):
    config = site_config()
    for service in config["service"]:
        if service["code"] == "KK":
            service["daily_quota"] = 30
    url = f"sqlite:///{tmp_path / 'a.db'}"
    if request.param == "postgresql":
        admin = request.getfixturevalue("pg_url")
        url = fresh_pg_database(admin)
    ctx = make_context(FakeClock(datetime(2026, 12, 2, 9, 0, tzinfo=WITA)), url, config)
    ctx.writer = GroupCommit(ctx)
    seen: list = []
    ctx.listeners.append(seen.extend)
    ctx.published = seen
    yield ctx
    ctx.writer.close()
    ctx.engine.dispose()
    if request.param == "postgresql":
        drop_pg_database(admin, url)


def hold_the_writer(ctx) -> threading.Event:
    """Occupy the writer with a job that waits, so the next submissions queue up and form one batch."""
    entered, release = threading.Event(), threading.Event()

    def blocker(uow):
        entered.set()
        assert release.wait(10)

    threading.Thread(target=run, args=(ctx, blocker), daemon=True).start()
    assert entered.wait(10)
    return release


def queued(ctx, n: int) -> None:
    """Wait (bounded) until `n` jobs wait for the writer: submissions are on other threads."""
    deadline = threading.Event()
    for _ in range(1000):
        with ctx.writer._cond:
            if len(ctx.writer._jobs) >= n:
                return
        deadline.wait(0.005)
    raise AssertionError("the jobs never queued")


def test_concurrent_issues_share_commits_and_keep_numbers_and_seq_whole(ctx):
    release = hold_the_writer(ctx)
    with ThreadPoolExecutor(48) as pool:
        futures = [pool.submit(tickets.issue_ticket, ctx, "KTP") for _ in range(48)]
        queued(ctx, 48)
        batches_before = ctx.writer.batches
        release.set()
        issued = [f.result(timeout=30)[0].ticket for f in futures]
    numbers = sorted(int(t.number[1:]) for t in issued)
    assert numbers == list(range(1, 49)), "gap-free and unique"
    assert ctx.writer.batches - batches_before == 2, "the holder's batch, then all 48 together"
    seqs = [e.seq for e in ctx.published]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "seq is consecutive in publishing order"
    with ctx.uow() as uow:
        assert {t.number for t in uow.tickets.of_day(issued[0].local_date, ["KTP"], [issued[0].status])} \
            == {t.number for t in issued}


def test_a_refusal_in_a_batch_undoes_only_its_own_writes(ctx):
    for _ in range(29):
        tickets.issue_ticket(ctx, "KK")
    release = hold_the_writer(ctx)
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(tickets.issue_ticket, ctx, s) for s in ("KK", "KK", "KTP", "KK")]
        queued(ctx, 4)
        release.set()
        outcomes = []
        for f in futures:
            try:
                outcomes.append(f.result(timeout=30)[0].ticket.number[-3:])
            except DomainError as exc:
                outcomes.append(exc.code)
    assert outcomes[2] == "001", "the KTP ticket of the same batch was issued"
    assert sorted(outcomes[:2] + outcomes[3:])[0] == "030", outcomes
    assert len([o for o in outcomes if not o.isdigit()]) == 2, f"the quota of 30 holds exactly: {outcomes}"
    with ctx.uow() as uow:
        assert uow.state.issued_counts(ctx.now().date())["KK"] == 30, "the refused numbers were rolled back"


def batch_of(ctx, services: list[str]) -> list[str]:
    """Issue one ticket per service in one batch; each outcome (the number or the refusal's code), and the SQL sent."""
    sent: list[str] = []
    release = hold_the_writer(ctx)
    listen = lambda _c, _cur, statement, *_: sent.append(statement.split()[0].upper())  # noqa: E731
    event.listen(ctx.engine, "before_cursor_execute", listen)
    try:
        with ThreadPoolExecutor(len(services)) as pool:
            futures = [pool.submit(tickets.issue_ticket, ctx, s) for s in services]
            queued(ctx, len(services))
            release.set()
            outcomes = []
            for f in futures:
                try:
                    outcomes.append(f.result(timeout=30)[0].ticket.number)
                except DomainError as exc:
                    outcomes.append(exc.code)
    finally:
        event.remove(ctx.engine, "before_cursor_execute", listen)
    return outcomes + sent


def test_a_batch_in_which_every_request_succeeds_sends_no_savepoint(ctx):
    got = batch_of(ctx, ["KTP", "KK", "KTP", "AKTA"])
    assert sorted(n[-3:] for n in got[:4]) == ["001", "001", "001", "002"], got[:4]
    assert "SAVEPOINT" not in got[4:] and "RELEASE" not in got[4:], got[4:]


def test_a_refusal_sends_the_batch_again_with_a_savepoint_per_request(ctx):
    for _ in range(30):
        tickets.issue_ticket(ctx, "KK")  # KK's quota is 30: the next KK is refused
    got = batch_of(ctx, ["KTP", "KK", "KTP"])
    assert got[1] == "quota_exhausted" and sorted(got[0:3:2]) == sorted([got[0][:-3] + "001", got[0][:-3] + "002"])
    assert got[3:].count("SAVEPOINT") == 3, got[3:]
    with ctx.uow() as uow:
        assert uow.state.issued_counts(ctx.now().date()) == {"KK": 30, "KTP": 2}, "nothing of the first try stayed"


def test_a_closed_writer_finishes_what_it_was_given_and_stops(ctx):
    release = hold_the_writer(ctx)  # a request leading its own batch
    with ThreadPoolExecutor(1) as pool:
        queued_issue = pool.submit(tickets.issue_ticket, ctx, "KTP")
        queued(ctx, 1)
        release.set()
        ctx.writer.close()  # waits for the leading batch, then for the writer thread to take the queued one
        assert queued_issue.result(timeout=10)[0].ticket.number.endswith("001")
    thread = ctx.writer._thread
    assert thread is not None and not thread.is_alive()
    with pytest.raises(RuntimeError):
        tickets.issue_ticket(ctx, "KTP")


def test_a_request_that_finds_the_writer_idle_commits_in_its_own_thread(ctx):
    committed_on: list = []
    first = run(ctx, lambda uow: committed_on.append(threading.current_thread()) or 1)
    tickets.issue_ticket(ctx, "KTP")
    assert first == 1 and committed_on == [threading.current_thread()], "no hand-off to a writer thread"
    assert ctx.writer._thread is None and ctx.writer.batches == 2, "each commit its own batch, durable before it returned"


def test_work_inside_a_batch_can_read_and_run_nested_use_cases(ctx):
    def outer(uow):
        with ctx.uow() as inner:  # the batch's own unit of work, not a second connection
            assert inner is uow
        return run(ctx, lambda u: u is uow)

    assert run(ctx, outer) is True


def test_the_line_book_always_equals_the_database(ctx):
    rng = random.Random(11)
    services = ["KTP", "KK", "AKTA"]
    codes = [c for c, counter in ctx.site.counters.items() if set(counter.services) & set(services)][:3]
    issued, done = [], 0
    for step in range(200):
        action = rng.random()
        try:
            if action < 0.4:
                issued.append(tickets.issue_ticket(ctx, rng.choice(services))[0].ticket)
            elif action < 0.45 and issued:
                tickets.cancel_ticket(ctx, rng.choice(issued).token)
            elif action < 0.48 and issued:
                counters.recall(ctx, ADMIN, rng.choice(codes), rng.choice(issued).number)
            elif action < 0.7:
                counters.call_next(ctx, ADMIN, rng.choice(codes))
            elif action < 0.8:
                counters.skip(ctx, ADMIN, rng.choice(codes))
            elif action < 0.88:
                counters.start(ctx, ADMIN, rng.choice(codes))
                ctx.clock.advance(minutes=rng.randint(1, 9))
                counters.finish(ctx, ADMIN, rng.choice(codes))
            elif action < 0.94:
                code = rng.choice(codes)
                counters.transfer(ctx, ADMIN, code, rng.choice(services))
            else:
                counters.set_counter_status(ctx, ADMIN, rng.choice(codes), rng.choice(["open", "paused"]))
            done += 1
        except DomainError:
            pass  # nothing to skip, counter busy, …: refused, and the book must still be right
        book = ctx.writer.book
        assert book is not None, f"step {step}: the writer keeps its book"
        with ctx.uow() as uow:
            seq, lines, states = uow.state.current_seq(), uow.tickets.waiting_entries(book.day, None), \
                uow.state.all_counters()
        assert book.seq == seq
        assert {s: line for s, line in book.lines.items()} == {s: lines.get(s, []) for s in book.lines}, \
            f"step {step}"
        assert {c: s.status for c, s in book.counters.items()} == {c: s.status for c, s in states.items()}
    assert done > 120 and len([line for line in book.lines.values() if line]) >= 2, "the walk changed lines"


def test_two_processes_books_follow_each_other(ctx):
    """A second server on the same database (another process's writer): each book follows what the other one
    committed, by the tickets it changed, and stays equal to the database."""
    other = _second_process(ctx)
    rng = random.Random(5)
    codes = [c for c, counter in ctx.site.counters.items() if "KTP" in counter.services][:2]
    try:
        for step in range(80):
            here = (ctx, other)[step % 2]
            try:
                if rng.random() < 0.6:
                    tickets.issue_ticket(here, rng.choice(["KTP", "KK"]))
                else:
                    counters.call_next(here, ADMIN, rng.choice(codes))
                    counters.skip(here, ADMIN, codes[0]) if rng.random() < 0.3 else None
            except DomainError:
                pass
            for side in (ctx, other):
                run(side, lambda uow: None)  # a batch with nothing to do: it catches its book up
                book = side.writer.book
                with side.uow() as uow:
                    lines = uow.tickets.waiting_entries(book.day, None)
                    assert book.seq == uow.state.current_seq()
                assert {s: line for s, line in book.lines.items()} == {s: lines.get(s, []) for s in book.lines}, \
                    f"step {step}"
        caught = [side.writer.book for side in (ctx, other)]
        assert all(b is not None and b.lines.get("KTP") for b in caught)
    finally:
        other.writer.close()
        other.engine.dispose()


def _second_process(ctx):
    """Another server's context on the same database, with its own writer (another process, for the writers)."""
    from server.config import config_from_dict
    from server.services.context import Context
    from server.services.site_store import load_site
    from server.storage.database import make_engine

    config = config_from_dict(site_config())
    other = Context(site=config.site, engine=make_engine(str(ctx.engine.url.render_as_string(hide_password=False))),
                    clock=ctx.clock, secret=b"test", booking=config.booking)
    load_site(other, config.raw)
    other.writer = GroupCommit(other)
    return other


@pytest.mark.postgres
def test_a_batch_that_waited_for_the_other_process_sees_what_it_committed(ctx):
    """A batch waiting for the `seq` row while the other process's batch holds it must, once it gets the row, rank
    with the other's tickets: its own ticket is told the tickets committed before it (PostgreSQL re-reads only the
    locked row after the wait, so the last transition must be read by a statement of its own)."""
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("two writers only on PostgreSQL")
    from server.domain.hours import WALK_IN

    other = _second_process(ctx)
    try:
        tickets.issue_ticket(ctx, "KTP")  # this process's writer keeps a book from here on
        entered, release = threading.Event(), threading.Event()

        def issue_and_hold(uow):
            tickets.issue_in(uow, other, "KTP", other.now(), None, source="kiosk", admission=WALK_IN)
            entered.set()
            assert release.wait(10)

        held = threading.Thread(target=run, args=(other, issue_and_hold), daemon=True)
        held.start()
        assert entered.wait(10)
        with ThreadPoolExecutor(1) as pool:
            mine = pool.submit(tickets.issue_ticket, ctx, "KTP")
            with ctx.engine.connect() as conn:  # until this process's batch waits for the row the other one holds
                for _ in range(1000):
                    if conn.exec_driver_sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                            "AND datname = current_database()").scalar():
                        break
                    threading.Event().wait(0.005)
                else:
                    raise AssertionError("the second batch never waited for the seq row")
            release.set()
            info = mine.result(timeout=10)[0]
        held.join(10)
        assert info.ticket.number == "D003"
        assert info.ahead == 2, "both tickets committed before it are ahead of it"
        run(ctx, lambda uow: None)
        with ctx.uow() as uow:
            assert ctx.writer.book.lines["KTP"] == uow.tickets.waiting_entries(ctx.writer.book.day, ["KTP"])["KTP"]
    finally:
        other.writer.close()
        other.engine.dispose()


@pytest.mark.postgres
def test_a_process_catching_up_reads_only_what_the_other_process_changed(ctx, monkeypatch):
    """Its own last batch is in its book already: read again, every entry of it would be put back in its line as a
    new object, and each ranking would then compare those lines entry by entry instead of by identity."""
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("two writers only on PostgreSQL")
    from server.storage.tickets_repo import TicketRepository

    read: list[str] = []
    changed_between = TicketRepository.changed_between

    def recorded(self, after, upto):
        got = changed_between(self, after, upto)
        read.extend(t.number for t in got)
        return got

    monkeypatch.setattr(TicketRepository, "changed_between", recorded)
    other = _second_process(ctx)
    try:
        tickets.issue_ticket(ctx, "KTP")
        tickets.issue_ticket(ctx, "KTP")
        tickets.issue_ticket(other, "KK")
        read.clear()
        tickets.issue_ticket(ctx, "KTP")  # catches up on the other's ticket first
        assert read == ["E001"]
    finally:
        other.writer.close()
        other.engine.dispose()
