"""Backups against a real server: `backup --out FILE` while a kiosk keeps issuing, `restore FILE` into an empty
site keeps every ticket committed before the backup began and the site works; database, var/ and backup are
private (0600/0700); a restore over a site in use is refused; the logs of a booking flow hold no NIK or phone."""

from __future__ import annotations

import json
import stat
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from support import Api, ServerProcess, site_config

pytestmark = pytest.mark.slow


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class Issuing(threading.Thread):
    """A kiosk issuing tickets as fast as the server answers; each token with the moment its 201 arrived."""

    def __init__(self, base: str, token: str) -> None:
        super().__init__(daemon=True)
        self.api, self.done = Api(base, token), threading.Event()
        self.issued: list[tuple[str, float]] = []

    def run(self) -> None:
        services = ["KTP", "KK", "NIB"]
        while not self.done.is_set():
            reply = self.api.post("/tickets", {"service": services[len(self.issued) % 3]})
            assert reply.status_code == 201, reply.text
            self.issued.append((reply.json()["token"], time.monotonic()))

    def wait_for(self, count: int, within: float = 30) -> None:
        deadline = time.monotonic() + within
        while len(self.issued) < count:
            assert time.monotonic() < deadline, "the kiosk did not issue in time"
            time.sleep(0.02)  # polling another thread's progress against a deadline


def test_a_backup_under_load_restores_every_committed_ticket_into_an_empty_site(tmp_path):
    # No secret_key in the config: the server generates var/secret_key, which must be private too and travels
    # with the backup (the guide says so).
    source = ServerProcess(tmp_path / "site", site_config(server__secret_key="")).start()
    out = tmp_path / "cadangan" / "antre-backup.db"
    try:
        kiosk = source.add_device("kios-1")
        load = Issuing(source.url, kiosk)
        load.start()
        load.wait_for(40)
        began = time.monotonic()
        done = source.cli("backup", "--out", str(out))
        during = [t for t, at in load.issued if at > began]
        load.wait_for(len(load.issued) + 20)  # the kiosk kept issuing after the backup too
        load.done.set()
        load.join(10)
        assert done.returncode == 0, done.stderr
        assert "Cadangan sqlite ditulis" in done.stdout and "var/secret_key" in done.stdout
        before = [t for t, at in load.issued if at < began]
        print(f"{len(before)} tickets before the backup, {len(during)} during it, {len(load.issued)} in all")
        assert len(during) > 0, "the kiosk issued nothing while the backup ran: not a backup under load"

        # Private files: the database and its WAL, var/ (secret key), and the backup.
        db, var = source.workdir / "antre.db", source.workdir / "var"
        assert _mode(db) == 0o600 and _mode(var) == 0o700 and _mode(var / "secret_key") == 0o600
        assert _mode(out) == 0o600 and not list(out.parent.glob(".antre-*"))  # no temporary file left
    finally:
        source.stop()

    target = ServerProcess(tmp_path / "restored", site_config(server__secret_key=""))
    (target.workdir / "var").mkdir(mode=0o700)
    (target.workdir / "var" / "secret_key").write_bytes((var / "secret_key").read_bytes())
    restored = target.cli("restore", str(out))
    assert restored.returncode == 0, restored.stderr
    assert _mode(target.workdir / "antre.db") == 0o600
    target.start()
    try:
        api = Api(target.url, kiosk)  # the kiosk's token came back with the accounts
        missing = [t for t, _ in load.issued if t in before and api.get(f"/tickets/{t}").status_code != 200]
        assert missing == [] and before
        assert api.post("/tickets", {"service": "KTP"}).status_code == 201  # a working site
        again = target.cli("restore", str(out))
        assert again.returncode == 1 and "situs kosong" in again.stderr  # never over a site in use
    finally:
        target.stop()
    assert "Traceback" not in target.log()

    not_backup = tmp_path / "catatan.txt"
    not_backup.write_text("bukan cadangan")
    refused = ServerProcess(tmp_path / "other", site_config()).cli("restore", str(not_backup))
    assert refused.returncode == 1 and "bukan berkas cadangan" in refused.stderr


NIK, PHONE = "6472051203900071", "081298765432"


def test_the_logs_of_a_booking_flow_hold_no_nik_and_no_phone_number(tmp_path):
    raw = site_config(server__log_format="json")
    raw["booking"].update(places={}, services={}, rate_limit="",
                          sessions=[{"name": "Hari", "start": "00:00", "end": "24:00", "quota": 5}])
    server = ServerProcess(tmp_path / "srv", raw).start()
    try:
        kiosk = Api(server.url, server.add_device("kios-1"))
        today = datetime.now(ZoneInfo("Asia/Makassar")).date().isoformat()
        api = Api(server.url)
        booked = api.post("/bookings", {"service": "KTP", "date": today, "session": "hari", "name": "Siti Aminah",
                                        "nik": NIK, "phone": PHONE, "consent": True})
        assert booked.status_code == 201, booked.text
        code = booked.json()["code"]
        assert api.post("/bookings", {"service": "KTP", "date": today, "session": "hari", "name": "Siti Aminah",
                                      "nik": NIK, "phone": PHONE, "consent": True}).status_code == 409
        assert api.post("/bookings/lookup", {"code": code, "nik_last4": NIK[-4:]}).status_code == 200
        assert api.post("/bookings", {"service": "KTP", "date": today, "session": "hari", "name": "X",
                                      "nik": NIK[:-1], "phone": "+62" + PHONE[1:], "consent": True}).status_code == 422
        assert kiosk.post(f"/bookings/{code}/check-in").status_code == 201
        # Personal data typed into a URL by mistake still never reaches a log line.
        requests.get(f"{server.url}/api/v1/bookings/{NIK}?phone={PHONE}", timeout=10)
        requests.get(f"{server.url}/t/{NIK}", timeout=10)
        # Today's booking is within [booking] retain_days: the command line erases nothing (and says so).
        dry = server.cli("retention", "--dry-run")
        assert dry.returncode == 0 and dry.stdout.startswith("0 booking akan dihapus"), dry.stderr
        assert server.cli("retention").stdout.startswith("Data pribadi 0 booking")
    finally:
        server.stop()
    log = server.log()
    assert "Antre berjalan" in log  # the log was written at all
    for secret in (NIK, PHONE, PHONE[1:], "+62" + PHONE[1:], NIK[:-1]):
        assert secret not in log, f"{secret} in the server log"
    lines = [line for line in log.splitlines() if line.startswith("{")]
    assert lines and all(json.loads(line)["level"] for line in lines)  # [server] log_format = "json"
