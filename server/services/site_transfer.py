"""The whole site in and out as TOML (config.toml's format): export the newest document, import one (showing the
differences; one transaction; an invalid file is refused with a one-line reason and changes nothing)."""

from __future__ import annotations

import copy
import tomllib
from typing import Any

from ..config import ConfigError
from ..domain.accounts import Principal
from ..domain.errors import Forbidden, Invalid
from ..domain.events import SiteChanged
from ..site_document import (
    LISTS,
    Document,
    StoredSite,
    differences,
    document_from_config,
    document_toml,
    entry_key,
)
from ..storage.uow import UnitOfWork
from . import site_store
from .context import Context, run


def export_site(ctx: Context) -> str:
    """The newest stored site as TOML (retired entries included, marked `retired = true`)."""
    with ctx.uow() as uow:
        latest = uow.site.latest()
    return document_toml(latest[1] if latest else {})


def _parse(toml_text: str) -> dict[str, Any]:
    try:
        raw = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise Invalid("invalid_file", f"bukan TOML yang sah ({exc})", field="file") from None
    if not any(raw.get(kind) for kind in LISTS):
        raise Invalid("invalid_file", "berkas tidak berisi [[agency]], [[service]] atau [[counter]]", field="file")
    return raw


def _keep_missing(old: Document, new: Document) -> Document:
    """Entries of the current site missing from the file stay, retired: tickets and reports keep their names."""
    out = copy.deepcopy(new)
    for kind in LISTS:
        have = {entry_key(kind, item, i) for i, item in enumerate(out.get(kind, []))}
        for i, item in enumerate(old.get(kind, [])):
            if entry_key(kind, item, i) not in have:
                out.setdefault(kind, []).append(item | {"retired": True})
    return out


def import_site(ctx: Context, actor: Principal, toml_text: str, dry_run: bool = False) -> list[str]:
    """Apply a site file as the next version (admin only); returns the differences, one line each. Nothing is
    stored on a dry run or when nothing differs."""
    if actor.role != "admin":
        raise Forbidden("admin_only", "Hanya admin yang boleh mengimpor situs.")
    assert ctx.stored is not None, "site_store.load_site(ctx, raw) runs at start"
    base, incoming = ctx.stored.base, document_from_config(_parse(toml_text))

    def work(uow: UnitOfWork) -> list[str]:
        latest = uow.site.latest()
        assert latest is not None
        version, old = latest
        doc = _keep_missing(old, incoming)
        stored = StoredSite(version + 1, doc, base)
        try:
            site, booking = site_store.build(stored)
        except ConfigError as exc:
            raise Invalid("invalid_site", str(exc), field="file") from None
        lines = differences(old, doc)
        if dry_run or not lines:
            return lines
        now = ctx.now()
        uow.site.insert(stored.version, doc, now, actor.name)
        uow.audit.record(now, actor.name, "import", "site", {"version": version},
                         {"version": stored.version, "changes": lines})
        uow.record(SiteChanged(now, version=stored.version))
        ctx.site, ctx.booking, ctx.stored = site, booking, stored
        return lines

    return run(ctx, work)
