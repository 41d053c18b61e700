"""Auth endpoints: exchange a username and password for a bearer token, revoke it, and say who it is."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g

from ..services import accounts
from .answers import Me, Ok, Token, reply
from .inputs import bearer_token, require, service_context
from .schemas import Login, parse

bp = Blueprint("auth", __name__)


@bp.post("/auth/token")
def token() -> Any:
    body = parse(Login)
    value = accounts.login(service_context(), body.username, body.password)
    return reply(Token, {"token": value, "token_type": "Bearer"})


@bp.post("/auth/logout")
@require("clerk", "supervisor")
def logout() -> Any:
    accounts.logout(service_context(), bearer_token() or "")
    return reply(Ok, {"status": "ok"})


@bp.get("/auth/me")
@require("clerk", "supervisor", "kiosk", "display", "survey")
def me() -> Any:
    p = g.principal
    return reply(Me, {"name": p.name, "kind": p.kind, "role": p.role, "counters": list(p.counters),
                      "agencies": list(p.agencies)})
