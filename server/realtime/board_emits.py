"""The supervision board's messages for a committed event (pure, like emits.py): the whole `board_event` to
`board:all`, each agency's part of it to that agency's room (views/board.py), and `board_reset` after the daily
reset or an administrator's site change. With several processes they travel with the other messages of their event
through the relay (realtime/relay.py): in `seq` order, from the event log after an outage, and inside the batch's
one Redis message instead of a message of their own per event and room."""

from __future__ import annotations

from ..domain.events import DayClosed, Event, SiteChanged
from ..domain.site import Site
from ..views.board import agencies_of, event_json, for_agency
from .emits import Emit

BOARD = "/board"
ALL_ROOM = "board:all"


def agency_room(agency: str) -> str:
    return f"board:agency:{agency}"


def board_emits(site: Site, event: Event) -> list[Emit]:
    """The boards' messages for `event` (none when a board shows nothing of it)."""
    if isinstance(event, DayClosed | SiteChanged):
        return [Emit(BOARD, None, "board_reset", {"seq": event.seq, "event": event.name})]
    payload = event_json(site, event)
    if payload is None:
        return []
    return [Emit(BOARD, ALL_ROOM, "board_event", payload),
            *(Emit(BOARD, agency_room(agency), "board_event", for_agency(site, payload, agency))
              for agency in sorted(agencies_of(site, payload)))]
