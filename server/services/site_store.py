"""The site's source of truth at start and while running: config.toml seeds an empty store (version 1); after that
the stored document wins, and every process swaps in a newer version when it sees one."""

from __future__ import annotations

import logging
from typing import Any

from ..booking_config import BookingConfig, load_booking
from ..domain.site import Site
from ..site_document import StoredSite, canonical, document_from_config
from ..storage.uow import UnitOfWork
from .context import Context, run

log = logging.getLogger(__name__)
SEED_USER = "config.toml"


def build(stored: StoredSite) -> tuple[Site, BookingConfig]:
    """The live Site and booking settings of a stored document (raises ConfigError when it is not valid)."""
    from ..config import build_site

    raw = stored.raw()
    site = build_site(raw)
    return site, load_booking(site, raw)


def apply(ctx: Context, stored: StoredSite) -> None:
    """Make `stored` the context's site: the Site, the booking settings and the document together."""
    ctx.site, ctx.booking = build(stored)
    ctx.stored = stored


def load_site(ctx: Context, raw: dict[str, Any]) -> StoredSite:
    """At start: seed version 1 from config.toml `raw` when the store is empty, else use the stored document (and
    say in one line when config.toml differs from it). The result is applied to `ctx`."""
    from_config = document_from_config(raw)

    def work(uow: UnitOfWork) -> tuple[int, dict[str, Any], bool]:
        now = ctx.now()
        latest = uow.site.latest()
        if latest is not None:
            return latest[0], latest[1], False
        # Two processes starting on an empty database: one insert wins, the other is retried and reads it.
        uow.site.insert(1, from_config, now, SEED_USER)
        uow.audit.record(now, SEED_USER, "import", "site", None, {"version": 1})
        return 1, from_config, True

    version, document, seeded = run(ctx, work)
    base = dict(raw)
    stored = StoredSite(version, document, base)
    if not seeded and canonical(document) != canonical(from_config):
        log.warning("config.toml differs from the site in the database (version %d); the database is used — "
                    "`python -m server site export` shows it", version)
    apply(ctx, stored)
    return stored


def refresh(ctx: Context) -> bool:
    """Swap in the stored site when another process (or a failed commit here) left `ctx` on another version;
    True when the site changed. One small query when nothing changed."""
    with ctx.uow() as uow:
        if ctx.stored is not None and uow.site.latest_version() == ctx.stored.version:
            return False
        latest = uow.site.latest()
    if latest is None or ctx.stored is None:
        return False
    apply(ctx, StoredSite(latest[0], latest[1], ctx.stored.base))
    return True
