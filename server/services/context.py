"""What every use case needs: the site, the database, the clock, and where committed events go."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from ..booking_config import BookingConfig
from ..domain.events import Event
from ..domain.site import Site
from ..site_document import StoredSite
from ..storage.tickets_repo import ConcurrentUpdate
from ..storage.uow import UnitOfWork
from .token_cache import TokenCache

log = logging.getLogger(__name__)
T = TypeVar("T")
RETRIES = 8
RETRY_PAUSE_SECS = 0.005


class Committer(Protocol):
    """Where `run` sends its work when set (services/writer.py: group commit for SQLite)."""

    def submit(self, work: Callable[[UnitOfWork], T]) -> T: ...

    def active_uow(self) -> UnitOfWork | None: ...


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    site: Site
    engine: Engine
    clock: Callable[[], datetime] = system_clock
    public_url: str = "http://127.0.0.1:5000"
    secret: bytes = b""
    token_hours: float = 12.0
    booking: BookingConfig = field(default_factory=BookingConfig)  # [booking]: places, sessions, rules
    listeners: list[Callable[[list[Event]], None]] = field(default_factory=list)
    stored: StoredSite | None = None  # the site document `site` was built from (services/site_store.py)
    tokens: TokenCache = field(default_factory=TokenCache)  # bearer token → principal, for a second
    writer: Committer | None = None  # group commit; None: one transaction per use case
    # Wraps each publish (the realtime layer sends a batch's messages to the other processes in one go).
    around_publish: Callable[[], AbstractContextManager[object]] = nullcontext

    def now(self) -> datetime:
        """Aware "now" in the site's time zone (the only "now" the domain ever sees)."""
        return self.clock().astimezone(self.site.timezone)

    def uow(self) -> AbstractContextManager[UnitOfWork]:
        """A new unit of work; inside a group-commit batch the batch's own (a second connection would wait for the
        writer's lock)."""
        current = self.writer.active_uow() if self.writer is not None else None
        if current is not None:
            from .writer import borrowed  # writer.py builds on this module

            return borrowed(current)
        return UnitOfWork(self.engine, self.site.timezone)

    def publish(self, events: list[Event]) -> None:
        with self.around_publish():
            for listener in self.listeners:
                try:
                    listener(events)
                except Exception:  # a broken screen must not undo a committed ticket
                    log.exception("event listener failed")

    def status_url(self, token: str) -> str:
        return f"{self.public_url}/t/{token}"


def run(ctx: Context, work: Callable[[UnitOfWork], T]) -> T:
    """Run `work` in a unit of work, commit, publish its events; retry when a concurrent writer won a race."""
    for attempt in range(RETRIES):
        try:
            if ctx.writer is not None:  # it commits, publishes and clears remembered tokens itself
                return ctx.writer.submit(work)
            with ctx.uow() as uow:
                result = work(uow)
                events = uow.commit()
                if uow.accounts.changed:
                    ctx.tokens.clear()
        except (ConcurrentUpdate, IntegrityError, OperationalError) as exc:
            if attempt == RETRIES - 1 or not _retryable(exc):
                raise
            # Sleeping is the backoff here, not synchronisation: another writer just committed first.
            time.sleep(RETRY_PAUSE_SECS * (attempt + 1))
            continue
        ctx.publish(events)
        return result
    raise AssertionError("unreachable")


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, ConcurrentUpdate | IntegrityError):
        return True
    text = str(exc).lower()
    return "deadlock" in text or "could not serialize" in text or "database is locked" in text
