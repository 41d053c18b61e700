"""Site administration: list, create, update and retire agencies, services, counters, holidays, breaks, booking
sessions and the display ticker; export and import the whole site as TOML.

Every change is one `run()`: load the latest site document → change one entry → validate by building the Site
(the config validator; its errors become field errors) → store version n+1 (a concurrent writer that took n+1 makes
the insert fail and the change is retried on the newer document) → one audit row → one `SiteChanged` event.
Retiring keeps the entry in the document (tickets and reports keep its name); it only leaves the live site.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from ..config import ConfigError
from ..domain.accounts import Principal
from ..domain.errors import Invalid, NotFound, Refused
from ..domain.events import SiteChanged
from ..domain.ticket import Status
from ..site_document import Document, StoredSite, entry_key, is_retired
from ..storage.uow import UnitOfWork
from . import site_store
from .context import Context, run
from .site_access import (
    ENTITY_KINDS,
    SECTIONS,
    check_change,
    check_visible,
    object_name,
    require_staff,
    session_scopes,
    session_slot,
    visible,
)
from .site_errors import invalid_from
from .site_transfer import export_site, import_site

__all__ = ["ENTITY_KINDS", "list_entities", "get_entity", "create_entity", "update_entity", "retire_entity",
           "export_site", "import_site", "current_document"]

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
TICKER_MAX_CHARS = 500
OPEN_STATUSES = (Status.WAITING, Status.CALLED, Status.SERVING)


def _kind(kind: str) -> str:
    if kind not in ENTITY_KINDS:
        raise NotFound("unknown_kind", f"Jenis data {kind!r} tidak dikenal.")
    return kind


def current_document(ctx: Context) -> tuple[int, Document]:
    """The newest stored (version, document)."""
    with ctx.uow() as uow:
        latest = uow.site.latest()
    if latest is None:
        raise NotFound("no_site", "Situs belum tersimpan; jalankan server sekali.")
    return latest


def _entries(doc: Document, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """(key, entry) of one kind in document order."""
    if kind in SECTIONS:
        section = SECTIONS[kind]
        return [(entry_key(section, item, i), item) for i, item in enumerate(doc.get(section, []))]
    if kind == "sessions":
        return session_scopes(doc)
    return [("ticker", {"ticker": doc.get("display", {}).get("ticker", "")})]


def _view(kind: str, key: str, item: dict[str, Any]) -> dict[str, Any]:
    if kind in ("sessions", "ticker"):
        return {"key": key, **item}
    out = dict(item)
    out["retired"] = is_retired(item)
    if kind == "breaks":
        out["key"] = key
    return out


def _find(doc: Document, kind: str, key: str) -> tuple[int, dict[str, Any]]:
    for i, (k, item) in enumerate(_entries(doc, kind)):
        if k == key or (kind == "breaks" and key == str(i + 1)):
            return i, item
    raise NotFound("not_found", f"{object_name(kind, key)} tidak ditemukan.")


def list_entities(ctx: Context, actor: Principal, kind: str) -> list[dict[str, Any]]:
    """The document's entries of `kind` (retired ones too, marked); a supervisor sees only their agencies'."""
    require_staff(actor)
    _, doc = current_document(ctx)
    return [_view(kind, k, item) for k, item in _entries(doc, _kind(kind)) if visible(actor, kind, item, doc, k)]


def get_entity(ctx: Context, actor: Principal, kind: str, key: str) -> dict[str, Any]:
    require_staff(actor)
    _, doc = current_document(ctx)
    _, item = _find(doc, _kind(kind), key)
    check_visible(actor, kind, item, doc, key)
    return _view(kind, key, item)


# ---------------------------------------------------------------------------------------------------- changing


def _change(ctx: Context, actor: Principal, action: str, kind: str,
            mutate: Callable[[UnitOfWork, Document], tuple[str, Any, Any]]) -> dict[str, Any]:
    """One change in one transaction: mutate a copy of the newest document, validate, store, audit, event."""
    assert ctx.stored is not None, "site_store.load_site(ctx, raw) runs at start"
    base = ctx.stored.base

    def work(uow: UnitOfWork) -> dict[str, Any]:
        latest = uow.site.latest()
        assert latest is not None
        version, doc = latest[0], copy.deepcopy(latest[1])
        key, old, new = mutate(uow, doc)
        stored = StoredSite(version + 1, doc, base)
        try:
            site, booking = site_store.build(stored)
        except ConfigError as exc:
            raise invalid_from(exc) from None
        now = ctx.now()
        uow.site.insert(stored.version, doc, now, actor.name)
        uow.audit.record(now, actor.name, action, object_name(kind, key), old, new)
        uow.record(SiteChanged(now, version=stored.version))
        # Swapped in before the commit so this process's listeners see the new site with the event; if the commit
        # failed after this, site_store.refresh (version differs) puts the stored one back.
        ctx.site, ctx.booking, ctx.stored = site, booking, stored
        return _view(kind, key, new) if isinstance(new, dict) else {"key": key}

    return run(ctx, work)


def _clean(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise Invalid("bad_body", "Data harus berupa objek JSON.", field="document")
    return {k: v for k, v in data.items() if k != "key"}


def _check_new_key(kind: str, data: dict[str, Any], doc: Document) -> str:
    section = SECTIONS[kind]
    field = {"holiday": "date", "break": "name"}.get(section, "code")
    key = data.get(field)
    if not isinstance(key, str) or not key.strip():
        raise Invalid("required", "Wajib diisi.", field=field)
    if field == "code" and not _CODE.match(key):
        raise Invalid("bad_code", "Kode hanya huruf, angka, '-' atau '_' (paling banyak 32).", field="code")
    existing = {k: item for k, item in _entries(doc, kind)}
    if key in existing:
        gone = " (dipensiunkan; pulihkan lewat ubah)" if is_retired(existing[key]) else ""
        raise Invalid("code_taken", f"{key} sudah ada{gone}.", field=field)
    return key


def _check_service(uow: UnitOfWork, ctx: Context, item: dict[str, Any], doc: Document) -> None:
    """Rules the validator cannot know: today's tickets (quota, a retired service's prefix still numbering)."""
    today = ctx.now().date()
    issued = uow.state.issued_counts(today)
    quota = item.get("daily_quota", 0)
    used = issued.get(str(item.get("code")), 0)
    if isinstance(quota, int) and not isinstance(quota, bool) and 0 < quota < used:
        raise Invalid("quota_below_issued", f"Kuota harian tidak boleh di bawah jumlah antrean yang sudah diambil "
                      f"hari ini ({used}).", field="daily_quota")
    for other in doc.get("service", []):
        if (other.get("code") != item.get("code") and is_retired(other) and other.get("prefix") == item.get("prefix")
                and issued.get(other.get("code", ""), 0)):
            raise Invalid("prefix_taken", f"Prefiks {item.get('prefix')} masih dipakai hari ini oleh layanan "
                          f"{other.get('code')} (dipensiunkan); pakai prefiks lain sampai besok.", field="prefix")


def _check_counter(item: dict[str, Any], doc: Document) -> None:
    services = item.get("services")
    if not isinstance(services, list) or not services:
        raise Invalid("no_service", "Pilih setidaknya satu layanan untuk loket ini.", field="services")
    live = {s.get("code") for s in doc.get("service", []) if not is_retired(s)}
    for code in services:
        if code not in live:
            raise Invalid("unknown_service", f"Layanan {code} tidak dikenal atau sudah dipensiunkan.", field="services")


def _checks(uow: UnitOfWork, ctx: Context, kind: str, item: dict[str, Any], doc: Document) -> None:
    if kind == "services":
        _check_service(uow, ctx, item, doc)
    elif kind == "counters":
        _check_counter(item, doc)


def create_entity(ctx: Context, actor: Principal, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Add an agency, service, counter, holiday, break or booking-session override."""
    require_staff(actor)
    if _kind(kind) == "ticker":
        raise Invalid("not_creatable", "Teks layar hanya bisa diubah.", field="ticker")
    if kind == "sessions":
        return _set_sessions(ctx, actor, "create", data)
    item = {k: v for k, v in _clean(data).items() if k != "retired"}

    def mutate(uow: UnitOfWork, doc: Document) -> tuple[str, Any, Any]:
        key = _check_new_key(kind, item, doc)
        check_change(actor, kind, item, doc, key)
        _checks(uow, ctx, kind, item, doc)
        doc.setdefault(SECTIONS[kind], []).append(item)
        return key, None, item

    return _change(ctx, actor, "create", kind, mutate)


