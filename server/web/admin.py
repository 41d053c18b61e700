"""The administration console at /admin: sign-in, the home page of what needs attention, and the audit trail.

The entity pages live in admin_site.py (agencies … ticker) and admin_accounts.py (users, devices); all of them
call only the service layer (server/services/site_admin.py, admin_accounts.py, audit.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flask import redirect, request, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..domain.errors import DomainError
from ..services import accounts, admin_accounts, audit, site_admin
from . import admin_accounts as _account_pages  # noqa: F401  (attaches its routes to bp)
from . import admin_site as _site_pages  # noqa: F401  (attaches its routes to bp)
from .admin_base import ActionForm, actor, bp, console_page, ctx, page, safe_next
from .admin_text import translate
from .counter_auth import Clerk

__all__ = ["bp"]
LOGIN_NOTICES = ("login", "logout", "expired")
OBJECT_PAGES = {"agency": "agencies", "service": "services", "counter": "counters", "holiday": "holidays",
                "break": "breaks", "sessions": "sessions", "display": "ticker", "user": "users", "device": "devices"}


class LoginForm(FlaskForm):
    username = StringField("username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("password", validators=[DataRequired(), Length(max=200)])


@bp.errorhandler(429)
def _too_many(_exc: Exception) -> Any:
    return page("login.html", 429, form=LoginForm(), notice=None, error="error_rate")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    notice = request.args.get("reason") if request.args.get("reason") in LOGIN_NOTICES else None
    if request.method == "GET" and current_user.is_authenticated and notice is None:
        return redirect(url_for(".home"))
    error = None
    if request.method == "POST":
        notice = None
        if not form.validate_on_submit():
            error = "error_form_expired" if "csrf_token" in form.errors else "error_missing"
        else:
            try:
                token = accounts.login(ctx(), form.username.data.strip().lower(), form.password.data)
            except DomainError:
                error = "error_credentials"
            else:
                login_user(Clerk(token, accounts.resolve(ctx(), token)))
                return redirect(safe_next(request.args.get("next")) or url_for(".home"))
    status = 401 if error == "error_credentials" else 400 if error else 200
    return page("login.html", status, form=form, notice=notice, error=error)


@bp.post("/logout")
def logout() -> Any:
    if ActionForm().validate_on_submit() and current_user.is_authenticated:
        try:
            accounts.logout(ctx(), current_user.token)
        except DomainError:
            pass  # already revoked or expired: the session ends anyway
        logout_user()
    return redirect(url_for(".login", reason="logout"))


@dataclass
class Attention:
    """One kind of problem on the home page, with the objects that have it (label, link)."""

    title: str
    hint: str
    items: list[tuple[str, str]] = field(default_factory=list)
    level: str = "warn"


def _live(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if not r.get("retired")]


def attention() -> tuple[list[Attention], dict[str, int]]:
    """What an admin (or a supervisor, within their agencies) should look at, from the service API only."""
    c, who = ctx(), actor()
    agencies = _live(site_admin.list_entities(c, who, "agencies"))
    services = _live(site_admin.list_entities(c, who, "services"))
    counters = _live(site_admin.list_entities(c, who, "counters"))
    users = admin_accounts.list_users(c, who)
    devices = admin_accounts.list_devices(c, who)
    served = {s for x in counters for s in x.get("services", ())}
    clerks = [u for u in users if u.role == "clerk" and u.active]
    staffed = {code for u in clerks for code in u.counters}
    with_service = {s.get("agency") for s in services}

    def link(kind: str, key: str) -> str:
        return url_for(f".{kind}_edit", key=key) if kind != "users" else url_for(".user_edit", user_id=int(key))

    found = [
        Attention(translate("att_service_no_counter"), translate("att_service_no_counter_hint"),
                  [(f"{s['code']} · {s['name']}", link("services", s["code"])) for s in services
                   if s["code"] not in served]),
        Attention(translate("att_counter_no_clerk"), translate("att_counter_no_clerk_hint"),
                  [(f"{x['code']} · {x['name']}", link("counters", x["code"])) for x in counters
                   if x["code"] not in staffed]),
        Attention(translate("att_clerk_no_counter"), translate("att_clerk_no_counter_hint"),
                  [(u.username, link("users", str(u.id))) for u in clerks if not u.counters]),
        Attention(translate("att_agency_no_service"), translate("att_agency_no_service_hint"),
                  [(f"{a['code']} · {a['name']}", link("agencies", a["code"])) for a in agencies
                   if a["code"] not in with_service]),
        Attention(translate("att_device_offline"), translate("att_device_offline_hint"),
                  [(d.name, url_for(".devices") + f"#device-{d.id}") for d in devices if d.active and not d.online]),
        Attention(translate("att_device_problem"), translate("att_device_problem_hint"),
                  [(f"{d.name} · {translate('printer_' + d.state['printer'])}", url_for(".devices") + f"#device-{d.id}")
                   for d in devices if d.active and d.state.get("printer") in ("paper_out", "offline")]),
        Attention(translate("att_device_revoked"), translate("att_device_revoked_hint"),
                  [(d.name, url_for(".devices") + f"#device-{d.id}") for d in devices if not d.active], "info"),
    ]
    counts = {"nav_agencies": len(agencies), "nav_services": len(services), "nav_counters": len(counters),
              "nav_users": sum(1 for u in users if u.active), "nav_devices": sum(1 for d in devices if d.active)}
    return [a for a in found if a.items], counts


@bp.get("/")
@console_page
def home() -> Any:
    found, counts = attention()
    return page("home.html", found=found, counts=counts)


def object_link(obj: str) -> str | None:
    """The edit page of an audit object string ("service:KTP" → /admin/services/KTP/edit), None for "site"."""
    kind, _, key = obj.partition(":")
    pages = OBJECT_PAGES.get(kind)
    if not pages or not key:
        return None
    if pages == "users":
        return url_for(".users") + f"#user-{key}"
    if pages == "devices":
        return url_for(".devices") + f"#device-{key}"
    if pages == "ticker":
        return url_for(".ticker")
    return url_for(f".{pages}_edit", key=key)


def _value(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def changes(old: Any, new: Any) -> list[tuple[str, str, str]]:
    """(field, before, after) of an audit row; only the fields that differ when both sides are objects."""
    old, new = _value(old), _value(new)

    def show(v: Any) -> str:
        if v is None:
            return ""
        return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)

    if isinstance(old, dict) or isinstance(new, dict):
        old, new = old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}
        keys = [k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
        return [(k, show(old.get(k)), show(new.get(k))) for k in keys]
    return [] if old is None and new is None else [("", show(old), show(new))]


@bp.get("/audit", endpoint="audit")
@console_page
def audit_page() -> Any:
    obj = request.args.get("object") or None
    entries = audit.audit_trail(ctx(), actor(), obj, limit=500)
    rows = [{"entry": e, "link": object_link(e.object), "changes": changes(e.old, e.new)} for e in entries]
    return page("audit.html", rows=rows, obj=obj)

