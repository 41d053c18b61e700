"""Console pages of users (clerks, supervisors, admins) and devices (kiosks, TVs; the token shown once with a QR)."""

from __future__ import annotations

import json
from typing import Any

from flask import flash, redirect, request, url_for

from ..domain.accounts import DEVICE_KINDS, ROLES
from ..domain.errors import DomainError
from ..services import admin_accounts, site_admin
from .admin_base import (
    ActionForm,
    actor,
    admin_only,
    bp,
    console_page,
    ctx,
    field_of,
    is_admin,
    page,
    problem,
)
from .admin_text import translate
from .booking import qr_svg


def _choices() -> dict[str, Any]:
    c, who = ctx(), actor()
    counters = [x for x in site_admin.list_entities(c, who, "counters") if not x.get("retired")]
    agencies = [a for a in site_admin.list_entities(c, who, "agencies") if not a.get("retired")]
    return {"counters": [(x["code"], x["name"]) for x in counters],
            "agencies": [(a["code"], a["name"]) for a in agencies],
            "roles": tuple(reversed(ROLES)) if is_admin() else ("clerk",)}


def _user(user_id: int) -> Any:
    found = next((u for u in admin_accounts.list_users(ctx(), actor()) if u.id == user_id), None)
    if found is None:
        return None
    return found


def _user_form(user: Any, values: dict[str, Any], errors: dict[str, str], status: int = 200, general: str = "") -> Any:
    return page("user_form.html", status, edited=user, values=values, errors=errors, general=general,
                choices=_choices(), form=ActionForm(), password_form=ActionForm())


def _invalid(exc: DomainError, known: tuple[str, ...], weak: str = "password") -> tuple[dict[str, str], str]:
    """(errors by field, message above the form) of a refused change; a too-short password names no field but
    belongs next to the password box (`weak`)."""
    name = field_of(exc) or (weak if exc.code == "weak_password" else "")
    return ({name: exc.message}, translate("form_has_errors")) if name in known else ({}, exc.message)


@bp.get("/users")
@console_page
def users() -> Any:
    rows = sorted(admin_accounts.list_users(ctx(), actor()), key=lambda u: (not u.active, u.role, u.username))
    return page("users.html", rows=rows, form=ActionForm())


@bp.route("/users/new", methods=["GET", "POST"])
@console_page
def user_new() -> Any:
    if request.method == "GET":
        return _user_form(None, {"role": "clerk", "counters": [], "agencies": []}, {})
    f = request.form
    values = {"username": f.get("username", "").strip().lower(), "role": f.get("role", "clerk"),
              "counters": f.getlist("counters"), "agencies": f.getlist("agencies")}
    if not ActionForm().validate_on_submit():
        return _user_form(None, values, {}, 400, translate("error_form_expired"))
    errors = {k: translate("required") for k in ("username", "password") if not (f.get(k) or "").strip()}
    if errors:
        return _user_form(None, values, errors, 422, translate("form_has_errors"))
    try:
        admin_accounts.create_user(ctx(), actor(), values["username"], values["role"], f.get("password", ""),
                                   counters=tuple(values["counters"]), agencies=tuple(values["agencies"]))
    except DomainError as exc:
        errors, general = _invalid(exc, ("username", "role", "password", "counters", "agencies"))
        return _user_form(None, values, errors, exc.status, general)
    flash(translate("created"))
    return redirect(url_for(".users"))


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@console_page
def user_edit(user_id: int) -> Any:
    user = _user(user_id)
    if user is None:
        return problem(404, translate("not_found"))
    values = {"username": user.username, "role": user.role, "counters": list(user.counters),
              "agencies": list(user.agencies)}
    if request.method == "GET":
        return _user_form(user, values, {})
    f = request.form
    values |= {"role": f.get("role", user.role), "counters": f.getlist("counters"), "agencies": f.getlist("agencies")}
    if not ActionForm().validate_on_submit():
        return _user_form(user, values, {}, 400, translate("error_form_expired"))
    try:
        admin_accounts.update_user(ctx(), actor(), user_id, role=values["role"], counters=tuple(values["counters"]),
                                   agencies=tuple(values["agencies"]))
    except DomainError as exc:
        errors, general = _invalid(exc, ("role", "counters", "agencies"))
        return _user_form(user, values, errors, exc.status, general)
    flash(translate("saved"))
    return redirect(url_for(".users"))