def update_entity(ctx: Context, actor: Principal, kind: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    """Change some fields of one entry (a field given as null is removed); the key itself cannot change."""
    require_staff(actor)
    if _kind(kind) == "ticker":
        return _set_ticker(ctx, actor, data)
    if kind == "sessions":
        return _set_sessions(ctx, actor, "update", {**_clean(data), "key": key})
    changes = _clean(data)

    def mutate(uow: UnitOfWork, doc: Document) -> tuple[str, Any, Any]:
        index, item = _find(doc, kind, key)
        check_change(actor, kind, item, doc, key)
        old = copy.deepcopy(item)
        for field in ("code", "date"):
            if field in changes and field in item and changes[field] != item[field]:
                raise Invalid("key_fixed", "Kode tidak bisa diubah; buat yang baru dan pensiunkan yang lama.",
                              field=field)
        new = {k: v for k, v in (item | changes).items() if v is not None}
        if new.get("retired") is False:
            new.pop("retired")
        check_change(actor, kind, new, doc, key)
        _checks(uow, ctx, kind, new, doc)
        doc[SECTIONS[kind]][index] = new
        return key, old, new

    return _change(ctx, actor, "update", kind, mutate)


def retire_entity(ctx: Context, actor: Principal, kind: str, key: str) -> dict[str, Any]:
    """Take an entry out of the live site, keeping it in the document (a booking-session override is removed)."""
    require_staff(actor)
    if _kind(kind) == "ticker":
        raise Invalid("not_retirable", "Teks layar tidak bisa dipensiunkan; kosongkan saja.", field="ticker")
    if kind == "sessions":
        return _set_sessions(ctx, actor, "retire", {"key": key})

    def mutate(uow: UnitOfWork, doc: Document) -> tuple[str, Any, Any]:
        index, item = _find(doc, kind, key)
        check_change(actor, kind, item, doc, key)
        _check_retire(uow, ctx, kind, key, doc)
        new = item | {"retired": True}
        doc[SECTIONS[kind]][index] = new
        return key, item, new

    return _change(ctx, actor, "retire", kind, mutate)


def _check_retire(uow: UnitOfWork, ctx: Context, kind: str, key: str, doc: Document) -> None:
    if kind == "agencies":
        live = [s["code"] for s in doc.get("service", []) if s.get("agency") == key and not is_retired(s)]
        if live:
            raise Refused("agency_in_use", f"Instansi {key} masih punya layanan aktif ({', '.join(live)}); "
                          "pensiunkan layanan itu dulu.")
    elif kind == "services":
        waiting = uow.tickets.of_day(ctx.now().date(), [key], OPEN_STATUSES)
        if waiting:
            raise Refused("service_busy", f"Layanan {key} masih punya {len(waiting)} antrean yang belum selesai "
                          "hari ini; layani atau lewati dulu.")
    elif kind == "counters" and uow.state.counter(key).status.value != "closed":
        raise Refused("counter_open", f"Loket {key} masih buka; tutup loket dulu.")


def _set_ticker(ctx: Context, actor: Principal, data: Any) -> dict[str, Any]:
    text = data.get("ticker") if isinstance(data, dict) else None
    if not isinstance(text, str) or len(text) > TICKER_MAX_CHARS:
        raise Invalid("bad_ticker", f"Teks berjalan harus teks, paling banyak {TICKER_MAX_CHARS} huruf.",
                      field="ticker")

    def mutate(uow: UnitOfWork, doc: Document) -> tuple[str, Any, Any]:
        check_change(actor, "ticker", {}, doc, "ticker")
        display = doc.setdefault("display", {})
        old = {"ticker": display.get("ticker", "")}
        display["ticker"] = text.strip()
        return "ticker", old, {"ticker": display["ticker"]}

    return _change(ctx, actor, "update", "ticker", mutate)


def _set_sessions(ctx: Context, actor: Principal, action: str, data: dict[str, Any]) -> dict[str, Any]:
    """Booking sessions per scope: `default` ([booking] sessions), `place:<agency or kind>`, `service:<code>`."""
    def mutate(uow: UnitOfWork, doc: Document) -> tuple[str, Any, Any]:
        key = data.get("key")
        if not isinstance(key, str):
            raise Invalid("required", "Wajib diisi.", field="key")
        existing = dict(session_scopes(doc))
        if action == "create" and key in existing:
            raise Invalid("code_taken", f"Sesi untuk {key} sudah ada; ubah saja.", field="key")
        if action != "create" and key not in existing:
            raise NotFound("not_found", f"{object_name('sessions', key)} tidak ditemukan.")
        value = {k: v for k, v in data.items() if k != "key"}
        check_change(actor, "sessions", value, doc, key)
        old = existing.get(key)
        if action == "retire" and key == "default":
            raise Refused("default_sessions", "Sesi bawaan tidak bisa dihapus; ubah saja.")
        session_slot(doc, key, None if action == "retire" else value)
        return key, old, None if action == "retire" else dict(session_scopes(doc))[key]

    return _change(ctx, actor, action, "sessions", mutate)
