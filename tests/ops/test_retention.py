"""Data retention (UU No. 27/2022) on an injected clock: bookings' names, phone numbers and NIK hashes are erased
once their visit is more than [booking] retain_days days ago, nothing younger is touched, tickets and booking rows
stay (anonymous), the audit log says how many; and private_files tightens an old install's database and var/."""

import os
import stat
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from server.app import create_app
from server.config import config_from_dict
from server.domain.accounts import Principal
from server.private_files import secure
from server.services import booking, retention
from server.storage.booking_tables import bookings
from server.storage.site_tables import audit_log
from server.storage.tables import tickets
from support import FakeClock, site_config

KIOSK = Principal("device", "kios-1", "kiosk", id=1)
START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # Monday 2 November 2026, 09.00 WITA


@pytest.fixture
def site(tmp_path):
    raw = site_config()
    raw["server"]["async_mode"] = "threading"
    raw["storage"]["url"] = f"sqlite:///{tmp_path / 'antre.db'}"
    raw["booking"].update(places={}, services={}, rate_limit="", retain_days=30,
                          sessions=[{"name": "Hari", "start": "00:00", "end": "24:00", "quota": 50}])
    clock = FakeClock(START)
    flask_app, _ = create_app(config_from_dict(raw), clock=clock)
    ctx = flask_app.extensions["antre"]
    yield ctx, clock, flask_app
    ctx.engine.dispose()


def _book(ctx, day: date, n: int) -> str:
    req = booking.BookingRequest("KTP", day, "hari", f"Warga {n}", f"64720512039{n:05d}", "081234567" + f"{n:03d}",
                                 consent=True)
    return booking.book(ctx, req).booking.code


def _rows(ctx) -> dict[str, dict]:
    with ctx.engine.connect() as conn:
        return {r.code: dict(r._mapping) for r in conn.execute(select(bookings))}


def test_retention_erases_personal_data_past_the_period_and_nothing_else(site):
    ctx, clock, _ = site
    first = START.date()
    old = [_book(ctx, first, 1), _book(ctx, first, 2)]
    booking.check_in(ctx, old[0], Principal("user", "admin", "admin"))  # became a ticket that day
    clock.now = START + timedelta(days=1)
    edge = _book(ctx, first + timedelta(days=1), 3)  # visit exactly 30 days before the run: kept
    clock.now = START + timedelta(days=13)
    young = _book(ctx, first + timedelta(days=14), 4)

    clock.now = START + timedelta(days=31)  # 3 December: visits before 3 November are past 30 days
    assert retention.pending(ctx, 30) == 2
    erased = retention.erase_expired_bookings(ctx, 30)
    assert (erased.count, erased.before) == (2, date(2026, 11, 3))

    rows = _rows(ctx)
    for code in old:
        r = rows[code]
        assert (r["name"], r["phone"], r["nik_last4"]) == ("", None, "") and r["nik_hmac"].startswith("dihapus-")
        assert r["service"] == "KTP" and r["local_date"] == first  # the statistics keep the visit
    assert rows[old[0]]["status"] == "checked_in" and rows[old[0]]["ticket_id"] is not None
    for code, n in ((edge, 3), (young, 4)):
        assert rows[code]["name"] == f"Warga {n}" and rows[code]["phone"] and len(rows[code]["nik_hmac"]) == 64
    with ctx.engine.connect() as conn:
        assert conn.execute(select(tickets.c.id)).all()  # the ticket of the checked-in booking stays
        audit = conn.execute(select(audit_log).where(audit_log.c.action == "erase")).all()
    assert len(audit) == 1 and '"erased": 2' in audit[0].new and "Warga" not in audit[0].new

    # Idempotent: a second run (another process, the next round) erases nothing and audits nothing.
    assert retention.erase_expired_bookings(ctx, 30).count == 0
    clock.now = START + timedelta(days=32)
    assert retention.erase_expired_bookings(ctx, 30).count == 1  # now the edge booking's turn
    assert _rows(ctx)[young]["name"] == "Warga 4"


@pytest.fixture
def umask():
    before = os.umask(0o022)  # secure() sets the process's umask: give it back afterwards
    yield
    os.umask(before)


def test_an_old_install_is_made_private(tmp_path, umask):
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    db = var / "antre.db"
    db.write_bytes(b"")
    db.chmod(0o644)
    (var / "antre.db-wal").write_bytes(b"")
    (var / "antre.db-wal").chmod(0o644)
    secure(f"sqlite:///{db}", var)
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE((var / "antre.db-wal").stat().st_mode) == 0o600
    fresh = tmp_path / "new" / "data" / "antre.db"
    secure(f"sqlite:///{fresh}", None)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600 and stat.S_IMODE(fresh.parent.stat().st_mode) == 0o700


def test_the_booking_form_states_the_retention_period(site):
    _, _, flask_app = site
    client = flask_app.test_client()
    page = client.get(f"/booking/service/KTP/{START.date().isoformat()}").get_data(as_text=True)
    assert "dihapus 30 hari setelah tanggal kunjungan" in page
    english = client.get(f"/booking/service/KTP/{START.date().isoformat()}?lang=en").get_data(as_text=True)
    assert "erased 30 days after the visit date" in english

