"""Console pages of the site's entities (agencies, services, counters, holidays, breaks, booking sessions, the
display ticker): a searchable table, a form with messages next to the fields, and a confirmation before retiring."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, request, url_for

from ..domain.errors import DomainError, Invalid, Refused
from ..domain.site import WEEKDAYS
from ..services import admin_accounts, site_admin
from .admin_base import ActionForm, actor, admin_only, bp, console_page, ctx, field_of, page
from .admin_forms import FIELDS, KEYS, fields_for, from_form, sessions_value, to_form
from .admin_text import translate

# Agencies, services and counters are retired (they keep their history); the rest are simply removed.
RETIRED_KINDS = ("agencies", "services", "counters")
OBJECT_PREFIX = {"agencies": "agency", "services": "service", "counters": "counter", "holidays": "holiday",
                 "breaks": "break", "sessions": "sessions", "ticker": "display"}


def _days(days: Any) -> str:
    days = tuple(days or ())
    if days == WEEKDAYS:
        return translate("every_day")
    if days == WEEKDAYS[:5]:
        return translate("weekdays")
    names = translate("days_short").split(",")
    return ", ".join(names[WEEKDAYS.index(d)] for d in days if d in WEEKDAYS)


def _hours(row: dict[str, Any]) -> str:
    return f"{row.get('open', '')}–{row.get('close', '')}".replace(":", ".")


def _quota(value: Any) -> str:
    return str(value) if value else translate("no_limit")


def _columns(kind: str, rows: list[dict[str, Any]]) -> tuple[list[str], Callable[[dict[str, Any]], list[str]]]:
    """The table's headings and one row's cells, per kind (counts come from the other lists of the page)."""
    c, who = ctx(), actor()
    if kind == "agencies":
        services = site_admin.list_entities(c, who, "services")
        n = {r["code"]: sum(1 for s in services if s.get("agency") == r["code"] and not s.get("retired"))
             for r in rows}
        return (["f_code", "f_name", "f_floor", "f_place", "nav_services"],
                lambda r: [r["code"], r["name"], str(r.get("floor") or ""), r.get("place") or "MPP",
                           str(n[r["code"]])])
    if kind == "services":
        counters = [x for x in site_admin.list_entities(c, who, "counters") if not x.get("retired")]
        target = c.site.rules.target_wait_minutes  # a service without its own target uses the site's
        return (["f_code", "f_name", "f_agency", "c_prefix", "c_schedule", "c_quota", "c_target", "nav_counters"],
                lambda r: [r["code"], r["name"], r.get("agency", ""), r.get("prefix", ""),
                           f"{_hours(r)}\n{_days(r.get('days'))}", _quota(r.get("daily_quota")),
                           translate("c_target_min", n=r.get("target_wait_minutes") or target),
                           ", ".join(x["code"] for x in counters if r["code"] in x.get("services", ())) or "—"])
    if kind == "counters":
        clerks = [u for u in admin_accounts.list_users(c, who) if u.active and u.role == "clerk"]
        return (["f_code", "f_name", "f_services", "f_hours", "f_clerks"],
                lambda r: [r["code"], r["name"], ", ".join(r.get("services", ())),
                           ", ".join(f"{a}–{b}".replace(":", ".") for a, b in r.get("hours", ())) or "—",
                           ", ".join(u.username for u in clerks if r["code"] in u.counters) or "—"])
    if kind == "holidays":
        return ["f_date", "f_name"], lambda r: [r["date"], r.get("name", "")]
    if kind == "breaks":
        return (["f_name", "f_days", "f_hours"],
                lambda r: [r.get("name", ""), _days(r.get("days", WEEKDAYS)),
                           f"{r.get('start', '')}–{r.get('end', '')}".replace(":", ".")])
    labels = dict(_scopes(include_taken=True))
    return (["f_scope", "f_enabled", "f_sessions"],
            lambda r: [labels.get(r["key"], r["key"]), translate("yes" if r.get("enabled", True) else "no"),
                       "; ".join(f"{s['name']} {s['start']}–{s['end']} ({s['quota']})" for s in r.get("sessions", ()))])


def _key(kind: str, row: dict[str, Any]) -> str:
    """The key the service layer names an entry by (a break's is its name or position, given as "key")."""
    return str(row.get("key") or row[KEYS[kind]])


def audit_object(kind: str, key: str) -> str:
    """The audit trail's object string of an entry ("service:KTP", "agency:DUKCAPIL", "ticker")."""
    return f"{OBJECT_PREFIX[kind]}:{key}"


def _list(kind: str) -> Any:
    rows = site_admin.list_entities(ctx(), actor(), kind)
    headings, cells = _columns(kind, rows)
    table = [{"key": _key(kind, r), "cells": cells(r), "retired": bool(r.get("retired")),
              "audit": audit_object(kind, _key(kind, r))} for r in rows]
    if kind == "holidays":
        table.sort(key=lambda r: r["key"])
    return page("list.html", kind=kind, headings=headings, rows=table, retires=kind in RETIRED_KINDS,
                form=ActionForm())


def _scopes(include_taken: bool = False) -> list[tuple[str, str]]:
    """Where booking sessions can be set: the default, a kind of place or a place, one service."""
    c, who = ctx(), actor()
    taken = {r["key"] for r in site_admin.list_entities(c, who, "sessions")}
    agencies = [a for a in site_admin.list_entities(c, who, "agencies") if not a.get("retired")]
    services = [s for s in site_admin.list_entities(c, who, "services") if not s.get("retired")]
    kinds = sorted({str(a["place"]) for a in agencies if a.get("place")})
    out = [("default", translate("scope_default"))]
    out += [(f"place:{k}", translate("scope_place_kind", kind=k)) for k in kinds]
    out += [(f"place:{a['code']}", translate("scope_place", name=a["name"])) for a in agencies if a.get("place")]
    out += [(f"service:{s['code']}", translate("scope_service", code=s["code"], name=s["name"])) for s in services]
    return out if include_taken else [(k, label) for k, label in out if k not in taken]


def _options() -> dict[str, Any]:
    """Choices of the select and checkbox fields: agencies, services grouped by agency, booking place kinds."""
    c, who = ctx(), actor()
    agencies = [a for a in site_admin.list_entities(c, who, "agencies") if not a.get("retired")]
    services = [s for s in site_admin.list_entities(c, who, "services") if not s.get("retired")]
    groups = [(a["code"], a["name"], [(s["code"], s["name"]) for s in services if s.get("agency") == a["code"]])
              for a in agencies]
    return {"agencies": [(a["code"], f"{a['code']} · {a['name']}") for a in agencies],
            "services": [g for g in groups if g[2]],
            "place": [("", translate("f_place_none")), ("kelurahan", translate("f_place_kelurahan"))],
            "scopes": _scopes(include_taken=request.view_args is not None and "key" in request.view_args),
            "days": list(zip(WEEKDAYS, translate("days_short").split(","), strict=True))}


def _form(kind: str, key: str | None, values: dict[str, Any], errors: dict[str, str], status: int = 200,
          general: str = "") -> Any:
    return page("form.html", status, kind=kind, key=key, fields=fields_for(kind, key), values=values, errors=errors,
                general=general, options=_options(), form=ActionForm(), key_field=KEYS.get(kind),
                audit=audit_object(kind, key) if key else None)


def _save(kind: str, key: str | None) -> Any:
    """Check the form's shape, then let the service decide; its `Invalid` goes next to the field it names."""
    if not ActionForm().validate_on_submit():
        return _form(kind, key, {}, {}, 400, translate("error_form_expired"))
    skip = (KEYS[kind],) if key is not None else ()
    data, errors, shown = from_form(fields_for(kind, key), request.form, skip)
    errors = {name: translate(code) for name, code in errors.items()}
    if key is not None:
        shown[KEYS[kind]] = key
    if errors:
        return _form(kind, key, shown, errors, 422, translate("form_has_errors"))
    if kind == "sessions":
        data = sessions_value(data) | ({"key": data["key"]} if key is None else {})
    elif key is None:  # a new entry carries only what was filled in
        data = {k: v for k, v in data.items() if v is not None and v is not False}
    else:  # an update removes what was emptied or unticked (false is every flag's default)
        data = {k: None if v is False else v for k, v in data.items()}
    try:
        if key is None:
            site_admin.create_entity(ctx(), actor(), kind, data)
        else:
            site_admin.update_entity(ctx(), actor(), kind, key, data)
    except DomainError as exc:
        name = field_of(exc)
        if name in shown:
            return _form(kind, key, shown, {name: exc.message}, exc.status, translate("form_has_errors"))
        return _form(kind, key, shown, {}, exc.status, exc.message)
    flash(translate("created" if key is None else "saved"))
    return redirect(url_for(f".{kind}"))


def _new(kind: str) -> Any:
    if request.method == "POST":
        return _save(kind, None)
    return _form(kind, None, to_form(FIELDS[kind], {}), {})


def _edit(kind: str, key: str) -> Any:
    if request.method == "POST":
        return _save(kind, key)
    entry = site_admin.get_entity(ctx(), actor(), kind, key)
    return _form(kind, key, to_form(fields_for(kind, key), entry), {})


def _retire(kind: str, key: str) -> Any:
    entry = site_admin.get_entity(ctx(), actor(), kind, key)
    what = f"{translate(kind + '_one')} {key}" + (f" · {entry['name']}" if entry.get("name") else "")
    form = ActionForm()
    refused = ""
    if request.method == "POST" and form.validate_on_submit():
        try:
            site_admin.retire_entity(ctx(), actor(), kind, key)
        except (Invalid, Refused) as exc:
            refused = exc.message  # e.g. an agency with live services, a counter still open: said on this page
        else:
            flash(translate("retired_done" if kind in RETIRED_KINDS else "deleted_done"))
            return redirect(url_for(f".{kind}"))
    verb = "retire" if kind in RETIRED_KINDS else "delete"
    return page("confirm.html", 409 if refused else 200, form=form, error=refused,
                message=translate(f"confirm_{verb}", what=what), yes=translate(f"confirm_yes_{verb}"),
                back=url_for(f".{kind}"))


def _restore(kind: str, key: str) -> Any:
    """Bring a retired agency, service or counter back into the live site (the same entry, same code)."""
    if ActionForm().validate_on_submit():
        try:
            site_admin.update_entity(ctx(), actor(), kind, key, {"retired": False})
        except (Invalid, Refused) as exc:
            flash(exc.message, "error")
        else:
            flash(translate("restored_done"))
    return redirect(url_for(f".{kind}"))


def _register(kind: str) -> None:
    guard = console_page if kind in RETIRED_KINDS else admin_only
    views: list[tuple[str, str, Callable[..., Any], list[str]]] = [
        ("", kind, lambda: _list(kind), ["GET"]),
        ("/new", f"{kind}_new", lambda: _new(kind), ["GET", "POST"]),
        ("/<key>/edit", f"{kind}_edit", lambda key: _edit(kind, key), ["GET", "POST"]),
        ("/<key>/retire", f"{kind}_retire", lambda key: _retire(kind, key), ["GET", "POST"]),
    ]
    if kind in RETIRED_KINDS:
        views.append(("/<key>/restore", f"{kind}_restore", lambda key: _restore(kind, key), ["POST"]))
    for path, endpoint, view, methods in views:
        view.__name__ = endpoint
        bp.add_url_rule(f"/{kind}{path}", endpoint=endpoint, view_func=guard(view), methods=methods)


for _kind in ("agencies", "services", "counters", "holidays", "breaks", "sessions"):
    _register(_kind)


@bp.route("/ticker", methods=["GET", "POST"])
@admin_only
def ticker() -> Any:
    """The display ticker: one text, no list."""
    fields = FIELDS["ticker"]
    if request.method == "POST" and ActionForm().validate_on_submit():
        data, _errors, shown = from_form(fields, request.form)
        try:
            site_admin.update_entity(ctx(), actor(), "ticker", "ticker", {"ticker": data["ticker"] or ""})
        except Invalid as exc:
            return _form("ticker", "ticker", shown, {"ticker": exc.message}, 422, translate("form_has_errors"))
        flash(translate("saved"))
        return redirect(url_for(".ticker"))
    current = site_admin.list_entities(ctx(), actor(), "ticker")
    return _form("ticker", "ticker", to_form(fields, current[0] if current else {}), {})
