"""SQLite backup files in-process: a path with spaces, '#' and '?' round-trips; a restore refuses a file that is no
backup and a site in use, and `--force` overwrites one on purpose."""

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from server.app import create_app
from server.config import config_from_dict
from server.domain.errors import Invalid, Refused
from server.services import backup, tickets
from server.storage.database import make_engine
from server.storage.tables import tickets as tickets_table
from support import site_config


def _site(folder: Path):  # type: ignore[no-untyped-def]
    raw = site_config()
    raw["server"]["async_mode"] = "threading"
    raw["storage"]["url"] = f"sqlite:///{folder / 'antre.db'}"
    return create_app(config_from_dict(raw))[0].extensions["antre"]


def _tokens(url: str) -> set[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = set(conn.execute(select(tickets_table.c.token)).scalars())
    engine.dispose()
    return found


def test_odd_paths_round_trip_and_a_site_in_use_is_only_overwritten_on_purpose(tmp_path):
    source = _site(tmp_path / "sumber")
    issued = {tickets.issue_ticket(source, "KTP")[0].ticket.token for _ in range(2)}
    out = tmp_path / "cadangan #1 (hari ini)" / "antre?.db"
    done = backup.backup(str(source.engine.url), out)
    assert done.path == out.resolve() and done.tickets == 2
    source.engine.dispose()

    empty = tmp_path / "pulih" / "antre.db"
    assert backup.restore(f"sqlite:///{empty}", out) == "sqlite"
    assert _tokens(f"sqlite:///{empty}") == issued

    other = _site(tmp_path / "lain")
    own = tickets.issue_ticket(other, "KK")[0].ticket.token
    theirs = backup.backup(str(other.engine.url), tmp_path / "lain.db")
    other.engine.dispose()
    busy_url = f"sqlite:///{tmp_path / 'sibuk' / 'antre.db'}"
    backup.restore(busy_url, theirs.path)
    engine = make_engine(busy_url)
    with pytest.raises(Refused):  # the site holds a ticket: never overwritten by mistake
        backup.restore(busy_url, out, engine)
    assert _tokens(busy_url) == {own}
    assert backup.restore(busy_url, out, make_engine(busy_url), force=True) == "sqlite"
    assert _tokens(busy_url) == issued

    text = tmp_path / "catatan.db"
    text.write_text("bukan basis data")
    with pytest.raises(Invalid):
        backup.restore(f"sqlite:///{tmp_path / 'lain.db'}", text)
