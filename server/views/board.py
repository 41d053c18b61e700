"""What the supervision board gets: one shape per thing (a loket, a service's line, a ticket), used by the snapshot
and by the events alike, and the per-agency cut of an event (a supervisor's socket gets only their agencies').

Event payloads are built from the committed event alone (no query), like the other screens' (realtime/emits.py).
The board's reducer (server/web/static/board/state.js) keeps each loket, line and ticket with the `seq` it was last
changed at, so a message seen twice, or a cut and the whole event both reaching a supervisor of two agencies,
changes nothing.
"""

from __future__ import annotations

from typing import Any

from ..domain.counter import CounterStatus
from ..domain.events import CounterStatusChanged, Event, TicketEvent, TicketTransferred
from ..domain.site import Site
from ..domain.standing import CounterTile, ServiceLine
from ..domain.ticket import Ticket
from ..services.board import BoardSnapshot
from .tickets import iso


def board_ticket(t: Ticket) -> dict[str, Any]:
    """A ticket as the board keeps it: where it is and since when (no token, nothing personal)."""
    return {"id": t.id, "number": t.number, "service": t.service, "status": t.status.value,
            "priority": t.priority.value if t.priority else None, "counter": t.counter, "clerk": t.clerk,
            "queued_at": iso(t.queued_at), "called_at": iso(t.called_at), "started_at": iso(t.started_at),
            "recalls": t.recalls}


def board_counter(site: Site, code: str, status: CounterStatus, busy: Ticket | None,
                  clerk: str | None) -> dict[str, Any]:
    """A loket: open/paused/closed, who works there (None = not known from this event: keep the last one) and the
    ticket it is busy with (called or serving, with the times its minutes count from)."""
    counter = site.counters.get(code)
    out = {"code": code, "name": counter.name if counter else code,
           "services": list(counter.services) if counter else [], "status": status.value,
           "ticket": board_ticket(busy) if busy else None}
    if clerk:
        out["clerk"] = clerk
    return out


def board_line(line: ServiceLine) -> dict[str, Any]:
    """A service's line: people waiting and the estimated wait of the last of them (what a newcomer faces)."""
    closed = any(s.no_counter_open for s in line.standings)
    if closed:  # no open loket serves it: no estimate until one opens
        return {"waiting": line.waiting, "eta_minutes": None, "eta_seconds": None, "no_counter_open": True}
    return {"waiting": line.waiting, "eta_minutes": max((s.eta_minutes or 0 for s in line.standings), default=0),
            "eta_seconds": max((s.eta_seconds or 0 for s in line.standings), default=0), "no_counter_open": False}


def board_service(site: Site, code: str) -> dict[str, Any]:
    s = site.services[code]
    agency = site.agencies.get(s.agency)
    return {"code": s.code, "name": s.name, "prefix": s.prefix, "agency": s.agency,
            "agency_name": agency.name if agency else s.agency, "target_wait_minutes": s.target_wait_minutes}


def _late(site: Site, t: Ticket) -> bool:
    waited = t.wait_seconds()
    service = site.services.get(t.service)
    return waited is not None and service is not None and waited > service.target_wait_minutes * 60


def snapshot_json(site: Site, snap: BoardSnapshot, scope: tuple[str, ...] | None) -> dict[str, Any]:
    """The board from nothing: its services, lokets, waiting tickets, lines, today's late tickets and served count."""
    served: dict[str, int] = {s.code: 0 for s in snap.services}
    for t in snap.called:
        if t.status.value == "done":
            served[t.service] = served.get(t.service, 0) + 1
    agencies = sorted({s.agency for s in snap.services})
    return {
        "seq": snap.seq, "date": snap.day.isoformat(), "now": iso(snap.now), "site": site.short_name or site.name,
        "scope": None if scope is None else list(scope),
        "agencies": [{"code": a, "name": site.agencies[a].name if a in site.agencies else a} for a in agencies],
        "services": [board_service(site, s.code) for s in snap.services],
        "counters": [board_counter(site, c.code, state.status if state else CounterStatus.CLOSED, busy,
                                   state.clerk if state else None) for c, state, busy in snap.counters],
        "waiting": [board_ticket(t) for t in snap.waiting],
        "lines": {code: board_line(line) for code, line in snap.lines.items()},
        "late": [board_ticket(t) for t in snap.called if _late(site, t)],
        "served": served,
    }


def _tile_counter(site: Site, tile: CounterTile, clerk: str | None) -> dict[str, Any]:
    busy = tile.busy
    return board_counter(site, tile.code, tile.status, busy, clerk or (busy.clerk if busy else None))


def event_json(site: Site, event: Event) -> dict[str, Any] | None:
    """The board's message for a committed event (None: nothing a board shows changed)."""
    out: dict[str, Any] = {"seq": event.seq, "event": event.name}
    if isinstance(event, TicketEvent):
        out["ticket"] = board_ticket(event.info.ticket)
        if isinstance(event, TicketTransferred):
            out["from_service"] = event.from_service
    tile = getattr(event, "tile", None)
    if tile is not None:
        out["counter"] = _tile_counter(site, tile, event.clerk if isinstance(event, CounterStatusChanged) else None)
    if event.lines:
        out["lines"] = {s: board_line(line) for s, line in event.lines.items()}
    return out if len(out) > 2 else None


def agencies_of(site: Site, payload: dict[str, Any]) -> set[str]:
    """The agencies an event's message concerns: its ticket's service (and the one it left), its loket's services,
    its lines' services."""
    services = set(payload.get("lines", {}))
    if "ticket" in payload:
        services.add(payload["ticket"]["service"])
    if payload.get("from_service"):
        services.add(payload["from_service"])
    if "counter" in payload:
        services.update(payload["counter"]["services"])
    return {site.services[s].agency for s in services if s in site.services}


def for_agency(site: Site, payload: dict[str, Any], agency: str) -> dict[str, Any]:
    """The part of a message a board of `agency` may see: its services' lines and tickets, and lokets serving one
    of its services (with the ticket such a loket is busy with, whatever its service: the loket is theirs)."""
    mine = {code for code, s in site.services.items() if s.agency == agency}
    out: dict[str, Any] = {"seq": payload["seq"], "event": payload["event"]}
    ticket = payload.get("ticket")
    if ticket and (ticket["service"] in mine or payload.get("from_service") in mine):
        out["ticket"] = ticket
        if "from_service" in payload:
            out["from_service"] = payload["from_service"]
    counter = payload.get("counter")
    if counter and mine.intersection(counter["services"]):
        out["counter"] = counter
    lines = {s: v for s, v in payload.get("lines", {}).items() if s in mine}
    if lines:
        out["lines"] = lines
    return out
