"""Fixtures shared by the integration tests: a service context on a fresh SQLite file and on a fresh PostgreSQL
database, the clock fixed at 09.00 WITA on an ordinary Wednesday."""

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from server.services.context import Context
from support import FakeClock, drop_pg_database, fresh_pg_database, make_context

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=WITA)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ctx(tmp_path, request) -> Iterator[Context]:
    """A context at NOW on each database in turn (test_ticket_save, test_driver_sql)."""
    url = f"sqlite:///{tmp_path / 'a.db'}"
    if request.param == "postgresql":
        admin = request.getfixturevalue("pg_url")
        url = fresh_pg_database(admin)
    ctx = make_context(FakeClock(NOW), url)
    yield ctx
    ctx.engine.dispose()
    if request.param == "postgresql":
        drop_pg_database(admin, url)
