"""The console's forms as data: which fields each site entity has, and how a posted form becomes a document entry.

The entries have the config.toml shape (the site document's), so a field's `name` is the document key and the
`field` an `Invalid` from the service layer names is the field the message is shown next to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

from ..domain.site import WEEKDAYS

TIME = re.compile(r"^([01]\d|2[0-4]):[0-5]\d$")
SPAN = re.compile(r"^\s*(\d{2}[:.]\d{2})\s*[-\u2013]\s*(\d{2}[:.]\d{2})\s*$")  # 08:00-12:00 or 08.00–12.00
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Field:
    """One input. kind: text | textarea | int | time | date | days | lines | select | checks | bool | sessions |
    hours."""

    name: str
    label: str  # key of admin_text.TEXT
    kind: str = "text"
    required: bool = False
    hint: str = ""  # key of admin_text.TEXT
    options: str = ""  # select/checks: which list of choices the page supplies ("agencies", "services", "place")
    wide: bool = False  # spans both columns of the form grid


AGENCY = (Field("code", "f_code", required=True), Field("name", "f_name", required=True, wide=True),
          Field("floor", "f_floor", "int"), Field("place", "f_place", "select", options="place"),
          Field("kecamatan", "f_kecamatan"), Field("address", "f_address", wide=True))
SERVICE = (Field("code", "f_code", required=True), Field("agency", "f_agency", "select", True, options="agencies"),
           Field("name", "f_name", required=True, wide=True),
           Field("prefix", "f_prefix", required=True, hint="f_prefix_hint"),
           Field("daily_quota", "f_daily_quota", "int", hint="f_daily_quota_hint"),
           Field("open", "f_open", "time", True), Field("close", "f_close", "time", True),
           Field("days", "f_days", "days", wide=True),
           Field("cutoff_minutes", "f_cutoff_minutes", "int", hint="f_cutoff_hint"),
           Field("target_wait_minutes", "f_target_wait", "int", hint="f_target_wait_hint"),
           Field("spell_digits", "f_spell_digits", "bool"),
           Field("requirements", "f_requirements", "lines", hint="one_per_line"),
           Field("procedure", "f_procedure", "lines", hint="one_per_line"),
           Field("duration", "f_duration"), Field("fee", "f_fee"), Field("product", "f_product"),
           Field("complaint", "f_complaint"))
COUNTER = (Field("code", "f_code", required=True), Field("name", "f_name", required=True),
           Field("services", "f_services", "checks", options="services", wide=True),
           Field("hours", "f_counter_hours", "hours", hint="f_counter_hours_hint", wide=True))
HOLIDAY = (Field("date", "f_date", "date", True), Field("name", "f_name", required=True, wide=True))
BREAK = (Field("name", "f_name", required=True), Field("days", "f_days", "days", wide=True),
         Field("start", "f_start", "time", True), Field("end", "f_end", "time", True))
SESSIONS = (Field("key", "f_scope", "select", True, options="scopes"), Field("enabled", "f_enabled", "bool"),
            Field("sessions", "f_sessions", "sessions", hint="f_sessions_hint", wide=True))
TICKER = (Field("ticker", "f_ticker", "textarea", hint="f_ticker_hint", wide=True),)

FIELDS: dict[str, tuple[Field, ...]] = {"agencies": AGENCY, "services": SERVICE, "counters": COUNTER,
                                        "holidays": HOLIDAY, "breaks": BREAK, "sessions": SESSIONS,
                                        "ticker": TICKER}
KEYS = {"agencies": "code", "services": "code", "counters": "code", "holidays": "date", "breaks": "name",
        "sessions": "key"}


def fields_for(kind: str, key: str | None) -> tuple[Field, ...]:
    """The form's fields: the default booking sessions cannot be switched off (only a place or service can)."""
    if kind == "sessions" and key == "default":
        return tuple(f for f in FIELDS[kind] if f.name != "enabled")
    return FIELDS[kind]


