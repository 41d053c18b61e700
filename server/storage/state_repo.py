"""Small shared state kept in the database: per-day number sequences, the site event seq, counter states,
idempotency keys. Every allocation is one atomic statement, so several server processes never collide."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.counter import CounterState, CounterStatus
from .tables import counter_states, daily_counters, idempotency_keys, site_state


def _upsert(conn: Connection):  # type: ignore[no-untyped-def]
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert


class StateRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def next_number(self, service: str, day: date) -> int:
        """Allocate the next number of `service` on `day` in one statement (insert-or-increment, returning)."""
        insert = _upsert(self.conn)
        stmt = insert(daily_counters).values(service=service, local_date=day, last_number=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[daily_counters.c.service, daily_counters.c.local_date],
            set_={"last_number": daily_counters.c.last_number + 1},
        ).returning(daily_counters.c.last_number)
        return int(self.conn.execute(stmt).scalar_one())

    def issued_counts(self, day: date) -> dict[str, int]:
        rows = self.conn.execute(select(daily_counters.c.service, daily_counters.c.last_number)
                                 .where(daily_counters.c.local_date == day))
        return {service: n for service, n in rows}

    def advance_seq(self, n: int) -> int:
        """Reserve `n` site event numbers; returns the last one. Taken last in a transaction to keep the lock short."""
        stmt = update(site_state).where(site_state.c.id == 1).values(seq=site_state.c.seq + n).returning(site_state.c.seq)
        return int(self.conn.execute(stmt).scalar_one())

    def current_seq(self) -> int:
        return int(self.conn.execute(select(site_state.c.seq).where(site_state.c.id == 1)).scalar_one())

    def counter(self, code: str) -> CounterState:
        row = self.conn.execute(select(counter_states).where(counter_states.c.code == code)).first()
        if row is None:
            return CounterState(code)
        m = row._mapping
        return CounterState(code, CounterStatus(m["status"]), m["priority_streak"], m["clerk"], m["updated_at"])

    def all_counters(self) -> dict[str, CounterState]:
        rows = self.conn.execute(select(counter_states))
        return {r.code: CounterState(r.code, CounterStatus(r.status), r.priority_streak, r.clerk, r.updated_at) for r in rows}

    def save_counter(self, state: CounterState, now: datetime) -> None:
        insert = _upsert(self.conn)
        values = {"status": state.status.value, "priority_streak": state.priority_streak, "clerk": state.clerk,
                  "updated_at": now}
        self.conn.execute(insert(counter_states).values(code=state.code, **values)
                          .on_conflict_do_update(index_elements=[counter_states.c.code], set_=values))

    def idempotent_ticket(self, scope: str, key: str) -> int | None:
        return self.conn.execute(select(idempotency_keys.c.ticket_id).where(
            idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)).scalar_one_or_none()

    def remember_key(self, scope: str, key: str, ticket_id: int, now: datetime) -> None:
        """Store the key. A concurrent twin makes this raise IntegrityError; the use case is then retried and
        finds the ticket the twin stored."""
        self.conn.execute(idempotency_keys.insert().values(scope=scope, key=key, ticket_id=ticket_id, created_at=now))
