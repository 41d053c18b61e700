"""The Socket.IO hub: authenticates connections, sends a snapshot on every (re)connect (or when a client asks for
one), and fans committed events out without touching the database again."""

from __future__ import annotations

import logging
from typing import Any

from flask import request
from flask_socketio import SocketIO, join_room
from socketio import PubSubManager
from socketio.exceptions import ConnectionRefusedError

from ..domain.accounts import Principal
from ..domain.errors import DomainError
from ..domain.events import Event, SiteChanged
from ..domain.text_input import clean_text
from ..services import accounts, queries, tickets
from ..services.context import Context
from ..views.counter import counter_json
from ..views.display import display_snapshot
from ..views.tickets import ticket_json
from .emits import (
    COUNTER,
    DISPLAY,
    KIOSK,
    TICKET,
    counter_room,
    device_room,
    emits_for,
    service_room,
    ticket_room,
)
from .redis_batch import BatchingRedisManager
from .relay import Relay
from .sessions import Sessions
from .site_watch import SiteWatch

log = logging.getLogger(__name__)


def sockets_in(sio: Any, namespace: str, room: str | list[str] | None = None) -> bool:
    """Whether a message to `room` of `namespace` (None: the whole namespace; a list: any of them) can reach anyone.
    Only this process's own sockets are known: with a message queue (other processes' sockets) the answer is always
    yes. A publisher asks first, so a message for an empty room is not even built (issue 11: the standings of a line
    for no status page were a good part of a call-next)."""
    server = getattr(sio, "server", None)
    if server is None or isinstance(server.manager, PubSubManager):  # a stand-in (bench/querycount.py), or a queue
        return True
    rooms = server.manager.rooms.get(namespace)
    if not rooms:
        return False
    if room is None or isinstance(room, str):
        return bool(rooms.get(room))
    return any(rooms.get(r) for r in room)


def _auth_token(auth: Any) -> str:
    return clean_text(auth.get("token")) if isinstance(auth, dict) else ""  # unusable text: no token (issue 17)


