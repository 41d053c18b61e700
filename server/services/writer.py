"""Group commit: one writer runs the work of every request waiting for it in a single
transaction — without savepoints while every request succeeds, and once one is refused, again with a SAVEPOINT per
request, so a refusal undoes only its own writes — commits once (one fsync,
`synchronous=FULL` unchanged), publishes the batch's events in `seq` order and only then answers each request.
Under load the commits are shared, so throughput rises with concurrency instead of flattening at one fsync and one
BEGIN…COMMIT per request. The writer also keeps the line book (storage/line_book.py): a batch
that finds `seq` where its last commit left it ranks lines without reading them. On PostgreSQL each process has its own
writer: a batch locks the `seq` row first and holds it for one commit, instead of each request holding it for its
own commit's flush and two processes' batches deadlocking on number rows taken in different orders."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Connection

from ..domain.events import Event
from ..storage import event_log
from ..storage.line_book import LineBook, caught_up, fresh_book
from ..storage.uow import UnitOfWork
from .context import Context

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_BATCH = 64  # a bound on how long one batch holds the others' answers back


@dataclass
class _Job:
    work: Callable[[UnitOfWork], Any]
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


class GroupCommit:
    """`ctx.writer = GroupCommit(ctx)`: from then on `services.context.run` hands its work here."""

    def __init__(self, ctx: Context, max_batch: int = MAX_BATCH) -> None:
        self.ctx, self.max_batch = ctx, max_batch
        self._jobs: list[_Job] = []
        self._cond = threading.Condition()  # green under eventlet/gevent (the entry point monkey-patches first)
        self._local = threading.local()
        self._thread: threading.Thread | None = None
        self._running = False  # a batch is being committed (by the writer thread or a leading request)
        self._closing = False
        self.book: LineBook | None = None
        self._conn: Connection | None = None
        self.batches = self.jobs_done = 0  # for benchmarks: mean batch size = jobs_done / batches

    def submit(self, work: Callable[[UnitOfWork], T]) -> T:
        """Run `work` in the next batch; returns its result (or raises its error) once the batch is durable."""
        current: UnitOfWork | None = getattr(self._local, "uow", None)
        if current is not None:  # work inside a batch's work: it is part of the same transaction
            return work(current)
        job = _Job(work)
        with self._cond:
            if self._closing:
                raise RuntimeError("the group-commit writer is closed")
            self._jobs.append(job)
            lead = not self._running  # nobody is committing: this request runs the batch itself
            if lead:
                self._running = True
            else:
                self._wake_writer()
        if lead:
            self._lead()
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[no-any-return]

    def run_inline(self, work: Callable[[UnitOfWork], T]) -> T:
        """Run `work` now, in the caller's thread, as a batch of its own — committed, published, the line book kept —
        as `submit` would, without the hand-off to the writer thread and back. Only for a caller that is the
        writer's sole user, one use case at a time (the simulator, simulate/engine.py): it must not run while
        `submit` has a batch on the writer thread."""
        current = self.active_uow()
        if current is not None:  # work inside a batch's work: it is part of the same transaction
            return work(current)
        job = _Job(work)
        self._commit_and_publish([job])
        self.batches += 1
        self.jobs_done += 1
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[no-any-return]

    def active_uow(self) -> UnitOfWork | None:
        """The batch's unit of work when called from inside a batch (on the writer or a leading request), else None."""
        return getattr(self._local, "uow", None)

    # ------------------------------------------------------------------ the writer
    def close(self) -> None:
        """Stop the writer once the jobs already submitted are done, and close its connection (tests, shutdown)."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
            while self._running and self.active_uow() is None:  # a batch under way (not this one): wait for it
                self._cond.wait()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)
        self._drop_connection()
        event_log.close_log(self.ctx.engine)  # its committed events' log connection (PostgreSQL), kept beside ours

    def _take(self) -> list[_Job]:
        """The next batch off the queue, marking a batch as running (call holding `_cond`)."""
        batch, self._jobs = self._jobs[:self.max_batch], self._jobs[self.max_batch:]
        self._running = True
        return batch

    def _wake_writer(self) -> None:
        """Have the writer thread take the queue once the running batch is done (call holding `_cond`)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="antre-writer", daemon=True)
            self._thread.start()
        self._cond.notify()

    def _lead(self) -> None:
        """Run a batch in the submitting request's own thread: a request that finds the writer idle (one client,
        a quiet site) commits without the hand-off to the writer thread and the wake-up back (issue 11). It first
        lets the other ready requests run up to their own submit (one yield: under eventlet nothing else runs until
        this thread blocks, and a commit does not block it), so under load they join this batch instead of each
        committing alone; the requests arriving after that queue for the writer thread, as before."""
        time.sleep(0)  # a yield to the threads ready to run, not a wait for anything
        with self._cond:
            batch = self._take()
        self._run_batch(batch)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while self._running or (not self._jobs and not self._closing):
                    self._cond.wait()
                if not self._jobs:
                    return
                batch = self._take()
            self._run_batch(batch)

    def _run_batch(self, batch: list[_Job]) -> None:
        """Commit and publish `batch`, answer every job of it whatever happens, and leave the queue to the writer
        thread (a leading request) or to the next turn of its loop (the writer thread)."""
        try:
            self._commit_and_publish(batch)
        except BaseException:  # never let the writer die: every later request would wait for it forever
            log.exception("group commit writer: unexpected failure")
        finally:
            self.batches += 1
            self.jobs_done += len(batch)
            for job in batch:
                job.done.set()
            with self._cond:
                self._running = False
                self._cond.notify_all()  # a closing writer waits for the running batch
                if self._jobs:
                    self._wake_writer()

    def _commit_and_publish(self, batch: list[_Job]) -> None:
        events: list[Event] = []
        try:
            events = self._run(batch)
        except BaseException as exc:  # BEGIN or COMMIT failed: nothing of the batch is stored
            self.book = None
            self._drop_connection()
            log.exception("group commit of %d request(s) failed", len(batch))
            for job in batch:
                if job.error is None:
                    job.error, job.result = exc, None
        if events:
            self.ctx.publish(events)  # after the commit, in seq order, before anyone is answered

    def _run(self, batch: list[_Job]) -> list[Event]:
        ctx = self.ctx
        day = ctx.now().date()
        if self._conn is None or self._conn.invalidated or self._conn.closed:
            self._conn = ctx.engine.connect()  # kept: no pool checkout and reset per batch
        careful = False  # a savepoint per job: only once a job of this batch has failed
        while True:
            with UnitOfWork(ctx.engine, ctx.site.timezone, conn=self._conn) as uow:
                seq, last = uow.state.lock_site()
                start = self._book_at(uow, seq, last, day)
                self.book = None  # until this batch commits, no book is current
                uow.start_view(start)
                self._local.uow = uow
                try:
                    if len(batch) == 1:  # alone: no savepoint needed, a refusal rolls the whole transaction back
                        if not self._alone(uow, batch[0]):
                            self.book = start if uow.view.writes == 0 else None
                            return []
                    elif careful:
                        for job in batch:
                            self._one(uow, job)
                    elif not self._all(uow, batch):
                        careful = True
                        # Rolled back on leaving the block: the book, caught up before any write, is still current.
                        self.book = start
                        continue
                finally:
                    self._local.uow = None
                events = uow.commit()
            # `seq` was locked from the start, so nobody committed in between: the book is the database now.
            self.book = uow.view.next_book(events[-1].seq if events else seq, day)
            if self.book is not None and uow.state.last_transition is not None:
                self.book.last_transition = uow.state.last_transition  # its own writes: not followed again
            if uow.accounts.changed:
                ctx.tokens.clear()
            return events

    def _book_at(self, uow: UnitOfWork, seq: int, last: int, day: date) -> LineBook:
        """The line book as of the locked `seq`: the last one kept, moved past what other processes committed since,
        or a fresh one."""
        start = self.book if self.book and self.book.day == day else None
        if start is not None and start.seq != seq:  # another process committed: follow what it changed
            changed = uow.tickets.changed_between(start.last_transition, last)
            start = caught_up(start, uow.view.read, changed, seq, last)
        if start is None:
            start = fresh_book(uow.view.read, seq, day, last)
        start.last_transition = last
        return start

    def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.invalidate()  # whatever broke, the next batch starts on a fresh connection
            except Exception:
                log.exception("dropping the writer's connection failed")

    @staticmethod
    def _alone(uow: UnitOfWork, job: _Job) -> bool:
        try:
            job.result = job.work(uow)
            return True
        except BaseException as exc:
            job.error = exc
            return False

    @staticmethod
    def _all(uow: UnitOfWork, batch: list[_Job]) -> bool:
        """Run every job without savepoints (two statements fewer each: an issued ticket's five become three);
        False as soon as one fails — the caller then rolls back and runs the batch again, a savepoint per job, so
        each job's outcome is the one it gets there."""
        for job in batch:
            try:
                job.result = job.work(uow)
            except BaseException:
                for done in batch:
                    done.result = None
                return False
        return True

    def _one(self, uow: UnitOfWork, job: _Job) -> None:
        savepoint = uow.conn.begin_nested()
        events, writes = len(uow.events), uow.view.writes
        try:
            job.result = job.work(uow)
            savepoint.commit()
        except BaseException as exc:
            savepoint.rollback()
            del uow.events[events:]
            job.error = exc
            if uow.view.writes != writes:  # the view followed writes that were just undone: read again
                uow.start_view(None)


@contextmanager
def borrowed(uow: UnitOfWork) -> Iterator[UnitOfWork]:
    """The batch's own unit of work for `ctx.uow()` called inside a batch (a second connection would wait for the
    writer's lock forever): not committed, rolled back or closed here."""
    yield uow


def group_commit_applies(ctx: Context, storage: dict[str, Any]) -> bool:
    """Group commit (`[storage] group_commit`, on by default) serves the embedded SQLite file — its single writer —
    and PostgreSQL, where a batch takes the `seq` row once instead of once per request (processes otherwise queue
    on that row for every commit's flush); an in-memory database has one shared connection and keeps the plain
    path."""
    url = ctx.engine.url
    if not storage.get("group_commit", True):
        return False
    if url.get_backend_name() == "sqlite":
        return url.database not in (None, "", ":memory:")
    return True
