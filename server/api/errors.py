"""One error shape for the whole API: `{"error": {"code", "message"}}` with a 4xx status; 5xx only for bugs."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from ..domain.errors import DomainError
from ..domain.text_input import bad_text

log = logging.getLogger(__name__)

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type",
               429: "rate_limited"}
_HTTP_MESSAGES = {400: "Permintaan tidak valid.", 401: "Butuh token yang sah.",
                  403: "Akun ini tidak berhak melakukan tindakan ini.", 404: "Alamat tidak ditemukan.",
                  405: "Metode tidak diizinkan untuk alamat ini.", 413: "Permintaan terlalu besar.",
                  415: "Jenis isi permintaan tidak didukung.",
                  429: "Terlalu banyak permintaan, coba lagi sebentar lagi."}


class ApiError(DomainError):
    """An error found by the transport itself (bad JSON, wrong field, missing token)."""

    def __init__(self, status: int, code: str, message: str, **details: object) -> None:
        super().__init__(code, message, **details)
        self.status = status


def _printable(value: object) -> str:
    """`value` as text a UTF-8 answer can carry: an error about a bad string must not fail on that string."""
    text = str(value)
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "?") if bad_text(text) else text


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"code": _printable(code), "message": _printable(message)}
    if details:
        body["details"] = {_printable(k): _printable(v) for k, v in details.items()}
    return jsonify({"error": body}), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(exc: DomainError) -> tuple[Response, int]:
        return error_response(exc.status, exc.code, exc.message, {k: str(v) for k, v in exc.details.items()})

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Any:
        status = exc.code or 500
        if not request.path.startswith("/api/") and status == 404:
            return exc
        response, status = error_response(status, _HTTP_CODES.get(status, "http_error"),
                                          _HTTP_MESSAGES.get(status, exc.description or "Permintaan tidak valid."))
        for name in ("Allow", "Retry-After"):  # 405 says which methods, 429 when to come back
            value = dict(exc.get_headers()).get(name)
            if value:
                response.headers[name] = value
        return response, status

    @app.errorhandler(Exception)
    def _bug(exc: Exception) -> tuple[Response, int]:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "Terjadi kesalahan pada server; petugas IT sudah dicatat.")
