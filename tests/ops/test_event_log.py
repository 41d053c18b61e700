"""The event log and the relay in one process, two contexts standing for two server processes on one database
(issue 16: 3, 5): a process delivers from the log what the message queue never brought, in seq order and once; its
own later events wait for an earlier one still on its way; a call learnt late is not read out; and logging costs one
statement per commit."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from server.realtime.hub import Hub
from server.realtime.relay import Relay
from server.services import accounts, counters, tickets
from server.services.writer import GroupCommit
from server.storage import event_log
from support import FakeClock, drop_pg_database, fresh_pg_database, make_context

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.querycount import RecordingSocketIO, StatementCounter  # noqa: E402

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))


class Screens:
    """Stands in for Flask-SocketIO: what this process's screens were sent, in order."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def start_background_task(self, *_: Any, **__: Any) -> None:
        pass  # the watch is driven by hand here (catch_up)

    def emit(self, name: str, payload: dict[str, Any], **_: Any) -> None:
        self.sent.append((name, payload))

    def seqs(self) -> list[int]:
        return [p["seq"] for _, p in self.sent]


class Queue:
    """Stands in for the Redis manager: what this process sent to the others."""

    def __init__(self) -> None:
        self.sent: list[list[tuple[int, Any]]] = []
        self.on_events = None

    def publish_events(self, items: list[tuple[int, Any]], encoded: list[str] | None = None) -> None:
        assert encoded is None or [json.loads(text) for text in encoded] == [m for _, m in items]
        self.sent.append(items)


@pytest.fixture
def two(tmp_path):
    clock = FakeClock(MONDAY)
    url = f"sqlite:///{tmp_path / 'antre.db'}"
    out = []
    for _ in range(2):
        ctx = make_context(clock, url)
        screens, queue = Screens(), Queue()
        relay = Relay(screens, ctx, queue)  # type: ignore[arg-type]
        ctx.listeners.append(relay.publish)
        out.append((ctx, relay, screens, queue))
    yield clock, out
    for ctx, *_ in out:
        ctx.engine.dispose()


def test_a_process_delivers_from_the_log_what_the_queue_never_brought_in_order_and_once(two):
    _clock, [(one, _, one_screens, one_queue), (_, relay_two, screens, _)] = two
    for service in ("KTP", "KK", "KTP"):
        tickets.issue_ticket(one, service)
    assert one_screens.seqs() and screens.sent == []  # the queue is down: process two heard nothing
    assert relay_two.catch_up() == 3
    assert screens.sent == one_screens.sent  # the same messages, in the same order
    assert relay_two.catch_up() == 0
    for items in one_queue.sent:  # the queue comes back with the same events: nothing twice
        relay_two.received(items)
    assert screens.sent == one_screens.sent


def test_the_boards_messages_travel_with_their_event_to_the_other_process(two):
    """Not a Redis message of their own per event and board room: in the event's messages, in seq order, from the
    log too."""
    _clock, [(one, _, _, one_queue), (_, relay_two, screens, _)] = two
    issued = tickets.issue_ticket(one, "KTP")[0].ticket
    assert [name for name, _ in screens.sent] == []
    relay_two.received(one_queue.sent[0])
    boards = [payload for name, payload in screens.sent if name == "board_event"]
    assert len(boards) == 2, "the whole message, and Dukcapil's part"
    assert all(p["seq"] == 1 and p["ticket"]["number"] == issued.number for p in boards)
    rooms = {room for _, room, name, _ in one_queue.sent[0][0][1] if name == "board_event"}
    assert rooms == {"board:all", "board:agency:DUKCAPIL"}


def test_a_process_holds_its_own_event_until_the_one_before_it_arrives(two):
    _clock, [(one, _, _, one_queue), (two_ctx, relay_two, screens, _)] = two
    tickets.issue_ticket(one, "KTP")  # seq 1 on its way to process two
    tickets.issue_ticket(two_ctx, "KTP")  # seq 2: its own
    assert screens.sent == []
    relay_two.received(one_queue.sent[0])
    seqs = screens.seqs()
    assert seqs == sorted(seqs) and seqs[0] == 1 and seqs[-1] == 2


def test_a_catch_up_reads_from_the_log_only_the_events_still_missing(two, monkeypatch):
    _clock, [(one, _, _, _), (two_ctx, relay_two, screens, _)] = two
    tickets.issue_ticket(one, "KTP")  # seq 1: lost on its way
    tickets.issue_ticket(two_ctx, "KK")  # seq 2 and 3: this process's own, held for seq 1
    tickets.issue_ticket(two_ctx, "KTP")
    read: list[int] = []
    since = event_log.since

    def recorded(*args: Any, **kwargs: Any) -> list[tuple[int, Any]]:
        got = since(*args, **kwargs)
        read.extend(seq for seq, _ in got)
        return got

    monkeypatch.setattr(event_log, "since", recorded)
    assert relay_two.catch_up() == 3
    assert read == [1]  # not 2 and 3, which were here already
    seqs = screens.seqs()
    assert seqs == sorted(seqs) and set(seqs) == {1, 2, 3}


