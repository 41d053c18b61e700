"""The console's blueprint and what every page shares: who may enter, the CSRF form, language, error pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..domain.accounts import Principal
from ..domain.errors import DomainError
from ..services.context import Context
from .admin_text import translate
from .booking_text import current_lang, remember_lang
from .counter_auth import init_login

CONSOLE_ROLES = ("admin", "supervisor")
# Pages a supervisor never opens: they are the whole building's, not one agency's.
ADMIN_ONLY = ("holidays", "breaks", "sessions", "ticker")
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
       "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


class ActionForm(FlaskForm):
    """Only the CSRF token: every console form posts it; the fields themselves are read by the page's own parser
    so the service layer's `Invalid(field=...)` can be shown next to the field it names."""


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    init_login(state.app)  # the same Flask-Login session as the counter terminal (one sign-in for both)


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"  # pages show users, tokens and settings
    return remember_lang(response)


def ctx() -> Context:
    return current_app.extensions["antre"]


def actor() -> Principal:
    return current_user.principal


def is_admin() -> bool:
    return actor().role == "admin"


def page(render_name: str, status: int = 200, **values: Any) -> tuple[str, int]:
    """Render a console template with the shared values (navigation, language, the signed-in user)."""
    return render_template(f"admin/{render_name}", **values), status


@bp.context_processor
def _shared() -> dict[str, Any]:
    user = current_user.principal if current_user.is_authenticated else None
    nav = [("home", "nav_home"), ("board", "nav_board"), ("reports", "nav_reports"), ("plan", "nav_plan"),
           ("agencies", "nav_agencies"), ("services", "nav_services"),
           ("counters", "nav_counters"), ("users", "nav_users"), ("devices", "nav_devices"),
           ("holidays", "nav_holidays"), ("breaks", "nav_breaks"), ("sessions", "nav_sessions"),
           ("ticker", "nav_ticker"), ("audit", "nav_audit")]
    if user is not None and user.role != "admin":
        nav = [n for n in nav if n[0] not in ADMIN_ONLY]
    return {"t": translate, "lang": current_lang(), "user": user, "nav": nav, "site": ctx().site,
            "logout_form": ActionForm(), "lang_url": _lang_url}


def _lang_url(lang: str) -> str:
    args = request.args.to_dict() | {"lang": lang}
    return url_for(request.endpoint or "admin.home", **(request.view_args or {}), **args)


def console_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed-in admin or supervisor only: others go to the login page; a clerk gets a friendly refusal."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
        if current_user.principal.role not in CONSOLE_ROLES:
            return page("refused.html", 403)
        return view(*args, **kwargs)

    return guarded


def admin_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """A building-wide page: a supervisor gets the 'not allowed' page (the service would refuse them too)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not is_admin():
            return problem(403, translate("forbidden"))
        return view(*args, **kwargs)

    return console_page(guarded)


def problem(status: int, message: str) -> tuple[str, int]:
    return page("problem.html", status, status_code=status, message=message)


@bp.errorhandler(DomainError)
def _domain(exc: DomainError) -> tuple[str, int]:
    # A Forbidden or NotFound from the service layer on a page (forms catch Invalid themselves).
    if exc.status == 403:
        return problem(403, translate("forbidden"))
    if exc.status == 404:
        return problem(404, f"{translate('not_found')} {exc.message}")
    return problem(exc.status, exc.message)


def field_of(exc: DomainError) -> str:
    """The form field an `Invalid` names (`field=...`), '' when it names none (shown above the form)."""
    return str(exc.details.get("field") or "")


def safe_next(value: str | None) -> str | None:
    """Only a path of this console (never another host) is a place to go back to after login."""
    if value and value.startswith("/admin") and not value.startswith("//") and "\\" not in value:
        return value
    return None
