"""The `/board` namespace: the live supervision board of admins and supervisors.

A board authenticates like a counter page (the bearer token of the console session in `auth`), is watched by a
`Sessions` sweep (a revoked token or disabled user closes it within a second) and joins the rooms of its scope:
`board:all` for an admin, `board:agency:<code>` per agency of a supervisor (or of the agencies a board asks for,
`auth: {"agencies": [...]}`, within what it may see: a TV for one floor). It gets `board_snapshot` on connect and
on request, then `board_event` per committed event: the whole message to `board:all`, to each agency's room only
its agency's part (views/board.py), built from the event alone. `board_reset` (the daily reset, an administrator's
site change) asks every board for a new snapshot.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import request
from flask_socketio import SocketIO, join_room, leave_room
from socketio.exceptions import ConnectionRefusedError

from ..domain.accounts import Principal
from ..domain.errors import DomainError
from ..domain.events import Event
from ..domain.text_input import clean_text
from ..services import accounts, site_store
from ..services.board import board_scope, board_snapshot, narrowed
from ..services.context import Context
from ..views.board import snapshot_json
from .board_emits import ALL_ROOM, BOARD, agency_room, board_emits
from .hub import sockets_in
from .sessions import Sessions

__all__ = ["ALL_ROOM", "BOARD", "Board", "agency_room"]
log = logging.getLogger(__name__)


def _token(auth: Any) -> str:
    return clean_text(auth.get("token")) if isinstance(auth, dict) else ""  # unusable text: no token (issue 17)


def _asked(auth: Any) -> list[str] | None:
    """The agencies a board asks to show (`auth: {"agencies": [...]}`), None = all it may see."""
    asked = auth.get("agencies") if isinstance(auth, dict) else None
    return [str(a) for a in asked][:100] if isinstance(asked, list) and asked else None


class Board:
    """Binds `/board` to `socketio` and sends each committed event to the boards that may see it."""

    def __init__(self, socketio: SocketIO, ctx: Context, sessions: Sessions | None = None,
                 relayed: bool = False) -> None:
        # Its own sweep unless given the hub's: one more query a second, and only while a board is open.
        self.sio, self.ctx, self.sessions = socketio, ctx, sessions or Sessions(socketio, ctx)
        self.relayed = relayed  # the hub's relay sends the boards' messages with every event's (several processes)
        # sid → (token, agencies it asked for, scope) of this process's boards
        self._scopes: dict[str, tuple[str, list[str] | None, tuple[str, ...] | None]] = {}
        self._lock = threading.Lock()
        socketio.on_event("connect", self._connect, namespace=BOARD)
        socketio.on_event("snapshot", self._snapshot, namespace=BOARD)
        socketio.on_event("disconnect", self._closed, namespace=BOARD)
        ctx.listeners.append(self.publish)

    # ------------------------------------------------------------------ connections
    def _resolve(self, token: str, asked: list[str] | None) -> tuple[Principal, tuple[str, ...] | None]:
        if not token:
            raise DomainError("unauthorized", "Butuh token di 'auth': {\"token\": ...}.")
        principal = accounts.resolve(self.ctx, token)
        return principal, narrowed(board_scope(principal), asked)

    def _join(self, sid: str, token: str, asked: list[str] | None, scope: tuple[str, ...] | None) -> None:
        with self._lock:
            old = self._scopes.get(sid)
            self._scopes[sid] = (token, asked, scope)
        if old is not None:  # a supervisor's agencies may have changed since: rooms follow the new scope
            for room in [ALL_ROOM] if old[2] is None else [agency_room(a) for a in old[2]]:
                leave_room(room, sid=sid, namespace=BOARD)
        for room in [ALL_ROOM] if scope is None else [agency_room(a) for a in scope]:
            join_room(room, sid=sid, namespace=BOARD)

    def _snapshot_json(self, scope: tuple[str, ...] | None) -> dict[str, Any]:
        return snapshot_json(self.ctx.site, board_snapshot(self.ctx, scope), scope)

    def _connect(self, auth: Any = None) -> None:
        token, asked = _token(auth), _asked(auth)
        try:
            principal, scope = self._resolve(token, asked)
        except DomainError as exc:
            raise ConnectionRefusedError(exc.message, {"code": exc.code}) from None
        self.sessions.opened(BOARD, request.sid, token, principal)
        self._join(request.sid, token, asked, scope)
        self.sio.emit("board_snapshot", self._snapshot_json(scope), namespace=BOARD, to=request.sid)

    def _snapshot(self, _data: Any = None) -> dict[str, Any]:
        """A fresh snapshot (after `board_reset`): the site is re-read first when another process changed it, and
        the token is resolved again, so a supervisor's new agencies apply."""
        with self._lock:
            known = self._scopes.get(request.sid)
        if known is None:
            return {"error": {"code": "unauthorized", "message": "Sambungkan ulang."}}
        try:
            site_store.refresh(self.ctx)
            _principal, scope = self._resolve(known[0], known[1])
        except DomainError as exc:
            return {"error": {"code": exc.code, "message": exc.message}}
        self._join(request.sid, known[0], known[1], scope)
        return self._snapshot_json(scope)

    def _closed(self, *_reason: Any) -> None:
        with self._lock:
            self._scopes.pop(request.sid, None)
        self.sessions.closed(BOARD, request.sid)

    # ------------------------------------------------------------------ events
    def publish(self, events: list[Event]) -> None:
        """Each committed event to the boards that may see it (a Context listener; no query here). With a relay
        (several processes) it sends them itself, to every process's boards."""
        if self.relayed or not sockets_in(self.sio, BOARD):  # no board open: nothing to build
            return
        for event in events:
            for e in board_emits(self.ctx.site, event):
                self.sio.emit(e.name, e.payload, namespace=e.namespace, to=e.room)
