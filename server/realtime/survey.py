"""The `/survey` namespace: a survey tablet (device of kind `survey`, bound to a counter) joins its counter's room
and is told, as soon as that counter finishes a ticket, which ticket to ask about (`offer`). On (re)connect it gets
the current offer (its counter's last finished ticket, if recent and not answered yet) or null.

The offer is built from the committed `TicketFinished` event alone (no query while publishing), like emits.py.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_socketio import SocketIO, join_room
from socketio.exceptions import ConnectionRefusedError

from ..domain.errors import DomainError
from ..domain.events import Event, TicketFinished
from ..domain.text_input import clean_text
from ..services import accounts, survey
from ..services.context import Context
from .sessions import Sessions

SURVEY = "/survey"


def survey_room(counter: str) -> str:
    return f"survey:{counter}"


def offers_for(ctx: Context, events: list[Event]) -> list[tuple[str, dict[str, Any]]]:
    """(room, offer) for every ticket finished at a counter among `events` (pure: the event carries all)."""
    out = []
    for event in events:
        if isinstance(event, TicketFinished) and event.counter:
            offer = survey.offer_json(ctx, event.token, event.number, event.service)
            out.append((survey_room(event.counter), offer | {"seq": event.seq}))
    return out


class SurveyNamespace:
    """Binds `/survey` to `socketio` and forwards finishes to the tablets (a Context listener)."""

    def __init__(self, socketio: SocketIO, ctx: Context, sessions: Sessions | None = None) -> None:
        self.sio, self.ctx, self.sessions = socketio, ctx, sessions
        socketio.on_event("connect", self._connect, namespace=SURVEY)
        socketio.on_event("disconnect", self._closed, namespace=SURVEY)
        ctx.listeners.append(self.publish)

    def _refuse(self, code: str, message: str) -> None:
        raise ConnectionRefusedError(message, {"code": code})

    def _connect(self, auth: Any = None) -> None:
        token = clean_text(auth.get("token")) if isinstance(auth, dict) else ""  # bad text: no token (issue 17)
        if not token:
            self._refuse("unauthorized", "Butuh token perangkat di 'auth': {\"token\": ...}.")
        try:
            device = accounts.resolve(self.ctx, token)
            offer = survey.tablet_offer(self.ctx, device)
        except DomainError as exc:
            self._refuse(exc.code, exc.message)
        if self.sessions is not None:  # revoking the tablet closes its socket; an open socket marks it online
            self.sessions.opened(SURVEY, request.sid, token, device)
        join_room(survey_room(device.counters[0]), namespace=SURVEY)
        self.sio.emit("offer", {"offer": offer, "counter": device.counters[0]}, namespace=SURVEY, to=request.sid)

    def _closed(self, *_reason: Any) -> None:
        if self.sessions is not None:
            self.sessions.closed(SURVEY, request.sid)

    def publish(self, events: list[Event]) -> None:
        for room, offer in offers_for(self.ctx, events):
            self.sio.emit("offer", {"offer": offer}, namespace=SURVEY, to=room)
