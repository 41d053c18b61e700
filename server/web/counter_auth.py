"""Sessions of the counter terminal: Flask-Login over the clerk's bearer token, and the CSRF-protected forms."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, redirect, url_for
from flask_login import LoginManager, UserMixin
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..domain.accounts import Principal
from ..domain.errors import DomainError
from ..services import accounts

LOGIN_ENDPOINT = "counter_pages.login"


class Clerk(UserMixin):
    """The signed-in clerk: the bearer token kept in the session and who it speaks for."""

    def __init__(self, token: str, principal: Principal) -> None:
        self.token, self.principal = token, principal

    def get_id(self) -> str:
        # The session keeps the bearer token itself: revoking or expiring it ends the page session too.
        return self.token

    @property
    def name(self) -> str:
        return self.principal.name


class LoginForm(FlaskForm):
    username = StringField("Nama pengguna", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Kata sandi", validators=[DataRequired(), Length(max=200)])


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out is a POST so another site cannot end a clerk's session."""


def _load_clerk(token: str) -> Clerk | None:
    try:
        principal = accounts.resolve(current_app.extensions["antre"], token)
    except DomainError as exc:
        g.counter_session_problem = exc.code  # token_expired / invalid_token → told on the login page
        return None
    if principal.kind != "user":
        return None
    return Clerk(token, principal)


def _unauthorized() -> Any:
    reason = "expired" if g.get("counter_session_problem") else "login"
    return redirect(url_for(LOGIN_ENDPOINT, reason=reason))


def init_login(app: Flask) -> None:
    """Attach a LoginManager to `app` (once) for the counter pages; other areas keep their own auth."""
    if hasattr(app, "login_manager"):
        return
    manager = LoginManager(app)
    manager.user_loader(_load_clerk)
    manager.unauthorized_handler(_unauthorized)
    manager.session_protection = "basic"
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
