"""Pure mapping from a committed domain event to Socket.IO messages (namespace, room(s), name, payload).

Every payload is built from the event alone (it carries what screens need), through the shapes in `server/views`,
so publishing costs no query however many screens watch. Every event reaches /display with its `seq` (so a display
can spot gaps); one event may yield several messages, which then share the event's seq; a client in several of a
message's rooms gets it once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..domain.events import (
    CounterStatusChanged,
    DayClosed,
    Event,
    ReprintRequested,
    TicketCalled,
    TicketEvent,
)
from ..domain.site import Site
from ..views.counter import today_json
from ..views.display import call_json, tile_json
from ..views.tickets import standing_json, ticket_fields, ticket_json

DISPLAY, TICKET, COUNTER, KIOSK = "/display", "/ticket", "/counter", "/kiosk"


@dataclass(frozen=True, slots=True)
class Emit:
    namespace: str
    room: str | list[str] | None
    name: str
    payload: dict[str, Any]


# Whether any socket is in `room` of `namespace` (None: the whole namespace; a list: any of them). The hub passes the
# sockets connected to its process when it alone sends (no message queue): a message nobody can receive is not built.
Watched = Callable[[str, "str | list[str] | None"], bool]


def _everyone(_namespace: str, _room: str | list[str] | None) -> bool:
    return True


def service_room(service: str) -> str:
    return f"service:{service}"


def counter_room(counter: str) -> str:
    return f"counter:{counter}"


def ticket_room(token: str) -> str:
    return f"ticket:{token}"


def device_room(device_id: int) -> str:
    return f"device:{device_id}"


def _display_emits(site: Site, event: Event, seq: int, at: str, watched: Watched) -> list[Emit]:
    """One message per event when a loket changed (its tile, with the new waiting counts inside, since a broadcast
    to every TV is the expensive part), else the waiting counts, else a tick."""
    if not watched(DISPLAY, None):
        return []
    tile = getattr(event, "tile", None)
    if isinstance(event, TicketCalled) and event.counter:
        call = call_json(site, event.info.ticket, event.counter, event.at, event.recall)
        return [Emit(DISPLAY, None, "ticket_called", call | {
            "tile": tile_json(site, tile) if tile else None, "waiting": event.waiting, "seq": seq})]
    if tile is not None:
        return [Emit(DISPLAY, None, "counter_changed", {"tile": tile_json(site, tile), "waiting": event.waiting,
                                                        "seq": seq, "at": at})]
    if event.lines:
        return [Emit(DISPLAY, None, "queue_changed", {"service": service, "waiting": line.waiting, "seq": seq,
                                                      "event": event.name})
                for service, line in event.lines.items()]
    return [Emit(DISPLAY, None, "tick", {"seq": seq, "event": event.name})]


def _counter_emits(event: Event, seq: int, watched: Watched) -> list[Emit]:
    """Counter screens: the changed ticket to the lokets serving its services and to the loket where it happened."""
    if not watched(COUNTER, None):
        return []
    if isinstance(event, TicketEvent):
        rooms = [service_room(s) for s in dict.fromkeys([event.service, *event.lines])]
        if event.counter:
            rooms.append(counter_room(event.counter))
        if not watched(COUNTER, rooms):
            return []
        return [Emit(COUNTER, rooms, "ticket_changed", {
            "event": event.name, "seq": seq, "ticket": ticket_fields(event.info.ticket), "counter": event.counter,
            "counter_status": event.tile.status.value if event.tile else None,
            "today": today_json(event.today) if event.today else None})]
    if isinstance(event, CounterStatusChanged):
        return [Emit(COUNTER, counter_room(event.counter), "counter_status", {"status": event.status, "seq": seq})]
    if isinstance(event, DayClosed):
        return [Emit(COUNTER, None, "day_closed", {"seq": seq})]
    return []


def _visitor_emits(site: Site, public_url: str, event: Event, seq: int, watched: Watched) -> list[Emit]:
    """Status pages (their own ticket, and the standings of their service's line) and kiosks."""
    out = []
    if isinstance(event, TicketEvent):
        reprint = isinstance(event, ReprintRequested) and event.device_id is not None
        to_page = watched(TICKET, ticket_room(event.token))
        if to_page or reprint:
            ticket = ticket_json(site, public_url, event.info) | {"seq": seq}
            if to_page:
                out.append(Emit(TICKET, ticket_room(event.token), "ticket_status", ticket))
            if reprint:
                out.append(Emit(KIOSK, device_room(event.device_id), "reprint", ticket))  # type: ignore[arg-type]
    kiosks = watched(KIOSK, None)
    for service, line in event.lines.items():
        if watched(TICKET, service_room(service)):  # the standings are O(line): only for a page that shows them
            standings = {s.number: standing_json(s) for s in line.standings}
            out.append(Emit(TICKET, service_room(service), "queue_changed",
                            {"service": service, "waiting": line.waiting, "standings": standings, "seq": seq}))
        if kiosks:
            out.append(Emit(KIOSK, None, "queue_changed", {"service": service, "waiting": line.waiting, "seq": seq,
                                                           "event": event.name}))
    return out


def emits_for(site: Site, public_url: str, event: Event, watched: Watched = _everyone) -> list[Emit]:
    """The messages that tell every screen about `event` (those `watched` says someone can receive)."""
    seq, at = event.seq, event.at.isoformat(timespec="seconds")
    return [*_display_emits(site, event, seq, at, watched), *_counter_emits(event, seq, watched),
            *_visitor_emits(site, public_url, event, seq, watched)]
