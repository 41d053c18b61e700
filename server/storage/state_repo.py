"""Small shared state kept in the database: per-day number sequences, the site event seq, counter states,
idempotency keys. Every allocation is one atomic statement, so several server processes never collide."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.counter import CounterState, CounterStatus
from .tables import counter_states, daily_counters, idempotency_keys, site_state, ticket_transitions


# Built once per dialect (the upserts differ): building a Core statement per call costs more than running it.
@cache
def _next_number(dialect: str) -> Any:
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    return insert(daily_counters).values(service=bindparam("service"), local_date=bindparam("day"), last_number=1) \
        .on_conflict_do_update(index_elements=[daily_counters.c.service, daily_counters.c.local_date],
                               set_={"last_number": daily_counters.c.last_number + 1}) \
        .returning(daily_counters.c.last_number)


@cache
def _save_counter(dialect: str) -> Any:
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    names = ("status", "priority_streak", "clerk", "updated_at")
    stmt = insert(counter_states).values(code=bindparam("code"), **{n: bindparam(n) for n in names})
    return stmt.on_conflict_do_update(index_elements=[counter_states.c.code],
                                      set_={n: stmt.excluded[n] for n in names})


_ADVANCE_SEQ = (update(site_state).where(site_state.c.id == 1).values(seq=site_state.c.seq + bindparam("n"))
                .returning(site_state.c.seq))
_ADVANCE_SEQ_AND_LAST = _ADVANCE_SEQ.returning(select(func.max(ticket_transitions.c.id)).scalar_subquery())
_CURRENT_SEQ = select(site_state.c.seq).where(site_state.c.id == 1)
# SQLite: one statement (no FOR UPDATE: BEGIN IMMEDIATE already holds the lock, and nobody else writes).
_LOCK_SITE = select(site_state.c.seq, select(func.max(ticket_transitions.c.id)).scalar_subquery()) \
    .where(site_state.c.id == 1)
# PostgreSQL: two. A statement that waited for the row another writer held re-reads only that row once it gets it;
# the rest of the statement sees the database as it was when the statement began, so a last transition read in it
# misses the other writer's whole batch (its line book then ranks without those tickets).
_LOCK_SEQ = select(site_state.c.seq).where(site_state.c.id == 1).with_for_update()
_LAST_TRANSITION = select(func.max(ticket_transitions.c.id))
_ALL_COUNTERS = select(counter_states)  # read again by each batch after another process's commit
_IDEMPOTENT = select(idempotency_keys.c.ticket_id, idempotency_keys.c.fingerprint).where(
    idempotency_keys.c.scope == bindparam("scope"), idempotency_keys.c.key == bindparam("key"))
_REMEMBER_KEY = idempotency_keys.insert()


class StateRepository:
    def __init__(self, conn: Connection, counter_written: Callable[[CounterState], None] | None = None) -> None:
        self.conn = conn
        self.counter_written = counter_written  # told of every counter state saved (the line view)
        # PostgreSQL: the last ticket transition when `seq` was advanced (this transaction's own included), so the
        # writer's line book, which followed those writes itself, does not read them again as another's.
        self.last_transition: int | None = None

    def next_number(self, service: str, day: date) -> int:
        """Allocate the next number of `service` on `day` in one statement (insert-or-increment, returning)."""
        return int(self.conn.execute(_next_number(self.conn.dialect.name), {"service": service, "day": day})
                   .scalar_one())

    def issued_counts(self, day: date) -> dict[str, int]:
        rows = self.conn.execute(select(daily_counters.c.service, daily_counters.c.last_number)
                                 .where(daily_counters.c.local_date == day))
        return {service: n for service, n in rows}

    def advance_seq(self, n: int) -> int:
        """Reserve `n` site event numbers; returns the last one. Taken last in a transaction to keep the lock short."""
        if self.conn.dialect.name != "postgresql":
            return int(self.conn.execute(_ADVANCE_SEQ, {"n": n}).scalar_one())
        seq, last = self.conn.execute(_ADVANCE_SEQ_AND_LAST, {"n": n}).one()
        self.last_transition = int(last or 0)
        return int(seq)

    def lock_site(self) -> tuple[int, int]:
        """The current `seq`, locked until commit — nobody else commits events meanwhile (PostgreSQL: the other
        processes' writers wait here, before taking any other lock, so two batches can never deadlock) — and the
        last ticket transition written so far (every writer holds this lock while it writes, so none is missing
        below it)."""
        if self.conn.dialect.name == "postgresql":
            seq, last = self.conn.execute(_LOCK_SEQ).scalar_one(), self.conn.execute(_LAST_TRANSITION).scalar()
        else:
            seq, last = self.conn.execute(_LOCK_SITE).one()
        return int(seq), int(last or 0)

    def current_seq(self) -> int:
        return int(self.conn.execute(_CURRENT_SEQ).scalar_one())

    def counter(self, code: str) -> CounterState:
        row = self.conn.execute(select(counter_states).where(counter_states.c.code == code)).first()
        if row is None:
            return CounterState(code)
        m = row._mapping
        return CounterState(code, CounterStatus(m["status"]), m["priority_streak"], m["clerk"], m["updated_at"])

    def all_counters(self) -> dict[str, CounterState]:
        rows = self.conn.execute(_ALL_COUNTERS)
        return {r.code: CounterState(r.code, CounterStatus(r.status), r.priority_streak, r.clerk, r.updated_at) for r in rows}

    def save_counter(self, state: CounterState, now: datetime) -> None:
        self.conn.execute(_save_counter(self.conn.dialect.name),
                          {"code": state.code, "status": state.status.value, "priority_streak": state.priority_streak,
                           "clerk": state.clerk, "updated_at": now})
        if self.counter_written:
            self.counter_written(CounterState(state.code, state.status, state.priority_streak, state.clerk, now))

    def idempotent_ticket(self, scope: str, key: str) -> tuple[int, str | None] | None:
        """The ticket an earlier request with this key produced, and that request's body fingerprint."""
        row = self.conn.execute(_IDEMPOTENT, {"scope": scope, "key": key}).one_or_none()
        return (row.ticket_id, row.fingerprint) if row is not None else None

    def remember_key(self, scope: str, key: str, ticket_id: int, now: datetime,
                     fingerprint: str | None = None) -> None:
        """Store the key. A concurrent twin makes this raise IntegrityError; the use case is then retried and
        finds the ticket the twin stored."""
        self.conn.execute(_REMEMBER_KEY, {"scope": scope, "key": key, "ticket_id": ticket_id, "created_at": now,
                                          "fingerprint": fingerprint})
