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
# bad_text's characters (NUL, lone surrogates) and every control character: no code or token holds one
_BAD_PATH = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
_TOO_DEEP = ("json_too_deep", f"JSON terlalu bersarang (paling dalam {MAX_JSON_DEPTH} tingkat).")
_BAD_TEXT = ("invalid_text", "Teks tidak valid: ada karakter yang tidak diizinkan (NUL atau surrogate UTF-16).")


def _refuse(status: int, code: str, message: str, field: str | None = None) -> Any:
    if request.path.startswith("/api/"):
        return error_response(status, code, message, {"field": field} if field else None)
    return Response(message, status=status, mimetype="text/plain")


def check_request() -> Any:
    """A before_request hook: None when the request's input is acceptable, else the 4xx answer."""
    req = request._get_current_object()  # type: ignore[attr-defined]  # one context lookup, not one per use
    if _BAD_PATH.search(req.path):
        return _refuse(400, *_BAD_TEXT, field="path")
    for value in (req.view_args or {}).values():  # an id past the database's integers names nothing
        if isinstance(value, int) and not 0 <= value <= MAX_ID:
            return _refuse(404, "not_found", "Alamat tidak ditemukan.")
    if req.environ.get("QUERY_STRING"):  # most API calls have none: no MultiDict built for nothing
        for name, value in req.args.items(multi=True):
            if bad_text(name) or bad_text(value):
                return _refuse(400, *_BAD_TEXT, field="query")
    if req.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if req.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in req.form.items(multi=True):
            if bad_text(name) or bad_text(value):
                return _refuse(400, *_BAD_TEXT, field=name if not bad_text(name) else None)
        return None
    if not req.is_json:
        return None
    raw = req.get_data(cache=True)  # MAX_CONTENT_LENGTH (413) applies here already
    if not raw:  # a counter action posts no body: nothing to parse (a view that needs one answers 400 itself)
        return None
    # Nesting deeper than MAX_JSON_DEPTH needs more opening brackets than that (counted in C, strings included)
    if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH and json_depth(raw) > MAX_JSON_DEPTH:
        return _refuse(400, *_TOO_DEEP)
    data = req.get_json(silent=True)  # parsed once, cached for the view; a syntax error is the view's 400
    # A parsed string holds a NUL or a lone surrogate only through a \u escape, a raw NUL byte (also how UTF-16 and
    # UTF-32 bodies look) or UTF-8's surrogate lead byte 0xED (json.loads decodes with surrogatepass): a body with
    # none of them needs no walk over its strings (issue 11: the kiosk's and the counter's small bodies).
    if data is not None and (b"\\u" in raw or b"\x00" in raw or b"\xed" in raw):
        where = first_bad_string(data)
        if where is not None:
            return _refuse(422, *_BAD_TEXT, field=where or None)
    return None


def register(app: Flask) -> None:
    """Run the checks first, before any other before_request hook (metrics, sessions) sees the request."""
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)
