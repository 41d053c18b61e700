"""The Socket.IO hub: authenticates connections, sends a snapshot on every (re)connect, and fans events out."""

from __future__ import annotations

import logging
from typing import Any

from flask import request
from flask_socketio import SocketIO, join_room
from socketio.exceptions import ConnectionRefusedError

from ..api.serialize import counter_json, ticket_json
from ..domain.errors import DomainError
from ..domain.events import Event, ReprintRequested, TicketEvent
from ..services import accounts, queries, tickets
from ..services.context import Context
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

log = logging.getLogger(__name__)


def _auth_token(auth: Any) -> str:
    return str(auth.get("token", "")).strip() if isinstance(auth, dict) else ""


class Hub:
    """Binds the three namespaces to `socketio` and publishes committed events (a Context listener)."""

    def __init__(self, socketio: SocketIO, ctx: Context, public_display: bool = True) -> None:
        self.sio, self.ctx, self.public_display = socketio, ctx, public_display
        socketio.on_event("connect", self._display_connect, namespace=DISPLAY)
        socketio.on_event("snapshot", self._display_snapshot, namespace=DISPLAY)
        socketio.on_event("connect", self._ticket_connect, namespace=TICKET)
        socketio.on_event("refresh", self._ticket_refresh, namespace=TICKET)
        socketio.on_event("connect", self._kiosk_connect, namespace=KIOSK)
        socketio.on_event("connect", self._counter_connect, namespace=COUNTER)
        socketio.on_event("refresh", self._counter_refresh, namespace=COUNTER)
        ctx.listeners.append(self.publish)

    # ------------------------------------------------------------------ connections
    def _refuse(self, code: str, message: str) -> None:
        # Arrives at the client as {"message": message, "data": {"code": code}} (connect_error).
        raise ConnectionRefusedError(message, {"code": code})

    def _principal(self, auth: Any, roles: tuple[str, ...]) -> Any:
        token = _auth_token(auth)
        if not token:
            self._refuse("unauthorized", "Butuh token di 'auth': {\"token\": ...}.")
        try:
            principal = accounts.resolve(self.ctx, token)
        except DomainError as exc:
            self._refuse(exc.code, exc.message)
        if principal.role != "admin" and principal.role not in roles:
            self._refuse("forbidden", "Token ini tidak untuk layar ini.")
        return principal

    def _display_connect(self, auth: Any = None) -> None:
        if _auth_token(auth) or not self.public_display:
            self._principal(auth, ("display",))
        self.sio.emit("snapshot", queries.display_snapshot(self.ctx), namespace=DISPLAY, to=request.sid)

    def _display_snapshot(self, _data: Any = None) -> dict[str, Any]:
        return queries.display_snapshot(self.ctx)

    def _ticket_connect(self, auth: Any = None) -> None:
        token = _auth_token(auth)
        try:
            info = tickets.get_ticket(self.ctx, token) if token else None
        except DomainError:
            info = None
        if info is None:
            self._refuse("unknown_ticket", "Tiket tidak ditemukan.")
        join_room(ticket_room(token), namespace=TICKET)
        join_room(service_room(info.ticket.service), namespace=TICKET)
        self.sio.emit("ticket_status", ticket_json(self.ctx, info), namespace=TICKET, to=request.sid)

    def _ticket_refresh(self, data: Any = None) -> dict[str, Any]:
        token = _auth_token(data)
        try:
            return ticket_json(self.ctx, tickets.get_ticket(self.ctx, token))
        except DomainError as exc:
            return {"error": {"code": exc.code, "message": exc.message}}

    def _kiosk_connect(self, auth: Any = None) -> None:
        principal = self._principal(auth, ("kiosk",))
        join_room(device_room(principal.id), namespace=KIOSK)
        self.sio.emit("services", queries.list_services(self.ctx), namespace=KIOSK, to=request.sid)

    def _counter_connect(self, auth: Any = None) -> None:
        principal = self._principal(auth, ("clerk",))
        code = str(auth.get("counter", "")) if isinstance(auth, dict) else ""
        try:
            view = queries.counter_view(self.ctx, principal, code)
        except DomainError as exc:
            self._refuse(exc.code, exc.message)
        join_room(counter_room(code), namespace=COUNTER)
        for service in view.services:
            join_room(service_room(service), namespace=COUNTER)
        self.sio.emit("counter_state", counter_json(self.ctx, view), namespace=COUNTER, to=request.sid)

    def _counter_refresh(self, data: Any = None) -> dict[str, Any]:
        try:
            principal = accounts.resolve(self.ctx, _auth_token(data))
            return counter_json(self.ctx, queries.counter_view(self.ctx, principal, str(data.get("counter", ""))))
        except DomainError as exc:
            return {"error": {"code": exc.code, "message": exc.message}}

    # ------------------------------------------------------------------ events
    def publish(self, events: list[Event]) -> None:
        for event in events:
            for e in emits_for(event):
                self.sio.emit(e.name, e.payload, namespace=e.namespace, to=e.room)
            if isinstance(event, TicketEvent):
                self._ticket_status(event)
            if isinstance(event, ReprintRequested) and event.device_id is not None:
                info = tickets.get_ticket(self.ctx, event.token)
                self.sio.emit("reprint", ticket_json(self.ctx, info) | {"seq": event.seq}, namespace=KIOSK,
                              to=device_room(event.device_id))

    def _ticket_status(self, event: TicketEvent) -> None:
        try:
            info = tickets.get_ticket(self.ctx, event.token)
        except DomainError:
            return
        self.sio.emit("ticket_status", ticket_json(self.ctx, info) | {"seq": event.seq},
                      namespace=TICKET, to=ticket_room(event.token))
