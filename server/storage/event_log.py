"""The event log: each committed event's Socket.IO messages, written in the event's own transaction.

With several processes an event reaches the other processes' screens through the message queue. When the queue is
down, or one process's messages overtake another's, a process reads what it has not delivered yet from here
(realtime/relay.py): the log holds exactly the committed events, numbered by `seq` without gaps. Only a site whose
processes share a message queue keeps the log (`keep`); the rows are pruned after an hour (`prune`, from the relay)."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Connection, Engine, MetaData, Table, delete, insert, select

from ..domain.events import Event
from .tables import UTCDateTime

# Not in tables.metadata: the log is the realtime layer's, created by migration 0009 like every other table.
event_log = Table(
    "event_log", MetaData(),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("messages", JSON, nullable=False),
)

Describe = Callable[[Event], Any]
# Per engine, how an event becomes its messages (set by the realtime layer; storage cannot build them itself).
_describers: weakref.WeakKeyDictionary[Engine, Describe] = weakref.WeakKeyDictionary()
_INSERT = insert(event_log)


def keep(engine: Engine, describe: Describe) -> None:
    """From now on every commit on `engine` logs its events as `describe(event)` (JSON-able)."""
    _describers[engine] = describe


def kept(engine: Engine) -> bool:
    return engine in _describers


def append(conn: Connection, engine: Engine, events: Sequence[Event]) -> None:
    """Log committed-to-be `events` (their `seq` set) in the caller's transaction: one statement per commit."""
    describe = _describers.get(engine)
    if describe is None or not events:
        return
    conn.execute(_INSERT, [{"seq": e.seq, "at": e.at, "messages": describe(e)} for e in events])


def since(conn: Connection, seq: int, limit: int = 5000) -> list[tuple[int, Any]]:
    """The logged events after `seq`, oldest first."""
    rows = conn.execute(select(event_log.c.seq, event_log.c.messages).where(event_log.c.seq > seq)
                        .order_by(event_log.c.seq).limit(limit))
    return [(int(s), m) for s, m in rows]


def prune(conn: Connection, before: datetime) -> int:
    """Forget the events older than `before`; the number forgotten."""
    return conn.execute(delete(event_log).where(event_log.c.at < before)).rowcount or 0
