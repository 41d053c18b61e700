"""Every request's input checked before any view parses it (issue 17): a JSON body nests at most
MAX_JSON_DEPTH deep and holds only storable text (no lone surrogate, no NUL), and so do the path, the query string
and form fields. A refusal is a 4xx: JSON `{"error": {"code", "message"}}` under /api, a plain page elsewhere."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, request

from .api.errors import error_response
from .domain.text_input import MAX_JSON_DEPTH, bad_text, first_bad_string, json_depth

MAX_ID = 2**31 - 1  # the largest id any table holds (INTEGER on PostgreSQL); SQLite overflows past 2**63
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_TOO_DEEP = ("json_too_deep", f"JSON terlalu bersarang (paling dalam {MAX_JSON_DEPTH} tingkat).")
_BAD_TEXT = ("invalid_text", "Teks tidak valid: ada karakter yang tidak diizinkan (NUL atau surrogate UTF-16).")


def _refuse(status: int, code: str, message: str, field: str | None = None) -> Any:
    if request.path.startswith("/api/"):
        return error_response(status, code, message, {"field": field} if field else None)
    return Response(message, status=status, mimetype="text/plain")


def check_request() -> Any:
    """A before_request hook: None when the request's input is acceptable, else the 4xx answer."""
    if bad_text(request.path) or _CONTROL.search(request.path):  # no code or token holds a control character
        return _refuse(400, *_BAD_TEXT, field="path")
    for value in (request.view_args or {}).values():  # an id past the database's integers names nothing
        if isinstance(value, int) and not 0 <= value <= MAX_ID:
            return _refuse(404, "not_found", "Alamat tidak ditemukan.")
    for name, value in request.args.items(multi=True):
        if bad_text(name) or bad_text(value):
            return _refuse(400, *_BAD_TEXT, field="query")
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in request.form.items(multi=True):
            if bad_text(name) or bad_text(value):
                return _refuse(400, *_BAD_TEXT, field=name if not bad_text(name) else None)
        return None
    if not request.is_json:
        return None
    raw = request.get_data(cache=True)  # MAX_CONTENT_LENGTH (413) applies here already
    if not raw:  # a counter action posts no body: nothing to parse (a view that needs one answers 400 itself)
        return None
    if json_depth(raw) > MAX_JSON_DEPTH:
        return _refuse(400, *_TOO_DEEP)
    data = request.get_json(silent=True)  # parsed once, cached for the view; a syntax error is the view's 400
    if data is not None:
        where = first_bad_string(data)
        if where is not None:
            return _refuse(422, *_BAD_TEXT, field=where or None)
    return None


def register(app: Flask) -> None:
    """Run the checks first, before any other before_request hook (metrics, sessions) sees the request."""
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)
