"""What the waiting-room displays get: a loket's tile, a call, and the snapshot made of them — one shape each,
used by the snapshot and by the events alike."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.site import Site
from ..domain.standing import CounterTile
from ..domain.ticket import Ticket
from ..services import queries
from ..services.context import Context
from ..services.queries import DisplaySnapshot
from .tickets import iso


def tile_json(site: Site, tile: CounterTile) -> dict[str, Any]:
    counter = site.counters.get(tile.code)
    busy = tile.busy
    return {"code": tile.code, "name": counter.name if counter else tile.code,
            "services": list(counter.services) if counter else [], "status": tile.status.value,
            "number": busy.number if busy else None, "ticket_status": busy.status.value if busy else None,
            "priority": busy.priority.value if busy and busy.priority else None}


def call_json(site: Site, ticket: Ticket, counter: str, at: datetime, recall: bool,
              service: str | None = None) -> dict[str, Any]:
    """One call (or recall) of `ticket` to loket `counter` at `at`, for `service` (default: the ticket's own):
    the now-calling panel and the riwayat panggilan."""
    known = site.counters.get(counter)
    return {"number": ticket.number, "service": service or ticket.service, "counter": counter,
            "counter_name": known.name if known else counter,
            "priority": ticket.priority.value if ticket.priority else None, "recall": recall, "at": iso(at)}


def snapshot_json(site: Site, snap: DisplaySnapshot, ticker: str = "") -> dict[str, Any]:
    """Everything a display needs to redraw from nothing, stamped with the `seq` it is current to; `ticker` is the
    running text the office set (a TV without one shows its own)."""
    return {"seq": snap.seq, "date": snap.day.isoformat(), "site": site.name, "ticker": ticker,
            "calls": [call_json(site, c.ticket, c.counter, c.at, c.recall, c.service) for c in snap.calls],
            "counters": [tile_json(site, t) for t in snap.tiles],
            "waiting": {s: snap.waiting.get(s, 0) for s in site.services}}


def display_snapshot(ctx: Context) -> dict[str, Any]:
    """The `/display` snapshot (on connect, on request after a seq gap, and `GET /display/snapshot`)."""
    return snapshot_json(ctx.site, queries.display_snapshot(ctx), ctx.stored.ticker if ctx.stored else "")
