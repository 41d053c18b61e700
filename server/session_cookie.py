"""Flask's signed session cookie, with its signer built once per secret key instead of once per request, and
nothing done at the end of a request that never touched its session.

Flask's `SecureCookieSessionInterface` makes a new `URLSafeTimedSerializer` at the start of every request (and
itsdangerous test-serializes an empty dict to build it), even for an API call with a bearer token and no cookie:
about 3 % of a call-next's server CPU (issue 11). The signer holds nothing but the keys and settings, so one per
key serves every request; a changed `SECRET_KEY` (or its fallbacks) builds a new one.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from itsdangerous import URLSafeTimedSerializer


class CachedSignerSessionInterface(SecureCookieSessionInterface):
    """The standard cookie session; only the signer is kept between requests."""

    def __init__(self) -> None:
        self._signer: tuple[Any, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = self._signer
        if kept is None or kept[0] != keys:
            kept = self._signer = (keys, super().get_signing_serializer(app))
        return kept[1]

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """An API call with a bearer token never reads, fills or empties the session: Flask would still look up the
        cookie's name, domain, path and flags (about 2 % of a call-next) to then do nothing."""
        if session or session.accessed or session.modified:
            super().save_session(app, session, response)


def register(app: Flask) -> None:
    app.session_interface = CachedSignerSessionInterface()
