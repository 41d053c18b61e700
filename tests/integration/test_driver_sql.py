"""The hot statements as driver SQL (storage/driver_sql.py) behave as `Connection.execute` would: every statement
reaches the engine's statement events (what the statement-count tests count), values go in and come out as
SQLAlchemy converts them, a driver error is wrapped as SQLAlchemy wraps it (the use cases retry on those), and a
statement the runner cannot run faithfully is refused. On SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import bindparam, event, insert, select
from sqlalchemy.exc import IntegrityError

from server.domain.counter import CounterState, CounterStatus
from server.services import tickets
from server.storage import driver_sql as sql
from server.storage.driver_sql import Prepared
from server.storage.tables import counter_states, ticket_transitions
from server.storage.tables import tickets as tickets_table
from server.storage.uow import UnitOfWork

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=WITA)


def test_every_driver_statement_reaches_the_statement_events(ctx):
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_):
        seen.append(statement)

    event.listen(ctx.engine, "before_cursor_execute", count)
    try:
        with UnitOfWork(ctx.engine, WITA) as uow:
            seen.clear()
            uow.state.lock_site()
            uow.state.next_number("KTP", NOW.date())
            uow.state.save_counter(CounterState("L05", CounterStatus.OPEN, 0, "budi"), NOW)
            uow.state.advance_seq(1)
            driver = len(seen)
    finally:
        event.remove(ctx.engine, "before_cursor_execute", count)
    postgresql = ctx.engine.dialect.name == "postgresql"
    assert driver == (5 if postgresql else 4), seen  # PostgreSQL locks `seq` and reads the last transition apart
    assert any("UPDATE site_state" in s for s in seen) and any("counter_states" in s for s in seen)


def test_values_go_in_and_come_out_as_sqlalchemy_converts_them(ctx):
    number = tickets.issue_ticket(ctx, "KTP")[0].ticket.number
    at = NOW + timedelta(minutes=3, microseconds=123456)
    with UnitOfWork(ctx.engine, WITA) as uow:
        ticket = uow.tickets.by_number(NOW.date(), number)
        ticket.call("L05", "budi", at)
        uow.tickets.save(ticket)  # driver SQL: an aware WITA time in
        uow.state.save_counter(CounterState("L05", CounterStatus.OPEN, 2, "budi"), at)
        uow.commit()
    with ctx.engine.connect() as conn:  # read back through SQLAlchemy: the same stored values as Core would store
        core = conn.execute(select(tickets_table).where(tickets_table.c.number == number)).one()._mapping
        history = conn.execute(select(ticket_transitions.c.action, ticket_transitions.c.at)
                               .order_by(ticket_transitions.c.id)).all()
        counter = conn.execute(select(counter_states).where(counter_states.c.code == "L05")).one()
        # and through driver SQL (in the transaction the reads above began): the same values as Core reads them
        driver = sql.mappings(conn, Prepared(select(tickets_table).where(tickets_table.c.number == bindparam("n"))),
                              {"n": number})
    assert core["called_at"] == at and core["called_at"].tzinfo is UTC and core["counter"] == "L05"
    assert core["printed"] is True and core["local_date"] == NOW.date()
    assert [a for a, _ in history] == ["issue", "call"] and history[-1][1] == at
    assert (counter.status, counter.priority_streak, counter.updated_at) == ("open", 2, at)
    assert driver == [dict(core)]
    assert all(type(driver[0][k]) is type(core[k]) for k in core)  # noqa: E721 (the very types, bool not int)


def test_a_driver_error_is_wrapped_as_sqlalchemy_wraps_it(ctx):
    ticket_id = tickets.issue_ticket(ctx, "KTP")[0].ticket.id
    with UnitOfWork(ctx.engine, WITA) as uow:
        uow.state.remember_key("device:1", "k-1", ticket_id, NOW)
        uow.commit()
    with UnitOfWork(ctx.engine, WITA) as uow:  # a concurrent twin's key: the use case retries on IntegrityError
        with pytest.raises(IntegrityError):
            uow.state.remember_key("device:1", "k-1", ticket_id, NOW)
    with UnitOfWork(ctx.engine, WITA) as uow:  # the connection is usable afterwards
        assert uow.state.idempotent_ticket("device:1", "k-1") == (ticket_id, None)


def test_a_stale_version_changes_no_row(ctx):
    number = tickets.issue_ticket(ctx, "KTP")[0].ticket.number
    with UnitOfWork(ctx.engine, WITA) as uow:
        version = uow.tickets.by_number(NOW.date(), number).version
        statement = Prepared(tickets_table.update().where(tickets_table.c.number == bindparam("n"),
                                                         tickets_table.c.version == bindparam("v"))
                             .values(clerk=bindparam("clerk")))
        assert sql.rowcount(uow.conn, statement, {"n": number, "v": version + 1, "clerk": "x"}) == 0
        assert sql.rowcount(uow.conn, statement, {"n": number, "v": version, "clerk": "x"}) == 1


def test_a_statement_with_values_made_per_execution_is_refused(ctx):
    # `source` has a Python-side default: Connection.execute fills it per execution, driver SQL would not
    partial = Prepared(insert(tickets_table), ("token", "number", "local_date", "service", "issued_service",
                                               "status", "issued_at", "queued_at"))
    expanding = Prepared(select(tickets_table).where(tickets_table.c.number.in_(bindparam("ns", expanding=True))))
    with UnitOfWork(ctx.engine, WITA) as uow:
        for statement in (partial, expanding):
            with pytest.raises(ValueError, match="not a statement for driver SQL"):
                sql.rows(uow.conn, statement, {})


@pytest.mark.postgres
def test_on_postgresql_a_statement_is_prepared_once_per_connection_and_the_events_see_its_own_sql(ctx):
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("server-side prepared statements: PostgreSQL only")
    number = tickets.issue_ticket(ctx, "KTP")[0].ticket.number
    by_number = Prepared(select(tickets_table.c.number, tickets_table.c.local_date)
                         .where(tickets_table.c.number == bindparam("n")))
    seen: list[str] = []
    listen = lambda _c, _cur, statement, *_: seen.append(statement)  # noqa: E731
    event.listen(ctx.engine, "before_cursor_execute", listen)
    try:
        with ctx.engine.connect() as conn:
            got = [sql.rows(conn, by_number, {"n": n}) for n in (number, number, "X999")]
            prepared = conn.exec_driver_sql("SELECT name FROM pg_prepared_statements").scalars().all()
            conn.invalidate()  # a new connection of the pool has none of them: prepared again there
        with ctx.engine.connect() as conn:
            again = sql.rows(conn, by_number, {"n": number})
    finally:
        event.remove(ctx.engine, "before_cursor_execute", listen)
    assert got == [[(number, NOW.date())], [(number, NOW.date())], []] and again == got[0]
    assert by_number.on(ctx.engine.dialect).name in prepared, prepared
    driver = [s for s in seen if "pg_prepared_statements" not in s]
    assert driver == [by_number.on(ctx.engine.dialect).sql] * 4, driver  # the SQL, not EXECUTE or PREPARE


@pytest.mark.postgres
def test_a_statement_postgresql_will_not_prepare_goes_as_text_without_harming_the_transaction(ctx, caplog):
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("server-side prepared statements: PostgreSQL only")
    # PREPARE … AS SELECT $1 IS NULL: PostgreSQL cannot infer the parameter's type
    untyped = Prepared(select(bindparam("x").is_(None)))
    with UnitOfWork(ctx.engine, WITA) as uow:
        uow.state.save_counter(CounterState("L05", CounterStatus.OPEN, 0, "budi"), NOW)
        assert sql.one(uow.conn, untyped, {"x": "kept"}) == (False,)
        assert sql.one(uow.conn, untyped, {"x": None}) == (True,)
        uow.commit()
    assert "did not prepare" in caplog.text
    with UnitOfWork(ctx.engine, WITA) as uow:
        assert uow.state.counter("L05").status is CounterStatus.OPEN  # the write before it was committed