def test_a_call_learnt_more_than_a_minute_late_is_shown_but_not_read_out(two):
    clock, [(one, _, _, _), (_, relay_two, screens, _)] = two
    accounts.create_user(one, "budi", "clerk", "rahasia-123", ["L05"])
    clerk = accounts.resolve(one, accounts.login(one, "budi", "rahasia-123"))
    for _ in range(2):
        tickets.issue_ticket(one, "KTP")
    counters.call_next(one, clerk, "L05")
    clock.advance(seconds=30)
    relay_two.catch_up()
    fresh = [p for name, p in screens.sent if name == "ticket_called"]
    assert len(fresh) == 1 and "announce" not in fresh[0]
    counters.skip(one, clerk, "L05")
    counters.call_next(one, clerk, "L05")
    clock.advance(seconds=61)
    relay_two.catch_up()
    late = [p for name, p in screens.sent if name == "ticket_called"][1:]
    assert len(late) == 1 and late[0]["announce"] is False


def test_the_log_keeps_an_hour(two):
    clock, [(one, relay_one, _, _), _] = two
    tickets.issue_ticket(one, "KTP")
    clock.advance(minutes=59)
    tickets.issue_ticket(one, "KTP")
    clock.advance(minutes=2)
    tickets.issue_ticket(one, "KTP")
    relay_one._prune()
    with one.engine.connect() as conn:
        assert [s for s, _ in event_log.since(conn, 0)] == [relay_one.delivered - 1, relay_one.delivered]


def test_logging_the_events_costs_one_statement_per_commit(tmp_path):
    ctx = make_context(FakeClock(MONDAY), f"sqlite:///{tmp_path / 'antre.db'}")
    ctx.writer = GroupCommit(ctx)
    tickets.issue_ticket(ctx, "KTP")
    sio = RecordingSocketIO()
    Hub(sio, ctx)
    counter = StatementCounter(ctx, sio)
    try:
        without = counter.measure(lambda: tickets.issue_ticket(ctx, "KTP")).use_case
        event_log.keep(ctx.engine, lambda e: [["/display", None, "tick", {"seq": e.seq}]])
        kept = counter.measure(lambda: tickets.issue_ticket(ctx, "KTP")).use_case
    finally:
        counter.close()
    assert kept == without + 1
    with ctx.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(event_log.event_log)).scalar() == 1
    ctx.engine.dispose()


@pytest.mark.postgres
def test_postgresql_logs_a_commits_events_after_it_in_one_statement_on_a_connection_of_its_own(pg_url, caplog):
    url = fresh_pg_database(pg_url)
    ctx = make_context(FakeClock(MONDAY), url)
    try:
        event_log.keep(ctx.engine, lambda e: [["/display", None, "tick", {"seq": e.seq}]])
        sent: list[tuple[Any, str]] = []
        event.listen(ctx.engine, "before_cursor_execute", lambda conn, _cursor, statement, *_: sent.append(
            (conn, statement)))
        tickets.issue_ticket(ctx, "KTP")
        logged = [(conn, statement) for conn, statement in sent if "event_log" in statement]
        assert len(logged) == 1 and logged[0][1].lstrip().startswith("INSERT")
        own = logged[0][0]
        assert own.connection.dbapi_connection.autocommit  # no BEGIN and COMMIT around it
        assert own.exec_driver_sql("SHOW synchronous_commit").scalar() == "off"
        writers = [conn for conn, statement in sent if "INSERT INTO tickets" in statement]
        assert writers and all(conn is not own for conn in writers)
        own.connection.dbapi_connection.close()  # the log's connection breaks
        tickets.issue_ticket(ctx, "KTP")  # committed all the same: the failure is logged, not raised
        assert "logging events 2-2 failed" in caplog.text
        tickets.issue_ticket(ctx, "KTP")  # logged again, on a fresh connection
        with ctx.engine.connect() as conn:
            assert [seq for seq, _ in event_log.since(conn, 0)] == [1, 3]
    finally:
        ctx.engine.dispose()
        drop_pg_database(pg_url, url)


@pytest.mark.postgres
def test_postgresql_keeps_the_messages_as_the_text_sent_and_gives_them_back_decoded(pg_url):
    url = fresh_pg_database(pg_url)
    ctx = make_context(FakeClock(MONDAY), url)
    try:
        text = json.dumps([["/display", None, "tick", {"line": ["A001", "A002"], "note": "50 %"}]])
        event_log.keep(ctx.engine, lambda e: text)
        tickets.issue_ticket(ctx, "KTP")
        with ctx.engine.connect() as conn:
            assert event_log.since(conn, 0) == [(1, json.loads(text))]
            # Not parsed as JSON on the way in (migration 0011): stored as sent, byte for byte.
            kind, stored = conn.exec_driver_sql("SELECT pg_typeof(messages)::text, messages FROM event_log").one()
        assert (kind, stored) == ("text", text)
    finally:
        ctx.engine.dispose()
        drop_pg_database(pg_url, url)


def test_the_announce_age_is_configurable_and_checked():
    from server.config import ConfigError, config_from_dict
    from support import site_config

    assert config_from_dict(site_config()).realtime.announce_max_age_secs == 60
    assert config_from_dict(site_config(realtime__announce_max_age_secs=15)).realtime.announce_max_age_secs == 15
    with pytest.raises(ConfigError, match="announce_max_age_secs"):
        config_from_dict(site_config(realtime__announce_max_age_secs="satu menit"))
