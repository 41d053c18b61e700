"""The daily reset: at local midnight (and at start) tickets of earlier days expire and counters close."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..domain.counter import CounterStatus
from ..domain.events import DayClosed
from ..storage.uow import UnitOfWork
from .booking import expire_no_shows
from .context import Context, run


def close_day(ctx: Context) -> int:
    """Expire every still-open ticket of an earlier local day and close all counters; returns how many expired.
    Does nothing (and publishes nothing) when there is nothing to close."""
    expire_no_shows(ctx)  # bookings never checked in become *tidak hadir* (own transaction and event)

    def work(uow: UnitOfWork) -> int:
        now = ctx.now()
        stale = uow.tickets.stale_active(now.date())
        today_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        # Only counters last touched before today: a restart during the day must not close working counters.
        dirty = [s for s in uow.state.all_counters().values()
                 if (s.status is not CounterStatus.CLOSED or s.priority_streak) and (s.updated_at is None or s.updated_at < today_start)]
        if not stale and not dirty:
            return 0
        for ticket in stale:
            ticket.expire(now)
            uow.tickets.save(ticket)
        for state in dirty:
            state.status, state.priority_streak, state.clerk = CounterStatus.CLOSED, 0, None
            uow.state.save_counter(state, now)
        uow.record(DayClosed(now, day=now.date().isoformat(), expired=len(stale)))
        return len(stale)

    return run(ctx, work)


def seconds_to_midnight(now: datetime) -> float:
    """Seconds from `now` (site-local, aware) to the next local midnight, plus a second of margin."""
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (tomorrow - now).total_seconds() + 1
