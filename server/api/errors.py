"""One error shape for the whole API: `{"error": {"code", "message"}}` with a 4xx status; 5xx only for bugs."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from ..domain.errors import DomainError

log = logging.getLogger(__name__)

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type",
               429: "rate_limited"}
_HTTP_MESSAGES = {404: "Alamat tidak ditemukan.", 405: "Metode tidak diizinkan untuk alamat ini.",
                  413: "Permintaan terlalu besar.", 429: "Terlalu banyak permintaan, coba lagi sebentar lagi."}


class ApiError(DomainError):
    """An error found by the transport itself (bad JSON, wrong field, missing token)."""

    def __init__(self, status: int, code: str, message: str, **details: object) -> None:
        super().__init__(code, message, **details)
        self.status = status


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
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
        return error_response(status, _HTTP_CODES.get(status, "http_error"),
                              _HTTP_MESSAGES.get(status, exc.description or "Permintaan tidak valid."))

    @app.errorhandler(Exception)
    def _bug(exc: Exception) -> tuple[Response, int]:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "Terjadi kesalahan pada server; petugas IT sudah dicatat.")
