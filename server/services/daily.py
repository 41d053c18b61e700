"""The daily reset: at local midnight (and at start) tickets of earlier days expire and counters close."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..domain.events import DayClosed
from ..storage.uow import UnitOfWork
from .context import Context, run


def close_day(ctx: Context) -> int:
    """Expire every still-open ticket of an earlier local day and close all counters; returns how many expired.
    Does nothing (and publishes nothing) when there is nothing to close."""

    def work(uow: UnitOfWork) -> int:
        now = ctx.now()
        stale = uow.tickets.stale_active(now.date())
        states = uow.state.all_counters()
        dirty = [s for s in states.values() if s.status != "closed" or s.priority_streak]
        if not stale and not dirty:
            return 0
        for ticket in stale:
            ticket.expire(now)
            uow.tickets.save(ticket)
        for state in dirty:
            state.status, state.priority_streak, state.clerk = "closed", 0, None
            uow.state.save_counter(state, now)
        uow.record(DayClosed(now, day=now.date().isoformat(), expired=len(stale)))
        return len(stale)

    return run(ctx, work)


def seconds_to_midnight(now: datetime) -> float:
    """Seconds from `now` (site-local, aware) to the next local midnight, plus a second of margin."""
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (tomorrow - now).total_seconds() + 1
