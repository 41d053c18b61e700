"""The site store at start: config.toml seeds an empty database; afterwards the database wins (one log line)."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime

import requests
import tomli_w
from sqlalchemy import text

from server.services import site_store
from server.site_document import canonical, document_from_config
from server.storage.database import make_engine, migrate
from support import FakeClock, ServerProcess, make_context, site_config

DIFFERS = "config.toml differs from the site in the database"
NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def test_an_empty_store_is_seeded_with_version_1_from_config_toml():
    ctx = make_context(FakeClock(NOW))
    assert ctx.stored.version == 1
    assert canonical(ctx.stored.document) == canonical(document_from_config(site_config()))
    with ctx.uow() as uow:
        assert uow.site.latest_version() == 1
        [entry] = uow.audit.entries("site")
    assert (entry.user, entry.action, entry.new) == ("config.toml", "import", {"version": 1})


def test_a_second_start_reads_the_stored_document_and_ignores_a_changed_config(tmp_path, caplog):
    url = f"sqlite:///{tmp_path / 'antre.db'}"
    make_context(FakeClock(NOW), url)
    changed = site_config()
    next(s for s in changed["service"] if s["code"] == "KTP")["name"] = "Nama dari berkas"
    ctx = make_context(FakeClock(NOW), url, raw=changed)
    assert ctx.stored.version == 1 and ctx.site.services["KTP"].name != "Nama dari berkas"
    assert [r.getMessage() for r in caplog.records if DIFFERS in r.getMessage()] == [
        f"{DIFFERS} (version 1); the database is used — `python -m server site export` shows it"]


def test_refresh_swaps_in_a_version_stored_by_another_process():
    ctx = make_context(FakeClock(NOW))
    doc = dict(ctx.stored.document, display={"ticker": "Teks baru"})
    with ctx.uow() as uow:
        uow.site.insert(2, doc, NOW, "other-process")
        uow.commit()
    assert site_store.refresh(ctx) is True and ctx.stored.version == 2 and ctx.stored.ticker == "Teks baru"
    assert site_store.refresh(ctx) is False


def test_a_database_made_by_the_older_migrations_gets_seeded_on_its_first_start(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as conn:  # what a database from before the site store looks like: no site_versions row
        conn.execute(text("DELETE FROM site_versions"))
        conn.execute(text("DELETE FROM audit_log"))
    assert make_context(FakeClock(NOW), url).stored.version == 1


def test_a_server_started_on_a_database_whose_site_differs_uses_the_database_and_says_so_once(tmp_path):
    server = ServerProcess(tmp_path, site_config()).start()
    server.stop()
    changed = tomllib.loads(server.config_path.read_text())
    next(s for s in changed["service"] if s["code"] == "KTP")["name"] = "Nama dari berkas"
    server.config_path.write_text(tomli_w.dumps(changed))
    server.start()
    try:
        services = requests.get(f"{server.url}/api/v1/services", timeout=5).json()
        assert next(s for s in services if s["code"] == "KTP")["name"] != "Nama dari berkas"
        assert server.log().count(DIFFERS) == 1
    finally:
        server.stop()

