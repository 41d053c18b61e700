"""The history generator's committer (issue 13): every use case of one simulated day runs in a single transaction,
each in its own SAVEPOINT (a refusal undoes only its own writes, as on the server), and the day commits once.

It is a `Committer` like the group-commit writer (services/writer.py), so `services.context.run` hands it the very
same use-case work; what it leaves out is only what nobody reads while history is written: the unit of work is
`for_screens=False` (no ranked lines, estimates or loket tiles built for the events) and the day's events are
published once, after its commit, to the generator's own listeners (the counters' log)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from ..storage.uow import UnitOfWork
from .context import Context

T = TypeVar("T")


class DayBatch:
    """`ctx.writer = DayBatch(ctx)`; then `with batch.day(): ...use cases...` commits them together."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._uow: UnitOfWork | None = None
        self._cursor: Any = None  # the DB-API cursor of the open day's connection
        self._depth = 0  # a use case run inside another's work joins its savepoint
        self.jobs = 0

    @contextmanager
    def day(self) -> Iterator[None]:
        """One transaction for everything run inside; committed at the end, its events published after."""
        if self._uow is not None:
            raise RuntimeError("a day batch is already open")
        with UnitOfWork(self.ctx.engine, self.ctx.site.timezone) as uow:
            uow.for_screens = False
            self._uow, self._cursor = uow, uow.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                yield
            finally:
                self._uow = None
                self._cursor.close()
            events = uow.commit()
        if uow.accounts.changed:
            self.ctx.tokens.clear()
        self.ctx.publish(events)

    def submit(self, work: Callable[[UnitOfWork], T]) -> T:
        """Run `work` in the open day's transaction, in a savepoint rolled back (with its events) if it raises."""
        uow = self._uow
        if uow is None:
            raise RuntimeError("no day batch is open")
        if self._depth:
            return work(uow)
        self.jobs += 1
        # Straight on the driver's cursor: SQLAlchemy's begin_nested() cost ~0.1 ms a use case (a sixth of the
        # generator's time) for the same two statements.
        cursor = self._cursor
        cursor.execute("SAVEPOINT demo_job")
        events, writes = len(uow.events), uow.view.writes
        self._depth += 1
        try:
            result = work(uow)
        except BaseException:
            cursor.execute("ROLLBACK TO SAVEPOINT demo_job")
            cursor.execute("RELEASE SAVEPOINT demo_job")
            del uow.events[events:]
            if uow.view.writes != writes:  # the view followed writes that were just undone: read again
                uow.start_view(None)
            raise
        finally:
            self._depth -= 1
        cursor.execute("RELEASE SAVEPOINT demo_job")
        return result

    def active_uow(self) -> UnitOfWork | None:
        """The open day's unit of work (reads inside the day must see its uncommitted writes)."""
        return self._uow
