"""The site document: config.toml's site sections (agencies, services, counters, breaks, holidays, booking sessions
and places, the display ticker) as one JSON-ready dict — the shape kept, versioned, in `site_versions`.

Pure functions only: pick the document out of a parsed config, put it back into one, leave retired entries out of
the live site, compare two documents line by line, and write one as TOML.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import tomli_w

LISTS = ("agency", "service", "counter", "break", "holiday")
BOOKING_KEYS = ("sessions", "places", "services")  # the parts of [booking] that are the site, not server settings
DISPLAY_KEYS = ("ticker",)
LABELS = {"agency": "instansi", "service": "layanan", "counter": "loket", "break": "istirahat",
          "holiday": "hari libur", "booking": "booking", "display": "layar"}
TOML_HEADER = ("# Antre site definition (agencies, services, counters, breaks, holidays, booking sessions, display\n"
               "# texts), written by `python -m server site export`. Apply with `python -m server site import FILE`.\n\n")

Document = dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoredSite:
    """The site as stored: its version, the document, and the rest of config.toml ([site], [queue], the
    [booking] settings) that the document is combined with to build the live Site."""

    version: int
    document: Document
    base: dict[str, Any]

    @property
    def ticker(self) -> str:
        return str(self.document.get("display", {}).get("ticker", ""))

    def raw(self) -> dict[str, Any]:
        return with_document(self.base, self.document)


def _plain(value: Any) -> Any:
    """TOML values as JSON values (a TOML date becomes "YYYY-MM-DD"), so a stored document compares equal."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def document_from_config(raw: dict[str, Any]) -> Document:
    """The site document of a parsed config.toml (or of an exported/imported site file)."""
    doc: Document = {kind: _plain(raw.get(kind, [])) for kind in LISTS}
    booking = raw.get("booking", {}) if isinstance(raw.get("booking"), dict) else {}
    doc["booking"] = {k: _plain(booking[k]) for k in BOOKING_KEYS if k in booking}
    display = raw.get("display", {}) if isinstance(raw.get("display"), dict) else {}
    doc["display"] = {k: _plain(display[k]) for k in DISPLAY_KEYS if k in display}
    return doc


def with_document(raw: dict[str, Any], doc: Document) -> dict[str, Any]:
    """`raw` (a parsed config) with its site sections replaced by the document's."""
    out = {k: v for k, v in raw.items() if k not in LISTS}
    for kind in LISTS:
        out[kind] = copy.deepcopy(doc.get(kind, []))
    booking = {k: v for k, v in (raw.get("booking") or {}).items() if k not in BOOKING_KEYS}
    out["booking"] = booking | copy.deepcopy(doc.get("booking", {}))
    display = {k: v for k, v in (raw.get("display") or {}).items() if k not in DISPLAY_KEYS}
    out["display"] = display | copy.deepcopy(doc.get("display", {}))
    return out


def is_retired(item: Any) -> bool:
    return isinstance(item, dict) and item.get("retired") is True


def live_sections(raw: dict[str, Any]) -> dict[str, Any]:
    """`raw` without retired entries: they stay in the document (tickets and reports keep their names) but are
    no part of the live site. A counter keeps only its live services; booking settings of retired services and
    retired agencies' places are left out too."""
    out = dict(raw)
    for kind in LISTS:
        items = raw.get(kind, [])
        if isinstance(items, list):
            out[kind] = [i for i in items if not is_retired(i)]
    gone_services = {s.get("code") for s in raw.get("service", []) if is_retired(s)}
    gone_agencies = {a.get("code") for a in raw.get("agency", []) if is_retired(a)}
    out["counter"] = [c | {"services": [s for s in c["services"] if s not in gone_services]}
                      if isinstance(c, dict) and isinstance(c.get("services"), list) else c for c in out["counter"]]
    booking = raw.get("booking")
    if isinstance(booking, dict) and (gone_services or gone_agencies):
        booking = dict(booking)
        if isinstance(booking.get("services"), dict):
            booking["services"] = {k: v for k, v in booking["services"].items() if k not in gone_services}
        if isinstance(booking.get("places"), dict):
            booking["places"] = {k: v for k, v in booking["places"].items() if k not in gone_agencies}
        out["booking"] = booking
    return out


def canonical(doc: Document) -> str:
    """One text per document content (key order ignored): what "the same site" means."""
    return json.dumps(_plain(doc), ensure_ascii=False, sort_keys=True)


def entry_key(kind: str, item: dict[str, Any], index: int) -> str:
    """How an entry of a list section is named: its code, a holiday its date, a break its name (or position)."""
    if kind == "holiday":
        return str(item.get("date", index + 1))
    if kind == "break":
        return str(item.get("name") or f"#{index + 1}")
    return str(item.get("code", f"#{index + 1}"))


def _keyed(doc: Document) -> dict[tuple[str, str], Any]:
    out: dict[tuple[str, str], Any] = {}
    for kind in LISTS:
        for i, item in enumerate(doc.get(kind, [])):
            out[(kind, entry_key(kind, item, i))] = item
    for k, v in doc.get("booking", {}).items():
        if k == "sessions":
            out[("booking", "sessions")] = v
        elif isinstance(v, dict):
            for name, table in v.items():
                out[("booking", f"{k}.{name}")] = table
    for k, v in doc.get("display", {}).items():
        out[("display", k)] = v
    return out


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def differences(old: Document, new: Document) -> list[str]:
    """One line per changed entry: `+` added, `-` removed, `~ … field: old → new` changed, `x` retired."""
    a, b = _keyed(old), _keyed(new)
    lines: list[str] = []
    for key in list(a) + [k for k in b if k not in a]:
        kind, name = key
        label = f"{LABELS[kind]} {name}"
        if key not in b:
            lines.append(f"- {label}")
        elif key not in a:
            lines.append(f"+ {label}")
        elif canonical(a[key]) != canonical(b[key]):
            before, after = a[key], b[key]
            if isinstance(before, dict) and isinstance(after, dict):
                if is_retired(after) and not is_retired(before):
                    lines.append(f"x {label} (dipensiunkan)")
                    continue
                for field in list(before) + [f for f in after if f not in before]:
                    if before.get(field) != after.get(field):
                        lines.append(f"~ {label} {field}: {_short(before.get(field))} → {_short(after.get(field))}")
            else:
                lines.append(f"~ {label}: {_short(before)} → {_short(after)}")
    return lines


def document_toml(doc: Document) -> str:
    """The document as TOML in config.toml's format (empty sections left out)."""
    body = {k: v for k, v in _plain(doc).items() if v not in ([], {})}
    return TOML_HEADER + tomli_w.dumps(body, multiline_strings=False)
