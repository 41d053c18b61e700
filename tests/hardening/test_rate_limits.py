"""Issue 17's rate-limit findings: one Flask-Limiter setup for every login and booking write. Failed logins count
per username whatever the address (20 addresses get no 20 × the tries) and per address; the API, the counter
terminal and the console share the buckets; a correct password from an address only limited for another username
works; X-Forwarded-For counts only behind a configured proxy; bookings are limited per NIK hash and per booking
code as well as per address; and two processes on Redis share one budget."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests

from server.app import create_app
from server.config import config_from_dict
from server.domain.accounts import Principal
from server.rate_limits import scaled, storage_uri
from server.services import admin_accounts
from support import ServerProcess, drop_pg_database, fresh_pg_database, redis_db, site_config

SYSTEM = Principal("system", "test", "admin")
PASSWORD = "rahasia-123"


def make_app(tmp_path, name="antre", **server):
    raw = site_config()
    raw["server"].update(async_mode="threading", login_rate_limit="3/minute", **server)
    raw["storage"]["url"] = f"sqlite:///{tmp_path / (name + '.db')}"
    raw["booking"].update(rate_limit="3/minute", places={}, services={},
                          sessions=[{"name": "Hari", "start": "00:00", "end": "24:00", "quota": 50}])
    app, _ = create_app(config_from_dict(raw))
    ctx = app.extensions["antre"]
    for user in ("siti", "budi"):
        admin_accounts.create_user(ctx, SYSTEM, user, "clerk", PASSWORD, counters=["L04"])
    return app


def login(client, username, password, address="10.0.0.1", **headers):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers).status_code


def test_the_limit_and_storage_helpers():
    assert scaled("10/minute", 5) == "50/minute" and scaled("3 per hour", 2) == "6/hour"
    assert storage_uri("redis://127.0.0.1:6390/2") == "redis://127.0.0.1:6390/2" and storage_uri("") == "memory://"


def test_failed_logins_count_per_username_whatever_the_address(tmp_path):
    client = make_app(tmp_path).test_client()
    answers = [login(client, "siti", "salah-sandi", f"10.0.1.{n}") for n in range(20)]
    assert answers[:3] == [401, 401, 401] and set(answers[3:]) == {429}  # not 20 × 3 tries
    assert login(client, "siti", PASSWORD, "10.0.1.99") == 429  # the account is held for the window
    held = client.post("/api/v1/auth/token", json={"username": "siti", "password": PASSWORD})
    assert held.json["error"]["code"] == "rate_limited" and int(held.headers["Retry-After"]) > 0
    # The address that failed for siti is not itself limited: budi's correct password from it works.
    assert login(client, "budi", PASSWORD, "10.0.1.0") == 200
    # The counter terminal and the console share siti's bucket (the limit answers before the form is read).
    assert client.post("/counter/login", data={"username": "siti", "password": "x"}).status_code == 429
    assert client.post("/admin/login", data={"username": "SITI ", "password": "x"}).status_code == 429
    assert client.get("/counter/login").status_code == 200  # reading the form is never limited


def test_one_address_failing_for_many_usernames_is_limited_too(tmp_path):
    client = make_app(tmp_path).test_client()
    answers = [login(client, f"tamu{n}", "salah-sandi", "10.0.2.1") for n in range(16)]
    assert answers[:15] == [401] * 15 and answers[15] == 429  # 5 × the per-username rate
    assert login(client, "budi", PASSWORD, "10.0.2.1") == 429
    assert login(client, "budi", PASSWORD, "10.0.2.2") == 200  # another address is not


def test_x_forwarded_for_counts_only_behind_a_configured_proxy(tmp_path):
    direct = make_app(tmp_path, "direct").test_client()
    forged = [login(direct, f"orang{n}", "x", "10.0.3.1", **{"X-Forwarded-For": f"192.0.2.{n}"}) for n in range(16)]
    assert forged[-1] == 429  # a forged header does not make 16 addresses out of one
    proxied = make_app(tmp_path, "proxied", proxies=1).test_client()
    behind = [login(proxied, f"orang{n}", "x", "10.0.3.1", **{"X-Forwarded-For": f"192.0.2.{n}"}) for n in range(16)]
    assert set(behind) == {401}  # behind nginx each visitor is their own address


def test_bookings_are_limited_per_nik_hash_and_per_booking_code(tmp_path):
    client = make_app(tmp_path).test_client()
    day = datetime.now(ZoneInfo("Asia/Makassar")).date().isoformat()
    body = {"service": "KTP", "date": day, "session": "hari", "name": "Budi", "nik": "6472051203900001",
            "consent": True}
    answers = [client.post("/api/v1/bookings", json=body, environ_base={"REMOTE_ADDR": f"10.0.4.{n}"}).status_code
               for n in range(4)]
    assert answers[0] == 201 and answers[3] == 429  # one NIK from four addresses
    assert client.post("/api/v1/bookings", json=body | {"nik": "6472051203900002"},
                       environ_base={"REMOTE_ADDR": "10.0.4.9"}).status_code == 201  # another NIK is not held
    guesses = [client.post("/api/v1/bookings/lookup", json={"code": "ABCDEF", "nik_last4": f"{n:04d}"},
                           environ_base={"REMOTE_ADDR": f"10.0.5.{n}"}).status_code for n in range(4)]
    assert guesses == [404, 404, 404, 429]  # guessing one code's last 4 digits from many addresses
    cancel = client.post("/api/v1/bookings/ABCDEF/cancel", json={"nik_last4": "0009"},
                         environ_base={"REMOTE_ADDR": "10.0.5.50"})
    assert cancel.status_code == 429 and cancel.json["error"]["code"] == "rate_limited"


@pytest.mark.slow
def test_two_processes_on_redis_share_one_login_budget(tmp_path, pg_url, redis):
    url = fresh_pg_database(pg_url)
    raw = site_config(server__login_rate_limit="3/minute")
    procs = [ServerProcess(tmp_path / name, raw, database_url=url, message_queue=redis_db(redis, 12)).start()
             for name in ("one", "two")]
    try:
        user = f"tamu-{uuid.uuid4().hex[:8]}"

        def attempt(proc):
            return requests.post(f"{proc.url}/api/v1/auth/token", json={"username": user, "password": "x"},
                                 timeout=10).status_code

        answers = [attempt(procs[0]), attempt(procs[1]), attempt(procs[0]), attempt(procs[1])]
        assert answers == [401, 401, 401, 429]  # not 3 per process
        assert requests.post(f"{procs[1].url}/api/v1/auth/token", json={"username": "admin",
                             "password": procs[0].admin_password()}, timeout=10).status_code == 200
    finally:
        for p in procs:
            p.stop()
        drop_pg_database(pg_url, url)
    assert "Traceback" not in procs[0].log() + procs[1].log()
