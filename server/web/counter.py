"""Pages of the clerk's counter terminal: login, choosing a loket, and the working screen (its JS uses the API)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from ..demo_live import clock_rate
from ..domain.errors import DomainError
from ..domain.ticket import priority_table
from ..services import accounts
from ..services.counters import counter_for
from .counter_auth import Clerk, LoginForm, LogoutForm, init_login

UI_DIR = Path(__file__).resolve().parents[2] / "counter"
API_BASE = "/api/v1"
# The pages load nothing from elsewhere; the socket goes to the same host (ws: and wss: for 'self').
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
LOGIN_NOTICES = {"expired", "login", "logout"}

bp = Blueprint("counter_pages", __name__, template_folder=str(UI_DIR / "templates"),
               static_folder=str(UI_DIR / "static"), static_url_path="/counter/static")


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    init_login(state.app)


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"  # the working page embeds a bearer token
    return response


@bp.errorhandler(429)
def _too_many(_exc: Exception) -> Any:
    return render_template("counter/login.html", form=LoginForm(), notice=None, error="rate_limited"), 429


def _ctx() -> Any:
    return current_app.extensions["antre"]


def _safe_next(value: str | None) -> str | None:
    """Only a path of this terminal (never another host) is a place to go back to after login."""
    if value and value.startswith("/counter/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


@bp.route("/counter/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    notice = request.args.get("reason") if request.args.get("reason") in LOGIN_NOTICES else None
    if request.method == "GET" and current_user.is_authenticated and notice != "expired":
        return redirect(url_for(".choose"))
    error = None
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                token = accounts.login(_ctx(), form.username.data.strip().lower(), form.password.data)
            except DomainError:
                error = "invalid_credentials"
            else:
                login_user(Clerk(token, accounts.resolve(_ctx(), token)))
                return redirect(_safe_next(request.args.get("next")) or url_for(".choose"))
        else:
            error = "form_expired" if "csrf_token" in form.errors else "missing_fields"
        notice = None
    status = 401 if error == "invalid_credentials" else 400 if error else 200
    return render_template("counter/login.html", form=form, notice=notice, error=error), status


@bp.post("/counter/logout")
def logout() -> Any:
    form = LogoutForm()
    if not form.validate_on_submit():
        return redirect(url_for(".choose"))
    if current_user.is_authenticated:
        try:
            accounts.logout(_ctx(), current_user.token)
        except DomainError:
            pass  # already revoked or expired: the session ends anyway
        logout_user()
    return redirect(url_for(".login", reason="logout"))


@bp.get("/counter/")
@login_required
def choose() -> Any:
    site = _ctx().site
    principal = current_user.principal
    mine = [c for c in site.counters.values() if principal.role == "admin" or c.code in principal.counters]
    if len(mine) == 1:  # nothing to choose: straight to the working screen
        return redirect(url_for(".work", code=mine[0].code))
    services = {c.code: [site.services[s].name for s in c.services if s in site.services] for c in mine}
    return render_template("counter/choose.html", counters=mine, services=services, logout_form=LogoutForm())


def _problem(status: int, code: str, message: str) -> Any:
    return render_template("counter/problem.html", code=code, message=message, logout_form=LogoutForm()), status


def _place_agencies(services: tuple[str, ...]) -> list[str]:
    """The agencies of the place(s) the counter's services belong to (the MPP, or one kelurahan office): a ticket
    is transferred only within its building."""
    booking, site = _ctx().booking, _ctx().site
    mine = {site.services[s].agency for s in services if s in site.services}
    return sorted({a for p in booking.places if mine & set(p.agencies) for a in p.agencies})  # [] = no filter


def _books_at_office(services: tuple[str, ...]) -> bool:
    """True when a service of the counter is booked at its own office (a kelurahan): its clerk checks citizens
    in at the counter, there may be no kiosk. Other counters show the appointments panel only when it has rows."""
    booking, site = _ctx().booking, _ctx().site
    return any(booking.bookable(s) and booking.place_of(site, s).kind != "mpp" for s in services if s in site.services)


@bp.get("/counter/<code>")
@login_required
def work(code: str) -> Any:
    try:
        counter = counter_for(_ctx(), current_user.principal, code)
    except DomainError as exc:
        return _problem(exc.status, exc.code, exc.message)
    config = {
        "token": current_user.token, "counter": counter.code, "counterName": counter.name,
        "clerk": current_user.name, "api": API_BASE, "namespace": "/counter",
        "loginUrl": url_for(".login", reason="expired"), "chooseUrl": url_for(".choose"),
        # the site's clock (a demo's runs faster: clockRate), so the page's minutes agree with the tickets' times
        "serverNowMs": int(_ctx().now().timestamp() * 1000), "clockRate": clock_rate(_ctx()),
        "services": list(counter.services), "appointments": _books_at_office(counter.services),
        "placeAgencies": _place_agencies(counter.services),  # the transfer dialog offers only these
        "priorities": priority_table(),  # the labels of GET /api/v1/priorities, read by i18n.js
    }
    return render_template("counter/work.html", counter=counter, config=config, logout_form=LogoutForm())
