"""PostgreSQL backups: `pg_dump --format=custom` of a site with a ticket, restored with `pg_restore` into an empty
database, keeps the ticket and the accounts; the dump is 0600 and a restore over a site in use is refused."""

import stat

import pytest
from sqlalchemy import func, select

from server.app import create_app
from server.config import config_from_dict
from server.domain.accounts import Principal
from server.domain.errors import Refused
from server.services import admin_accounts, backup, tickets
from server.storage.database import make_engine, migrate
from server.storage.tables import devices
from server.storage.tables import tickets as tickets_table
from support import drop_pg_database, fresh_pg_database, site_config

SYSTEM = Principal("system", "test", "admin")


def test_a_postgresql_site_survives_pg_dump_and_pg_restore(tmp_path, pg_url):
    if backup.shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    source_url, target_url = fresh_pg_database(pg_url), fresh_pg_database(pg_url)
    try:
        raw = site_config()
        raw["server"]["async_mode"] = "threading"
        raw["storage"]["url"] = source_url
        app, _ = create_app(config_from_dict(raw))
        ctx = app.extensions["antre"]
        admin_accounts.create_device(ctx, SYSTEM, "kios-1", "kiosk")
        issued = [tickets.issue_ticket(ctx, "KTP")[0].ticket.token for _ in range(3)]
        out = tmp_path / "antre.dump"
        done = backup.backup(source_url, out)
        assert done.kind == "postgresql" and stat.S_IMODE(out.stat().st_mode) == 0o600
        with pytest.raises(Refused):  # the source is in use: never restored over
            backup.restore(source_url, out, ctx.engine)
        ctx.engine.dispose()

        target = make_engine(target_url)
        assert backup.restore(target_url, out, target) == "postgresql"
        target = make_engine(target_url)
        migrate(target)
        with target.connect() as conn:
            kept = set(conn.execute(select(tickets_table.c.token)).scalars())
            assert set(issued) <= kept
            assert conn.execute(select(func.count()).select_from(devices)).scalar_one() == 1
        target.dispose()
    finally:
        drop_pg_database(pg_url, source_url)
        drop_pg_database(pg_url, target_url)
