"""Flask's signed session cookie, with its signer built once per secret key instead of once per request, and
nothing done at the end of a request that never touched its session.

Flask's `SecureCookieSessionInterface` makes a new `URLSafeTimedSerializer` at the start of every request (and
itsdangerous test-serializes an empty dict to build it), even for an API call with a bearer token and no cookie:
about 3 % of a call-next's server CPU (issue 11). The signer holds nothing but the keys and settings, so one per
key serves every request; a changed `SECRET_KEY` (or its fallbacks) builds a new one.

A request without a Cookie header (every kiosk, counter or display API call with a bearer token) starts from an
empty session without building the cookie jar, and an empty session nobody wrote is not saved: Flask-Login's
after-request hook reads the session on every request (`"_remember" in session`), which in Flask 3.1 marks it
accessed, so Flask's `save_session` ran for every API call to look up the cookie's seven settings and then only add
`Vary: Cookie` — which is all this does for such a session (issue 11).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, Request, Response
from flask.globals import request_ctx
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
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

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """No Cookie header: the empty session Flask would make, without parsing cookies or checking a signature."""
        if "HTTP_COOKIE" not in request.environ and app.secret_key:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """An empty session that nobody wrote sets and deletes no cookie; Flask would only add `Vary: Cookie` when
        the session was read, after looking up the cookie's name, domain, path and flags."""
        if not session and not session.modified:
            if session.accessed:
                if "Vary" in response.headers:
                    response.vary.add("Cookie")
                else:  # the same header, without parsing an empty Vary into a set and writing it back
                    response.headers["Vary"] = "Cookie"
            return
        super().save_session(app, session, response)


def register(app: Flask) -> None:
    app.session_interface = CachedSignerSessionInterface()


def remember_only_with_a_session(app: Flask) -> None:
    """Flask-Login's after-request hook (call after the pages set it up) runs only when the session holds something:
    on an empty one it can only read "_remember", three lookups through Flask's proxies on every API call (issue
    11). Reading the session here marks it accessed as the hook's own read did, so `Vary: Cookie` stays."""
    manager = getattr(app, "login_manager", None)
    hooks = app.after_request_funcs.get(None, [])
    for i, hook in enumerate(hooks):
        if manager is not None and hook == manager._update_remember_cookie:
            hooks[i] = _with_a_session(app, hook)


def _with_a_session(app: Flask, hook: Callable[[Response], Response]) -> Callable[[Response], Response]:
    @wraps(hook)
    def remember(response: Response) -> Response:
        if request_ctx._get_current_object().session or app.config.get(  # type: ignore[attr-defined]
                "REMEMBER_COOKIE_REFRESH_EACH_REQUEST"):
            return hook(response)
        return response

    return remember
