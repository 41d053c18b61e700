"""Ticket repository: loads and saves Ticket aggregates, with optimistic versioning against concurrent writers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, func, insert, select, union_all, update

from ..domain.ticket import Priority, Status, Ticket
from . import driver_sql as sql
from .driver_sql import Prepared
from .tables import ticket_transitions, tickets

_TIMES = ("issued_at", "queued_at", "called_at", "started_at", "finished_at", "skipped_at", "cancelled_at")
_FIELDS = ("service", "priority", "status", "counter", "clerk", "recalls", "transferred_from", "printed", "device_id",
           *_TIMES)


# The statements of the hot path, built once and run as driver SQL (storage/driver_sql.py): building a Core statement
# per call costs more than running it, and running one through `Connection.execute` about as much again.
_INSERTED = (*_FIELDS, "token", "number", "local_date", "issued_service", "source", "version")
_HISTORY = ("action", "status", "at", "service", "counter", "clerk")
_INSERT = Prepared(insert(tickets).returning(tickets.c.id), _INSERTED)
_INSERT_HISTORY = insert(ticket_transitions)  # several rows at once (executemany): through SQLAlchemy
_INSERT_ONE_HISTORY = Prepared(_INSERT_HISTORY, ("ticket_id", *_HISTORY))
# PostgreSQL: a new ticket and its first transition in one statement (one round trip fewer while the writer holds
# the site's `seq`); SQLite has no INSERT inside WITH.
_NEW_TICKET = insert(tickets).values({c: bindparam(c) for c in _INSERTED}).returning(tickets.c.id).cte("new_ticket")
_INSERT_WITH_HISTORY = Prepared(insert(ticket_transitions).from_select(
    ["ticket_id", *_HISTORY],
    select(_NEW_TICKET.c.id, *(bindparam("h_" + h, type_=ticket_transitions.c[h].type) for h in _HISTORY)),
).returning(ticket_transitions.c.ticket_id))
# An update sets only the columns that changed since the ticket was read (a call: status, counter, clerk and called_at;
# every column set is a parameter converted through its type: 18 of them, the dates twice, were most of a save), one
# statement per set of columns, built once: as many as the kinds of transition.
_UPDATES: dict[tuple[str, ...], Prepared] = {}


def _update_of(columns: tuple[str, ...]) -> Prepared:
    statement = _UPDATES.get(columns)
    if statement is None:
        statement = _UPDATES[columns] = Prepared(
            update(tickets).where(tickets.c.id == bindparam("b_id"), tickets.c.version == bindparam("b_version"))
            .values({c: bindparam(c) for c in (*columns, "version")}))
    return statement


# At a loket: called or serving. Two equalities, not IN (…): a literal IN list is an expanding parameter, rewritten at
# every execution (6 % of demo-data's time); SQLite turns the OR back into the same index lookup.
_AT_A_LOKET = (tickets.c.status == Status.CALLED.value) | (tickets.c.status == Status.SERVING.value)
_AT_COUNTER = Prepared(select(tickets).where(
    tickets.c.local_date == bindparam("day"), tickets.c.counter == bindparam("counter"),
    _AT_A_LOKET))
# A call-next's one read: the loket's current ticket (to refuse a second call) and the heads of its lines (at most two
# numbers, from the line book), each part on its own index — an OR of the two would scan the day.
_BUSY_AND_HEADS = Prepared(union_all(
    select(tickets).where(tickets.c.local_date == bindparam("day"), tickets.c.counter == bindparam("counter"),
                          _AT_A_LOKET),
    select(tickets).where(tickets.c.local_date == bindparam("day"),
                          tickets.c.number.in_([bindparam("first"), bindparam("second")])),
))
# How long each recent call of a service kept its loket, for the estimate: from the call, not the start, so the
# walk to the loket is in it (started → finished under-estimated every wait; docs/eta.md), to the finish — or to the
# skip of a visitor who did not come: a loket's time per call holds its no-shows. Reports keep start → finish.
_ENDED = func.coalesce(tickets.c.finished_at, tickets.c.skipped_at)
_RECENT = Prepared(select(tickets.c.counter, tickets.c.status, tickets.c.called_at, _ENDED)
                   .where(tickets.c.service == bindparam("service"),
                          (tickets.c.status == Status.DONE.value) | (tickets.c.status == Status.SKIPPED.value),
                          tickets.c.called_at.is_not(None))
                   .order_by(_ENDED.desc()).limit(bindparam("limit")))
# What another process changed since a line book was taken (each batch of a process that follows another's).
_CHANGED = Prepared(select(tickets).where(tickets.c.id.in_(
    select(ticket_transitions.c.ticket_id).where(ticket_transitions.c.id > bindparam("after"),
                                                 ticket_transitions.c.id <= bindparam("upto")))))
_FINISHED_AT = Prepared(select(tickets.c.started_at, tickets.c.finished_at).where(
    tickets.c.local_date == bindparam("day"), tickets.c.counter == bindparam("counter"),
    tickets.c.status == Status.DONE.value, tickets.c.started_at.is_not(None)))
# Every loket's current ticket: read where there is no line book (PostgreSQL: for every ranked event).
_BUSY = Prepared(select(tickets).where(
    tickets.c.local_date == bindparam("day"), tickets.c.counter.is_not(None),
    _AT_A_LOKET))
# The waiting tickets of n services (None: of all), as a line view keeps them: one statement per n, each service a
# parameter of its own (a literal IN list would be an expanding parameter, which driver SQL does not rewrite).
_WAITING: dict[int | None, Prepared] = {}


def _waiting_of(services: int | None) -> Prepared:
    statement = _WAITING.get(services)
    if statement is None:
        where = [tickets.c.local_date == bindparam("day"), tickets.c.status == Status.WAITING.value]
        if services is not None:
            where.append(tickets.c.service.in_([bindparam(f"s{i}") for i in range(services)]))
        statement = _WAITING[services] = Prepared(
            select(tickets.c.service, tickets.c.queued_at, tickets.c.number, tickets.c.priority.is_not(None))
            .where(*where).order_by(tickets.c.queued_at, tickets.c.number))
    return statement


_BY_ID = Prepared(select(tickets).where(tickets.c.id == bindparam("id")))
_BY_TOKEN = Prepared(select(tickets).where(tickets.c.token == bindparam("token")))
_BY_NUMBER = Prepared(select(tickets).where(tickets.c.local_date == bindparam("day"),
                                            tickets.c.number == bindparam("number")))


class ConcurrentUpdate(Exception):
    """Another transaction changed the ticket first; the use case is retried."""


class TicketRepository:
    def __init__(self, conn: Connection, tz: ZoneInfo, written: Callable[[Ticket], None] | None = None,
                 seen_at: Callable[[str, Ticket | None], None] | None = None) -> None:
        self.conn, self.tz = conn, tz
        self.written = written  # told of every ticket inserted or updated (the unit of work's line view)
        self.seen_at = seen_at  # told of a counter's current ticket read (the line view: that loket's visit)
        # Each ticket's columns as stored, by (id, version): as read, or as this repository last wrote them.
        self._stored: dict[tuple[int, int], Mapping[str, Any]] = {}

    # ------------------------------------------------------------------ mapping
    def _to_ticket(self, m: Mapping[str, Any]) -> Ticket:
        """A ticket from its row, by column name (a dict from driver SQL, or a SQLAlchemy row's `_mapping`)."""
        self._stored[(m["id"], m["version"])] = m
        times = {k: (m[k].astimezone(self.tz) if m[k] is not None else None) for k in _TIMES}
        return Ticket(
            id=m["id"], token=m["token"], number=m["number"], local_date=m["local_date"], service=m["service"],
            priority=Priority(m["priority"]) if m["priority"] else None, source=m["source"],
            status=Status(m["status"]), counter=m["counter"], clerk=m["clerk"], recalls=m["recalls"],
            transferred_from=m["transferred_from"], printed=m["printed"], device_id=m["device_id"],
            version=m["version"], **times,
        )

    def _values(self, t: Ticket) -> dict[str, Any]:
        values = {k: getattr(t, k) for k in _FIELDS}
        values["status"] = t.status.value
        values["priority"] = t.priority.value if t.priority else None
        return values

    def _write_history(self, t: Ticket) -> None:
        if t.history:
            rows = [{"ticket_id": t.id, "action": h.action, "status": h.status.value, "at": h.at,
                     "service": h.service, "counter": h.counter, "clerk": h.clerk} for h in t.history]
            if len(rows) == 1:
                sql.rowcount(self.conn, _INSERT_ONE_HISTORY, rows[0])
            else:
                self.conn.execute(_INSERT_HISTORY, rows)
            t.history.clear()

    # ------------------------------------------------------------------ writes
    def add(self, t: Ticket) -> None:
        values = self._values(t) | {"token": t.token, "number": t.number, "local_date": t.local_date,
                                    "issued_service": t.service, "source": t.source, "version": 0}
        if len(t.history) == 1 and self.conn.dialect.name == "postgresql":
            h = t.history.pop()
            values |= {"h_action": h.action, "h_status": h.status.value, "h_at": h.at, "h_service": h.service,
                       "h_counter": h.counter, "h_clerk": h.clerk}
            t.id = sql.one(self.conn, _INSERT_WITH_HISTORY, values)[0]
        else:
            t.id = sql.one(self.conn, _INSERT, values)[0]
            self._write_history(t)
        self._stored[(t.id, 0)] = values  # type: ignore[index]
        if self.written:
            self.written(t)

    def save(self, t: Ticket) -> None:
        """Write a changed ticket; fails if anyone else wrote it since it was loaded."""
        values = self._values(t)
        stored = self._stored.pop((t.id, t.version), None)  # type: ignore[arg-type]
        # unchanged columns are left as they are: the version check makes sure they are still as read
        columns = _FIELDS if stored is None else tuple(k for k in _FIELDS if values[k] != stored[k])
        params = {k: values[k] for k in columns}
        params |= {"version": t.version + 1, "b_id": t.id, "b_version": t.version}
        if sql.rowcount(self.conn, _update_of(columns), params) != 1:
            raise ConcurrentUpdate(t.number)
        t.version += 1
        self._stored[(t.id, t.version)] = values  # type: ignore[index]
        self._write_history(t)
        if self.written:
            self.written(t)

    # ------------------------------------------------------------------ reads
    def _one(self, statement: Prepared, params: Mapping[str, Any]) -> Ticket | None:
        found = sql.mappings(self.conn, statement, params)
        return self._to_ticket(found[0]) if found else None

    def get(self, ticket_id: int) -> Ticket | None:
        return self._one(_BY_ID, {"id": ticket_id})

    def by_token(self, token: str) -> Ticket | None:
        return self._one(_BY_TOKEN, {"token": token})

    def by_number(self, day: date, number: str) -> Ticket | None:
        return self._one(_BY_NUMBER, {"day": day, "number": number})

    def of_day(self, day: date, services: Iterable[str], statuses: Iterable[Status]) -> list[Ticket]:
        rows = self.conn.execute(
            select(tickets).where(
                tickets.c.local_date == day, tickets.c.service.in_(list(services)),
                tickets.c.status.in_([s.value for s in statuses]),
            ).order_by(tickets.c.queued_at, tickets.c.id)
        )
        return [self._to_ticket(r._mapping) for r in rows]

    def waiting_entries(self, day: date, services: Iterable[str] | None) -> dict[str, list[tuple[datetime, str, bool]]]:
        """(queued_at, number, is priority) of the waiting tickets of `services` (all when None), per service in
        call order: what a line view keeps (storage/line_book.py)."""
        params: dict[str, Any] = {"day": day}
        if services is not None:
            params |= {f"s{i}": service for i, service in enumerate(services)}
            if len(params) == 1:
                return {}  # no service: no line
        out: dict[str, list[tuple[datetime, str, bool]]] = {}
        tz = self.tz
        for service, queued_at, number, priority in sql.rows(
                self.conn, _waiting_of(None if services is None else len(params) - 1), params):
            out.setdefault(service, []).append((queued_at.astimezone(tz), number, bool(priority)))
        return out

    def changed_between(self, after_transition: int, upto_transition: int) -> list[Ticket]:
        """The tickets (as they are now) that got a transition with id in (after, upto]: what another process
        changed since a line book was taken."""
        return [self._to_ticket(m) for m in sql.mappings(self.conn, _CHANGED, {"after": after_transition,
                                                                                "upto": upto_transition})]

    def at_counter(self, day: date, counter: str) -> Ticket | None:
        """The ticket a counter is busy with (called or serving), if any."""
        found = sql.mappings(self.conn, _AT_COUNTER, {"day": day, "counter": counter})
        ticket = self._to_ticket(found[0]) if found else None
        if self.seen_at:
            self.seen_at(counter, ticket)
        return ticket

    def at_counter_and_numbers(self, day: date, counter: str, numbers: list[str]) -> tuple[Ticket | None,
                                                                                          list[Ticket]]:
        """`at_counter`, and the tickets of `numbers` (at most two, waiting), in one statement."""
        assert len(numbers) <= 2
        first, second = (numbers + [None, None])[:2]
        busy, found = None, []
        for row in sql.mappings(self.conn, _BUSY_AND_HEADS, {"day": day, "counter": counter, "first": first,
                                                             "second": second}):
            ticket = self._to_ticket(row)
            if ticket.counter == counter and ticket.status in (Status.CALLED, Status.SERVING):
                busy = ticket
            else:
                found.append(ticket)
        if self.seen_at:
            self.seen_at(counter, busy)
        return busy, found

    def busy_by_counter(self, day: date) -> dict[str, Ticket]:
        """Every counter's current ticket (called or serving) in one query."""
        return {t.counter: t for t in map(self._to_ticket, sql.mappings(self.conn, _BUSY, {"day": day})) if t.counter}

    def current_visits(self, day: date) -> dict[str, tuple[str, datetime]]:
        """Each busy counter's current ticket and when it was called (a line book's start: storage/line_book.py)."""
        return {code: (t.number, t.called_at) for code, t in self.busy_by_counter(day).items() if t.called_at}

    def waiting_counts(self, day: date) -> dict[str, int]:
        rows = self.conn.execute(
            select(tickets.c.service, func.count()).where(
                tickets.c.local_date == day, tickets.c.status == Status.WAITING.value
            ).group_by(tickets.c.service)
        )
        return {service: n for service, n in rows}

    def ended_calls(self, service: str, limit: int) -> list[tuple[str | None, float, bool]]:
        """The service's last `limit` calls that ended, newest first: (loket, seconds from the call to the finish
        or the skip, skipped)."""
        rows = sql.rows(self.conn, _RECENT, {"service": service, "limit": limit})
        return [(counter, (ended - called).total_seconds(), status == Status.SKIPPED.value)
                for counter, status, called, ended in rows]

    def recent_calls(self, day: date, limit: int) -> list[tuple[Ticket, str, datetime, str, str]]:
        """Today's latest calls and recalls, newest first, one per ticket (its latest): (ticket, counter, at,
        action, service called for). Read from the history, so a ticket transferred or finished since keeps its
        place in the list, as called."""
        rows = self.conn.execute(select(ticket_transitions.c.ticket_id, ticket_transitions.c.counter,
                                        ticket_transitions.c.at, ticket_transitions.c.action,
                                        ticket_transitions.c.service)
                                 .join(tickets, tickets.c.id == ticket_transitions.c.ticket_id)
                                 .where(tickets.c.local_date == day, ticket_transitions.c.action.in_(("call", "recall")))
                                 .order_by(ticket_transitions.c.at.desc(), ticket_transitions.c.id.desc())
                                 .limit(limit * 4)).all()
        latest: dict[int, tuple[str, datetime, str, str]] = {}
        for ticket_id, counter, at, action, service in rows:
            latest.setdefault(ticket_id, (counter, at.astimezone(self.tz), action, service))
        chosen = list(latest)[:limit]
        found = {t.id: t for t in (self._to_ticket(r._mapping)
                                   for r in self.conn.execute(select(tickets).where(tickets.c.id.in_(chosen))))}
        return [(found[i], *latest[i]) for i in chosen]

    def unprinted(self, day: date) -> list[Ticket]:
        rows = self.conn.execute(select(tickets).where(
            tickets.c.local_date == day, tickets.c.printed.is_(False),
            tickets.c.status.in_([Status.WAITING.value, Status.CALLED.value, Status.SKIPPED.value]),
        ).order_by(tickets.c.issued_at))
        return [self._to_ticket(r._mapping) for r in rows]

    def stale_active(self, before: date) -> list[Ticket]:
        rows = self.conn.execute(select(tickets).where(
            tickets.c.local_date < before,
            tickets.c.status.in_([Status.WAITING.value, Status.CALLED.value, Status.SERVING.value,
                                  Status.SKIPPED.value]),
        ))
        return [self._to_ticket(r._mapping) for r in rows]

    def finished_at_counter_since(self, counter: str, day: date) -> list[float]:
        rows = sql.rows(self.conn, _FINISHED_AT, {"day": day, "counter": counter})
        return [(f - s).total_seconds() for s, f in rows]


