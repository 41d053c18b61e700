"""Parsing request input: JSON bodies with typed fields, bearer tokens; every failure is a clear 4xx."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request

from ..domain.accounts import Principal
from ..domain.standing import TicketInfo
from ..services import accounts
from ..services.context import Context
from ..views.tickets import ticket_json
from .errors import ApiError

F = TypeVar("F", bound=Callable[..., Any])
MAX_STRING = 200


# Every attribute read through Flask's `request`, `g` or `current_app` proxy first fails as an AttributeError inside
# the proxy (~0.7 µs each here): the hot paths below look each object up once (issue 11).
def service_context() -> Context:
    """This app's service context."""
    return current_app._get_current_object().extensions["antre"]  # type: ignore[attr-defined]


def json_body(required: dict[str, type] | None = None, optional: dict[str, type] | None = None) -> dict[str, Any]:
    """The request's JSON object, with each named field checked for presence, type and length."""
    required, optional = required or {}, optional or {}
    req = request._get_current_object()  # type: ignore[attr-defined]
    if not req.data and not required:
        return {}
    if not req.is_json:
        raise ApiError(415, "unsupported_media_type", "Kirim data sebagai JSON (Content-Type: application/json).")
    data = req.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", "Isi permintaan bukan objek JSON yang valid.")
    for name in required:
        if name not in data or data[name] is None:
            raise ApiError(422, "missing_field", f"Kolom '{name}' wajib diisi.", field=name)
    for name, kind in (required | optional).items():
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ApiError(422, "invalid_field", f"Kolom '{name}' harus bertipe {kind.__name__}.", field=name)
        if isinstance(value, str) and len(value) > MAX_STRING:
            raise ApiError(422, "invalid_field", f"Kolom '{name}' terlalu panjang.", field=name)
    return data


def bearer_token() -> str | None:
    header = request._get_current_object().environ.get("HTTP_AUTHORIZATION", "")  # type: ignore[attr-defined]
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def require(*roles: str) -> Callable[[F], F]:
    """Decorator: the request must carry a bearer token of one of `roles` (admin always passes)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            token = bearer_token()
            if token is None:
                raise ApiError(401, "unauthorized", "Butuh token: kirim header 'Authorization: Bearer <token>'.")
            principal: Principal = accounts.resolve(service_context(), token)
            if principal.role != "admin" and principal.role not in roles:
                raise ApiError(403, "forbidden", "Akun ini tidak berhak melakukan tindakan ini.")
            g.principal = principal
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def ticket_view(info: TicketInfo) -> dict[str, Any]:
    """The contract's ticket JSON for `info`, on this app's site and public address."""
    ctx = service_context()
    return ticket_json(ctx.site, ctx.public_url, info)
