"""Small shared state kept in the database: per-day number sequences, the site event seq, counter states,
idempotency keys. Every allocation is one atomic statement, so several server processes never collide."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.counter import CounterState, CounterStatus
from . import driver_sql as sql
from .driver_sql import Prepared
from .tables import counter_states, daily_counters, idempotency_keys, site_state, ticket_transitions


# Built once per dialect (the upserts differ) and run as driver SQL (storage/driver_sql.py): building a Core statement
# per call costs more than running it, and running one through `Connection.execute` about as much again.
def _next_number(dialect: str) -> Any:
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    return insert(daily_counters).values(service=bindparam("service"), local_date=bindparam("day"), last_number=1) \
        .on_conflict_do_update(index_elements=[daily_counters.c.service, daily_counters.c.local_date],
                               set_={"last_number": daily_counters.c.last_number + 1}) \
        .returning(daily_counters.c.last_number)


def _save_counter(dialect: str) -> Any:
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    names = ("status", "priority_streak", "clerk", "updated_at")
    stmt = insert(counter_states).values(code=bindparam("code"), **{n: bindparam(n) for n in names})
    return stmt.on_conflict_do_update(index_elements=[counter_states.c.code],
                                      set_={n: stmt.excluded[n] for n in names})


_NEXT_NUMBER = Prepared(_next_number)
_SAVE_COUNTER = Prepared(_save_counter)
_ADVANCE = (update(site_state).where(site_state.c.id == 1).values(seq=site_state.c.seq + bindparam("n"))
            .returning(site_state.c.seq))
_ADVANCE_SEQ = Prepared(_ADVANCE)
_ADVANCE_SEQ_AND_LAST = Prepared(_ADVANCE.returning(select(func.max(ticket_transitions.c.id)).scalar_subquery()))
_CURRENT_SEQ = Prepared(select(site_state.c.seq).where(site_state.c.id == 1))
# SQLite: one statement (no FOR UPDATE: BEGIN IMMEDIATE already holds the lock, and nobody else writes).
_LOCK_SITE = Prepared(select(site_state.c.seq, select(func.max(ticket_transitions.c.id)).scalar_subquery())
                      .where(site_state.c.id == 1))
# PostgreSQL: two. A statement that waited for the row another writer held re-reads only that row once it gets it;
# the rest of the statement sees the database as it was when the statement began, so a last transition read in it
# misses the other writer's whole batch (its line book then ranks without those tickets).
_LOCK_SEQ = Prepared(select(site_state.c.seq).where(site_state.c.id == 1).with_for_update())
_LAST_TRANSITION = Prepared(select(func.max(ticket_transitions.c.id)))
_COUNTER_COLUMNS = (counter_states.c.code, counter_states.c.status, counter_states.c.priority_streak,
                    counter_states.c.clerk, counter_states.c.updated_at)
_ALL_COUNTERS = Prepared(select(*_COUNTER_COLUMNS))  # read again by each batch after another process's commit
_COUNTER = Prepared(select(*_COUNTER_COLUMNS).where(counter_states.c.code == bindparam("code")))
_IDEMPOTENT = Prepared(select(idempotency_keys.c.ticket_id, idempotency_keys.c.fingerprint).where(
    idempotency_keys.c.scope == bindparam("scope"), idempotency_keys.c.key == bindparam("key")))
_REMEMBER_KEY = Prepared(idempotency_keys.insert(), ("scope", "key", "ticket_id", "created_at", "fingerprint"))


class StateRepository:
    def __init__(self, conn: Connection, counter_written: Callable[[CounterState], None] | None = None) -> None:
        self.conn = conn
        self.counter_written = counter_written  # told of every counter state saved (the line view)
        # PostgreSQL: the last ticket transition when `seq` was advanced (this transaction's own included), so the
        # writer's line book, which followed those writes itself, does not read them again as another's.
        self.last_transition: int | None = None

    def next_number(self, service: str, day: date) -> int:
        """Allocate the next number of `service` on `day` in one statement (insert-or-increment, returning)."""
        return int(sql.one(self.conn, _NEXT_NUMBER, {"service": service, "day": day})[0])

    def issued_counts(self, day: date) -> dict[str, int]:
        rows = self.conn.execute(select(daily_counters.c.service, daily_counters.c.last_number)
                                 .where(daily_counters.c.local_date == day))
        return {service: n for service, n in rows}

    def advance_seq(self, n: int) -> int:
        """Reserve `n` site event numbers; returns the last one. Taken last in a transaction to keep the lock short."""
        if self.conn.dialect.name != "postgresql":
            return int(sql.one(self.conn, _ADVANCE_SEQ, {"n": n})[0])
        seq, last = sql.one(self.conn, _ADVANCE_SEQ_AND_LAST, {"n": n})
        self.last_transition = int(last or 0)
        return int(seq)

    def lock_site(self) -> tuple[int, int]:
        """The current `seq`, locked until commit — nobody else commits events meanwhile (PostgreSQL: the other
        processes' writers wait here, before taking any other lock, so two batches can never deadlock) — and the
        last ticket transition written so far (every writer holds this lock while it writes, so none is missing
        below it)."""
        if self.conn.dialect.name == "postgresql":
            (seq,), (last,) = sql.one(self.conn, _LOCK_SEQ), sql.one(self.conn, _LAST_TRANSITION)
        else:
            seq, last = sql.one(self.conn, _LOCK_SITE)
        return int(seq), int(last or 0)

    def current_seq(self) -> int:
        return int(sql.one(self.conn, _CURRENT_SEQ)[0])

    def counter(self, code: str) -> CounterState:
        found = sql.rows(self.conn, _COUNTER, {"code": code})
        if not found:
            return CounterState(code)
        _, status, streak, clerk, updated_at = found[0]
        return CounterState(code, CounterStatus(status), streak, clerk, updated_at)

    def all_counters(self) -> dict[str, CounterState]:
        return {code: CounterState(code, CounterStatus(status), streak, clerk, updated_at)
                for code, status, streak, clerk, updated_at in sql.rows(self.conn, _ALL_COUNTERS)}

    def save_counter(self, state: CounterState, now: datetime) -> None:
        sql.rowcount(self.conn, _SAVE_COUNTER, {"code": state.code, "status": state.status.value,
                                                "priority_streak": state.priority_streak, "clerk": state.clerk,
                                                "updated_at": now})
        if self.counter_written:
            self.counter_written(CounterState(state.code, state.status, state.priority_streak, state.clerk, now))

    def idempotent_ticket(self, scope: str, key: str) -> tuple[int, str | None] | None:
        """The ticket an earlier request with this key produced, and that request's body fingerprint."""
        found = sql.rows(self.conn, _IDEMPOTENT, {"scope": scope, "key": key})
        return (found[0][0], found[0][1]) if found else None

    def remember_key(self, scope: str, key: str, ticket_id: int, now: datetime,
                     fingerprint: str | None = None) -> None:
        """Store the key. A concurrent twin makes this raise IntegrityError; the use case is then retried and
        finds the ticket the twin stored."""
        sql.rowcount(self.conn, _REMEMBER_KEY, {"scope": scope, "key": key, "ticket_id": ticket_id, "created_at": now,
                                                "fingerprint": fingerprint})