def sessions_value(data: dict[str, Any]) -> dict[str, Any]:
    """A booking-session setting as the document keeps it: `enabled = false` only when switched off."""
    return {k: v for k, v in data.items() if v is not None and not (k == "enabled" and v is True)}


def to_form(fields: tuple[Field, ...], entry: dict[str, Any]) -> dict[str, Any]:
    """A document entry as the form shows it (lists of lines joined, numbers as text, None as empty)."""
    out: dict[str, Any] = {}
    for f in fields:
        value = entry.get(f.name)
        if f.kind == "lines":
            out[f.name] = "\n".join(value or ())
        elif f.kind == "hours":
            out[f.name] = "\n".join(f"{a}-{b}" for a, b in value or ())
        elif f.kind == "sessions":
            out[f.name] = "\n".join(f"{s.get('name', '')}, {s.get('start', '')}, {s.get('end', '')}, "
                                    f"{s.get('quota', '')}" for s in value or ())
        elif f.kind in ("days", "checks"):
            out[f.name] = list(value) if value is not None else (list(WEEKDAYS[:5]) if f.kind == "days" else [])
        elif f.kind == "bool":
            out[f.name] = bool(value) if value is not None else f.name == "enabled"
        else:
            out[f.name] = "" if value is None else str(value)
    return out


def from_form(fields: tuple[Field, ...], form: MultiDict[str, str], skip: tuple[str, ...] = ()
              ) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """(data for the service, errors by field as text keys, the values to show again) of a posted form.

    Only the form's own shape is checked here (a number, a time); every rule of the site (a prefix in use, a
    close before the open) is the service layer's, so the console never disagrees with the REST API."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    shown: dict[str, Any] = {}
    for f in fields:
        if f.name in skip:
            continue
        if f.kind in ("days", "checks"):
            shown[f.name] = data[f.name] = form.getlist(f.name)
            continue
        if f.kind == "bool":
            shown[f.name] = data[f.name] = form.get(f.name) == "on"
            continue
        raw = (form.get(f.name) or "").strip()
        shown[f.name] = raw
        if not raw:
            if f.required:
                errors[f.name] = "required"
            data[f.name] = None  # on an update: the field is removed from the entry
            continue
        value, problem = _parse(f.kind, raw)
        if problem:
            errors[f.name] = problem
        data[f.name] = value
    return data, errors, shown


def _parse(kind: str, raw: str) -> tuple[Any, str]:
    if kind == "int":
        return (int(raw), "") if re.fullmatch(r"-?\d{1,9}", raw) else (None, "not_a_number")
    if kind == "time":
        return (raw, "") if TIME.match(raw) else (None, "not_a_time")
    if kind == "date":
        return (raw, "") if DATE.match(raw) else (None, "not_a_date")
    if kind == "lines":
        return [line.strip() for line in raw.splitlines() if line.strip()], ""
    if kind == "sessions":
        return _sessions(raw)
    if kind == "hours":
        return _hours(raw)
    return raw, ""


def _hours(raw: str) -> tuple[list[list[str]], str]:
    """"08:00-12:00" per line → [["08:00", "12:00"], …] (the order and the times themselves: the site validator)."""
    out = []
    for line in (x for x in raw.splitlines() if x.strip()):
        match = SPAN.match(line)
        if not match or not all(TIME.match(t.replace(".", ":")) for t in match.groups()):
            return [], "f_counter_hours_hint"
        out.append([t.replace(".", ":") for t in match.groups()])
    return out, ""


def _sessions(raw: str) -> tuple[list[dict[str, Any]], str]:
    """"Pagi, 08:00, 10:00, 20" per line → [{name, start, end, quota}]."""
    out = []
    for line in (x for x in raw.splitlines() if x.strip()):
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 4 or not TIME.match(parts[1]) or not TIME.match(parts[2]) or not parts[3].isdigit():
            return [], "f_sessions_hint"
        out.append({"name": parts[0], "start": parts[1], "end": parts[2], "quota": int(parts[3])})
    return out, ""
