"""The counters' log for the reports (issue 13): an event listener that writes when a counter was opened, paused or
closed and by whom, so a clerk's idle share is open time minus serving time.

It listens to committed events (it is not part of the use cases' transactions): a *Buka*, *Istirahat* or *Tutup
Loket* (CounterStatusChanged), and a call that opened a paused or closed counter (TicketCalled, written only when
this process last saw the counter in another state, so the hot path of a call costs a dictionary look-up).
"""

from __future__ import annotations

import logging
from typing import Any

from ..domain.events import CounterStatusChanged, DayClosed, Event, TicketCalled
from ..storage.reports_repo import ReportsRepository
from .context import Context

log = logging.getLogger(__name__)


class CounterLog:
    """`ctx.listeners.append(CounterLog(ctx))`: one short write per counter state change."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.last: dict[str, str] = {}  # counter → the status this process last logged

    def __call__(self, events: list[Event]) -> None:
        rows = [row for e in events if (row := self._row(e)) is not None]
        if rows:
            with self.ctx.engine.begin() as conn:
                ReportsRepository(conn).log_counters(rows)

    def _row(self, e: Event) -> dict[str, Any] | None:
        if isinstance(e, DayClosed):  # the daily reset closed every counter (without logging each)
            self.last.clear()
            return None
        if isinstance(e, CounterStatusChanged):
            code, status, clerk = e.counter, e.status, e.clerk
        elif isinstance(e, TicketCalled) and e.tile is not None and not e.recall:
            code, status, clerk = e.tile.code, e.tile.status.value, e.info.ticket.clerk
            if self.last.get(code) == status:
                return None
        else:
            return None
        self.last[code] = status
        at = e.at.astimezone(self.ctx.site.timezone)
        return {"at": at, "local_date": at.date(), "counter": code, "clerk": clerk, "status": status}
