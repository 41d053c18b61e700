"""The event log: each committed event's Socket.IO messages, numbered by `seq`.

With several processes an event reaches the other processes' screens through the message queue. When the queue is
down, or one process's messages overtake another's, a process reads what it has not delivered yet from here
(realtime/relay.py). SQLite logs the events in their own transaction; PostgreSQL just after it (storage/uow.py), so
the newest rows may still be on their way, and a crash in between leaves a hole that the relay skips after a while.
Only a site whose processes share a message queue keeps the log (`keep`); the rows are pruned after an hour
(`prune`, from the relay)."""

from __future__ import annotations

import json
import logging
import threading
import weakref
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    MetaData,
    Table,
    Text,
    bindparam,
    delete,
    insert,
    select,
)

from ..domain.events import Event
from .tables import UTCDateTime

# Not in tables.metadata: the log is the realtime layer's, created by migration 0009 like every other table.
event_log = Table(
    "event_log", MetaData(),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime, nullable=False, index=True),
    # JSON text: SQLite's JSON column, and PostgreSQL's text since migration 0011 (no JSON parse of every row written).
    Column("messages", Text, nullable=False),
)

Describe = Callable[[Event], Any]
# Per engine, how an event becomes its messages (set by the realtime layer; storage cannot build them itself).
_describers: weakref.WeakKeyDictionary[Engine, Describe] = weakref.WeakKeyDictionary()
# The messages go in as the JSON text the describer encoded (the relay sends the same text through the message
# queue: one encoding of a line's standings instead of two), and come out decoded (`since`).
_INSERT = insert(event_log).values(seq=bindparam("seq"), at=bindparam("at"), messages=bindparam("messages"))
log = logging.getLogger(__name__)


def keep(engine: Engine, describe: Describe) -> None:
    """From now on every commit on `engine` logs its events as `describe(event)` (JSON text, or JSON-able)."""
    _describers[engine] = describe


def kept(engine: Engine) -> bool:
    return engine in _describers


def append(conn: Connection, engine: Engine, events: Sequence[Event]) -> None:
    """Log committed-to-be `events` (their `seq` set) in the caller's transaction: one statement per commit."""
    describe = _describers.get(engine)
    if describe is None or not events:
        return
    conn.execute(_INSERT, [{"seq": e.seq, "at": e.at, "messages": _encoded(describe(e))} for e in events])


def _encoded(messages: Any) -> str:
    return messages if isinstance(messages, str) else json.dumps(messages)


class _Writer:
    """The connection a process logs its committed events on (PostgreSQL), kept open like the group-commit writer's:
    in autocommit, with `synchronous_commit` off for the session, so logging a batch is one statement — not BEGIN,
    SET LOCAL, INSERT and COMMIT, four round trips per batch after every commit."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # green under eventlet/gevent: one batch's rows at a time on the connection
        self.conn: Connection | None = None

    def append(self, engine: Engine, events: Sequence[Event]) -> None:
        with self.lock:
            try:
                if self.conn is None or self.conn.invalidated or self.conn.closed:
                    self.conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                    self.conn.exec_driver_sql("SET synchronous_commit = off")
                append(self.conn, engine, events)
                self.conn.commit()  # ends SQLAlchemy's own transaction; nothing is sent in autocommit
            except Exception:
                conn, self.conn = self.conn, None
                if conn is not None:
                    conn.invalidate()  # whatever broke, the next batch logs on a fresh connection
                raise


    def close(self) -> None:
        with self.lock:
            conn, self.conn = self.conn, None
            if conn is not None:
                conn.invalidate()


# Its value holds a connection, so the engine too: an entry goes only with `close_log` (the writer's shutdown).
_writers: weakref.WeakKeyDictionary[Engine, _Writer] = weakref.WeakKeyDictionary()


def close_log(engine: Engine) -> None:
    """Close the process's log connection of `engine`, if it has one (shutdown; tests)."""
    writer = _writers.pop(engine, None)
    if writer is not None:
        writer.close()


def append_committed(engine: Engine, events: Sequence[Event]) -> None:
    """Log `events`, committed a moment ago, on the process's own log connection (PostgreSQL: the writer no longer
    holds the `seq` row). Not waiting for the disk: a row lost with a crash is a hole the relay skips after a while
    (as it does when the process dies between the two commits), and then the screens ask for a snapshot. A failure
    here is logged, never raised: the events are committed."""
    if engine not in _describers or not events:
        return
    try:
        _writers.setdefault(engine, _Writer()).append(engine, events)
    except Exception:
        log.exception("logging events %d-%d failed: other processes' screens will ask for a snapshot",
                      events[0].seq, events[-1].seq)


def since(conn: Connection, seq: int, limit: int = 5000, *, upto: int | None = None,
          known: Collection[int] = ()) -> list[tuple[int, Any]]:
    """The logged events after `seq` (up to `upto`), oldest first, except those in `known` (the caller has them:
    under load most events after a missing one are already there, and each row is a line's worth of JSON)."""
    where = [event_log.c.seq > seq]
    if upto is not None:
        where.append(event_log.c.seq <= upto)
    if known:
        where.append(event_log.c.seq.not_in(sorted(known)))
    rows = conn.execute(select(event_log.c.seq, event_log.c.messages).where(*where)
                        .order_by(event_log.c.seq).limit(limit))
    return [(int(s), json.loads(m)) for s, m in rows]


def prune(conn: Connection, before: datetime) -> int:
    """Forget the events older than `before`; the number forgotten."""
    return conn.execute(delete(event_log).where(event_log.c.at < before)).rowcount or 0
