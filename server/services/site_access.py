"""Who may see and change which part of the site document: an admin everything; a supervisor their agencies'
services and counters (and sees their agencies); site-wide entries (holidays, breaks, ticker) only an admin
changes. Also how the booking-session scopes of the document are named and set."""

from __future__ import annotations

from typing import Any

from ..domain.accounts import Principal
from ..domain.errors import Forbidden, Invalid
from ..site_document import Document

ENTITY_KINDS = ("agencies", "services", "counters", "holidays", "breaks", "sessions", "ticker")
SECTIONS = {"agencies": "agency", "services": "service", "counters": "counter", "holidays": "holiday",
            "breaks": "break"}
_OBJECTS = SECTIONS | {"sessions": "sessions", "ticker": "display"}
_LABELS = {"agencies": "Instansi", "services": "Layanan", "counters": "Loket", "holidays": "Hari libur",
           "breaks": "Istirahat", "sessions": "Sesi booking", "ticker": "Teks layar"}
STAFF = ("admin", "supervisor")


def object_name(kind: str, key: str) -> str:
    """The audit log's name of an entry: "service:KTP", "holiday:2026-12-25", "sessions:service:PASPOR"."""
    return f"{_OBJECTS[kind]}:{key}"


def require_staff(actor: Principal) -> None:
    if actor.role not in STAFF:
        raise Forbidden("forbidden", "Hanya admin atau supervisor yang boleh mengelola situs.")


def _agencies(actor: Principal) -> set[str] | None:
    """None = every agency (an admin)."""
    return None if actor.role == "admin" else set(getattr(actor, "agencies", ()) or ())


def _service_agency(doc: Document, code: str) -> str | None:
    return next((s.get("agency") for s in doc.get("service", []) if s.get("code") == code), None)


def visible(actor: Principal, kind: str, item: dict[str, Any], doc: Document, key: str = "") -> bool:
    own = _agencies(actor)
    if own is None:
        return True
    if kind == "agencies":
        return item.get("code") in own
    if kind == "services":
        return item.get("agency") in own
    if kind == "counters":
        return any(_service_agency(doc, s) in own for s in item.get("services") or [])
    if kind == "sessions" and key.startswith("service:"):
        return _service_agency(doc, key.split(":", 1)[1]) in own
    return True  # holidays, breaks, default and place sessions, the ticker: site-wide, readable by staff


def _may_change(actor: Principal, kind: str, item: dict[str, Any], doc: Document, key: str) -> bool:
    own = _agencies(actor)
    if own is None:
        return True
    if kind == "services":
        return item.get("agency") in own
    if kind == "counters":
        services = item.get("services") or []
        # Every service of the counter must be theirs: a shared counter is another agency's object too.
        return bool(services) and all(_service_agency(doc, s) in own for s in services)
    if kind == "sessions" and key.startswith("service:"):
        return _service_agency(doc, key.split(":", 1)[1]) in own
    return False


def _forbidden(kind: str, key: str) -> Forbidden:
    return Forbidden("forbidden", f"{_LABELS[kind]} {key} bukan milik instansi Anda.")


def check_visible(actor: Principal, kind: str, item: dict[str, Any], doc: Document, key: str) -> None:
    if not visible(actor, kind, item, doc, key):
        raise _forbidden(kind, key)


def check_change(actor: Principal, kind: str, item: dict[str, Any], doc: Document, key: str) -> None:
    require_staff(actor)
    if not _may_change(actor, kind, item, doc, key):
        if actor.role == "supervisor" and kind in ("agencies", "holidays", "breaks", "ticker", "sessions") \
                and visible(actor, kind, item, doc, key):
            raise Forbidden("admin_only", f"Hanya admin yang boleh mengubah {_LABELS[kind].lower()}.")
        raise _forbidden(kind, key)


def session_scopes(doc: Document) -> list[tuple[str, dict[str, Any]]]:
    """The booking-session settings as (key, value): "default", "place:<agency or kind>", "service:<code>"."""
    booking = doc.get("booking", {})
    out: list[tuple[str, dict[str, Any]]] = []
    if "sessions" in booking:
        out.append(("default", {"sessions": booking["sessions"]}))
    out += [(f"place:{k}", v) for k, v in (booking.get("places") or {}).items()]
    out += [(f"service:{k}", v) for k, v in (booking.get("services") or {}).items()]
    return out


def session_slot(doc: Document, key: str, value: dict[str, Any] | None) -> None:
    """Set (or, with None, remove) the session setting `key` in the document."""
    booking = doc.setdefault("booking", {})
    if key == "default":
        if value is None or "sessions" not in value:
            raise Invalid("required", "Wajib diisi.", field="sessions")
        booking["sessions"] = value["sessions"]
        return
    scope, _, name = key.partition(":")
    if scope not in ("place", "service") or not name:
        raise Invalid("bad_key", "Kunci sesi: default, place:<instansi/jenis> atau service:<kode>.", field="key")
    table = booking.setdefault("places" if scope == "place" else "services", {})
    if value is None:
        table.pop(name, None)
    else:
        table[name] = value