@bp.post("/users/<int:user_id>/password")
@admin_only
def user_password(user_id: int) -> Any:
    user = _user(user_id)
    if user is None:
        return problem(404, translate("not_found"))
    values = {"username": user.username, "role": user.role, "counters": list(user.counters),
              "agencies": list(user.agencies)}
    if not ActionForm().validate_on_submit():
        return _user_form(user, values, {}, 400, translate("error_form_expired"))
    try:
        admin_accounts.set_password(ctx(), actor(), user_id, request.form.get("new_password", ""))
    except DomainError as exc:
        return _user_form(user, values, {"new_password": exc.message}, 422, translate("form_has_errors"))
    flash(translate("password_set"))
    return redirect(url_for(".users"))


@bp.route("/users/<int:user_id>/disable", methods=["GET", "POST"])
@console_page
def user_disable(user_id: int) -> Any:
    user = _user(user_id)
    if user is None:
        return problem(404, translate("not_found"))
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        admin_accounts.disable_user(ctx(), actor(), user_id)
        flash(translate("disabled_done"))
        return redirect(url_for(".users"))
    return page("confirm.html", form=form, message=translate("confirm_disable", what=user.username),
                yes=translate("confirm_yes_disable"), back=url_for(".users"))


@bp.post("/users/<int:user_id>/enable")
@console_page
def user_enable(user_id: int) -> Any:
    if ActionForm().validate_on_submit():
        admin_accounts.enable_user(ctx(), actor(), user_id)
        flash(translate("enabled_done"))
    return redirect(url_for(".users"))


@bp.route("/password", methods=["GET", "POST"])
@console_page
def own_password() -> Any:
    errors: dict[str, str] = {}
    general = ""
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            general = translate("error_form_expired")
        else:
            try:
                admin_accounts.change_own_password(ctx(), actor(), request.form.get("old_password", ""),
                                                   request.form.get("new_password", ""))
            except DomainError as exc:
                errors, general = _invalid(exc, ("old_password", "new_password"), weak="new_password")
            else:
                flash(translate("password_set"))
                return redirect(url_for(".home"))
    return page("password.html", 422 if errors or general else 200, form=ActionForm(), errors=errors,
                general=general)


@bp.get("/devices")
@console_page
def devices() -> Any:
    rows = sorted(admin_accounts.list_devices(ctx(), actor()), key=lambda d: (not d.active, d.kind, d.name))
    return page("devices.html", rows=rows)


def _device_form(values: dict[str, Any], errors: dict[str, str], status: int = 200, general: str = "") -> Any:
    return page("device_form.html", status, values=values, errors=errors, general=general, kinds=DEVICE_KINDS,
                counters=_choices()["counters"], form=ActionForm())


@bp.route("/devices/new", methods=["GET", "POST"])
@admin_only
def device_new() -> Any:
    if request.method == "GET":
        return _device_form({"kind": "kiosk", "counter": ""}, {})
    f = request.form
    values = {"name": f.get("name", "").strip(), "kind": f.get("kind", "kiosk"), "counter": f.get("counter", "")}
    if not ActionForm().validate_on_submit():
        return _device_form(values, {}, 400, translate("error_form_expired"))
    if not values["name"]:
        return _device_form(values, {"name": translate("required")}, 422, translate("form_has_errors"))
    try:
        device, token = admin_accounts.create_device(ctx(), actor(), values["name"], values["kind"],
                                                     counter=values["counter"] or None)
    except DomainError as exc:
        errors, general = _invalid(exc, ("name", "kind", "counter"))
        return _device_form(values, errors, exc.status, general)
    # The token is in this one answer only (never in a redirect, a flash or a log); the page is no-store.
    server = ctx().public_url
    setup = json.dumps({"antre": 1, "server": server, "kind": device.kind, "name": device.name, "token": token},
                       separators=(",", ":"))
    return page("device_token.html", 201, device=device, token=token, server=server, qr=qr_svg(setup))


@bp.route("/devices/<int:device_id>/revoke", methods=["GET", "POST"])
@console_page
def device_revoke(device_id: int) -> Any:
    device = next((d for d in admin_accounts.list_devices(ctx(), actor()) if d.id == device_id), None)
    if device is None:
        return problem(404, translate("not_found"))
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        admin_accounts.revoke_device(ctx(), actor(), device_id)
        flash(translate("revoked_done"))
        return redirect(url_for(".devices"))
    return page("confirm.html", form=form, message=translate("confirm_revoke", what=device.name),
                yes=translate("confirm_yes_revoke"), back=url_for(".devices"))