class Hub:
    """Binds the three namespaces to `socketio` and publishes committed events (a Context listener)."""

    def __init__(self, socketio: SocketIO, ctx: Context, public_display: bool = True,
                 announce_max_age: float = 60.0) -> None:
        self.sio, self.ctx, self.public_display = socketio, ctx, public_display
        socketio.on_event("connect", self._display_connect, namespace=DISPLAY)
        socketio.on_event("snapshot", self._display_snapshot, namespace=DISPLAY)
        socketio.on_event("connect", self._ticket_connect, namespace=TICKET)
        socketio.on_event("snapshot", self._ticket_snapshot, namespace=TICKET)
        socketio.on_event("connect", self._kiosk_connect, namespace=KIOSK)
        socketio.on_event("connect", self._counter_connect, namespace=COUNTER)
        socketio.on_event("snapshot", self._counter_snapshot, namespace=COUNTER)
        self.sessions = Sessions(socketio, ctx)  # closes the sockets of revoked tokens and disabled users
        for namespace in (DISPLAY, KIOSK, COUNTER):
            socketio.on_event("disconnect", self._socket_closed, namespace=namespace)
        self.site_watch = SiteWatch(socketio, ctx)  # every process follows an administrator's site changes
        self.site_watch.start()
        manager = getattr(getattr(socketio, "server", None), "manager", None)
        # Several processes on Redis: events in seq order, missed ones from the event log (issue 16).
        self.relay = Relay(socketio, ctx, manager, announce_max_age) \
            if isinstance(manager, BatchingRedisManager) else None
        ctx.listeners.append(self.publish)

    # ------------------------------------------------------------------ connections
    def _refuse(self, code: str, message: str) -> None:
        # Arrives at the client as {"message": message, "data": {"code": code}} (connect_error).
        self.sessions.closed(request.namespace, request.sid)
        raise ConnectionRefusedError(message, {"code": code})

    def _principal(self, auth: Any, roles: tuple[str, ...]) -> Principal:
        token = _auth_token(auth)
        if not token:
            self._refuse("unauthorized", "Butuh token di 'auth': {\"token\": ...}.")
        try:
            principal = accounts.resolve(self.ctx, token)
        except DomainError as exc:
            self._refuse(exc.code, exc.message)
        if principal.role != "admin" and principal.role not in roles:
            self._refuse("forbidden", "Token ini tidak untuk layar ini.")
        self.sessions.opened(request.namespace, request.sid, token, principal)
        return principal

    def _socket_closed(self, *_reason: Any) -> None:
        self.sessions.closed(request.namespace, request.sid)

    def _display_connect(self, auth: Any = None) -> None:
        if _auth_token(auth) or not self.public_display:
            self._principal(auth, ("display",))
        self.sio.emit("snapshot", display_snapshot(self.ctx), namespace=DISPLAY, to=request.sid)

    def _display_snapshot(self, _data: Any = None) -> dict[str, Any]:
        return display_snapshot(self.ctx)

    def _ticket_json(self, token: str) -> dict[str, Any] | None:
        """The ticket behind `token` with the `seq` it is current to; joins its rooms (again: after a transfer the
        page asks for a snapshot to follow its ticket into the new service's line)."""
        try:
            seq = queries.current_seq(self.ctx)
            info = tickets.get_ticket(self.ctx, token) if token else None
        except DomainError:
            info = None
        if info is None:
            return None
        join_room(ticket_room(token), namespace=TICKET)
        join_room(service_room(info.ticket.service), namespace=TICKET)
        return ticket_json(self.ctx.site, self.ctx.public_url, info) | {"seq": seq}

    def _ticket_connect(self, auth: Any = None) -> None:
        data = self._ticket_json(_auth_token(auth))
        if data is None:
            self._refuse("unknown_ticket", "Tiket tidak ditemukan.")
        self.sio.emit("ticket_status", data, namespace=TICKET, to=request.sid)

    def _ticket_snapshot(self, data: Any = None) -> dict[str, Any]:
        found = self._ticket_json(_auth_token(data))
        return found if found is not None else {"error": {"code": "unknown_ticket", "message": "Tiket tidak ditemukan."}}

    def _kiosk_connect(self, auth: Any = None) -> None:
        principal = self._principal(auth, ("kiosk",))
        join_room(device_room(principal.id), namespace=KIOSK)
        self.sio.emit("services", queries.list_services(self.ctx), namespace=KIOSK, to=request.sid)

    def _counter_view(self, principal: Principal, auth: Any) -> dict[str, Any]:
        code = str(auth.get("counter", "")) if isinstance(auth, dict) else ""
        view = queries.counter_view(self.ctx, principal, code)
        join_room(counter_room(code), namespace=COUNTER)
        for service in view.services:
            join_room(service_room(service), namespace=COUNTER)
        return counter_json(view)

    def _counter_connect(self, auth: Any = None) -> None:
        principal = self._principal(auth, ("clerk",))
        try:
            view = self._counter_view(principal, auth)
        except DomainError as exc:
            self._refuse(exc.code, exc.message)
        self.sio.emit("counter_state", view, namespace=COUNTER, to=request.sid)

    def _counter_snapshot(self, data: Any = None) -> dict[str, Any]:
        try:
            return self._counter_view(accounts.resolve(self.ctx, _auth_token(data)), data)
        except DomainError as exc:
            return {"error": {"code": exc.code, "message": exc.message}}

    # ------------------------------------------------------------------ events
    def _watched(self, namespace: str, room: str | list[str] | None) -> bool:
        return sockets_in(self.sio, namespace, room)

    def publish(self, events: list[Event]) -> None:
        """Send each committed event's messages (built from the event alone: no query here)."""
        if self.relay is not None:
            self.relay.publish(events)  # to every process's screens, in seq order
        else:
            for event in events:
                for e in emits_for(self.ctx.site, self.ctx.public_url, event, self._watched):
                    self.sio.emit(e.name, e.payload, namespace=e.namespace, to=e.room)
        if any(isinstance(event, SiteChanged) for event in events):
            self.site_watch.announce()  # this process already runs on the new site
