"""The booking REST contract against a real server subprocess: create, refuse with clear codes, lookup masked,
cancel, check-in (201 then 200 with the same ticket), today's appointments for a clerk, the retired appointments
page, rate limit, honeypot, the NIK never in a log; and a bad [booking] config stopping `server run` with one line."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests
import tomli_w

from server.app import create_app
from server.config import config_from_dict
from support import ROOT, Api, ServerProcess, site_config

NIK = "6472051203900001"


def all_day(raw, **booking):
    raw["booking"].update(places={}, services={}, **booking,
                          sessions=[{"name": "Hari", "start": "00:00", "end": "24:00", "quota": 5}])
    return raw


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = ServerProcess(tmp_path_factory.mktemp("booking-api"), all_day(site_config(), rate_limit="")).start()
    with ThreadPoolExecutor(2) as pool:  # two CLI processes at once: half the wait
        kiosk = pool.submit(srv.add_device, "kiosk-1", "kiosk")
        pool.submit(srv.add_clerk, "rina", "L04").result()
        srv.kiosk = kiosk.result()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def today():
    return datetime.now(ZoneInfo("Asia/Makassar")).date().isoformat()


def body(today, **change):
    return {"service": "KTP", "date": today, "session": "hari", "name": "Budi Santoso", "nik": NIK,
            "phone": "081234567890", "consent": True} | change


def test_a_booking_is_created_and_a_second_for_the_same_nik_is_refused(server, today):
    api = Api(server.url)
    r = api.post("/bookings", body(today))
    assert r.status_code == 201, r.text
    b = r.json()
    assert {"code", "service", "date", "session", "status"} <= b.keys()
    assert (b["service"], b["date"], b["session"], b["status"]) == ("KTP", today, "hari", "booked")
    assert b["nik_masked"] == "6472********0001" and NIK not in r.text and b["nik_warnings"] == []
    again = api.post("/bookings", body(today))
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate_booking"
    slots = api.get(f"/booking/slots?service=KTP&date={today}").json()
    assert slots == [{"session": "hari", "name": "Hari", "start": "00:00", "end": "24:00", "quota": 5,
                      "remaining": 4, "available": True, "reason": None}]


@pytest.mark.parametrize("change, status, code", [
    ({"nik": "12345"}, 422, "invalid_nik"),
    ({"date": "30-11-2026"}, 422, "invalid_field"),
    ({"date": "2001-01-01"}, 422, "date_outside_window"),
    ({"consent": False}, 422, "consent_required"),
    ({"consent": "yes"}, 422, "invalid_field"),
    ({"service": "NOPE"}, 404, "unknown_service"),
    ({"website": "http://spam.example"}, 422, "rejected"),
])
def test_bad_bookings_are_refused_with_a_clear_code(server, today, change, status, code):
    r = Api(server.url).post("/bookings", body(today, nik="6472051203900099") | change)
    assert r.status_code == status and r.json()["error"]["code"] == code, r.text


def test_a_missing_field_is_named(server, today):
    r = Api(server.url).post("/bookings", {k: v for k, v in body(today).items() if k != "nik"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "missing_field" and "nik" in r.text


def test_lookup_cancel_and_check_in_follow_the_contract(server, today):
    api, kiosk = Api(server.url), Api(server.url, server.kiosk)
    code = api.post("/bookings", body(today, nik="6472051203900002", service="KK")).json()["code"]
    assert api.post("/bookings/lookup", {"code": code, "nik_last4": "1111"}).status_code == 404
    found = api.post("/bookings/lookup", {"code": code, "nik_last4": "0002"}).json()
    assert found["nik_masked"] == "************0002" and found["checkin_open"] is True

    assert api.post(f"/bookings/{code}/check-in").status_code == 401
    first = kiosk.post(f"/bookings/{code}/check-in")
    assert first.status_code == 201 and first.json()["source"] == "online", first.text
    again = kiosk.post(f"/bookings/{code}/check-in")
    assert again.status_code == 200 and again.json()["token"] == first.json()["token"]
    assert {"id", "number", "service", "status", "priority", "ahead", "eta_minutes", "issued_at", "token",
            "status_url"} <= first.json().keys()
    refused = api.post(f"/bookings/{code}/cancel", {"nik_last4": "0002"})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "booking_not_active"

    other = api.post("/bookings", body(today, nik="6472051203900003", service="KK")).json()["code"]
    assert api.post(f"/bookings/{other}/cancel", {"nik_last4": "0003"}).json()["status"] == "cancelled"
    slot = api.get(f"/booking/slots?service=KK&date={today}").json()[0]
    assert slot["remaining"] == 4  # one checked in, one cancelled and freed


def test_a_clerk_sees_todays_appointments_with_masked_data(server, today):
    api = Api(server.url)
    api.post("/bookings", body(today, nik="6472051203900004", name="Ani Lestari"))
    clerk = Api(server.url).login("rina", "rahasia-123")
    rows = clerk.get("/bookings/today").json()
    ani = next(r for r in rows if r["name"] == "Ani Lestari")
    assert ani["nik_masked"] == "************0004" and ani["phone_masked"] == "+62812*****890"
    assert clerk.get("/bookings/today?agency=KEL-SIDODADI").status_code == 403
    assert api.get("/bookings/today").status_code == 401


def test_dates_and_places_describe_what_can_be_booked(server):
    api = Api(server.url)
    places = api.get("/booking/places").json()
    assert [p["kind"] for p in places][:1] == ["mpp"] and len([p for p in places if p["kind"] == "kelurahan"]) == 3
    nikah = next(s for p in places for s in p["services"] if s["code"] == "SDD-NIKAH")
    assert nikah["requirements"] and nikah["fee"] == "Gratis"
    dates = api.get("/booking/dates?service=KTP").json()
    assert len(dates) == 15 and all(d["open"] for d in dates)
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/bookings", "/booking/slots", "/bookings/{code}/check-in", "/bookings/today"} <= paths.keys()


def test_the_retired_appointments_page_sends_the_clerk_to_the_counter_terminal(server):
    moved = requests.get(f"{server.url}/kelurahan/appointments", allow_redirects=False, timeout=10)
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/counter/")
    landed = requests.get(f"{server.url}/kelurahan/appointments", timeout=10)
    assert landed.status_code == 200 and "/counter/login" in landed.url
    assert requests.get(f"{server.url}/static/booking/appointments.js", timeout=10).status_code == 404


def test_the_nik_never_reaches_the_server_log(server):
    assert NIK not in server.log() and "6472051203900002" not in server.log()


def test_booking_calls_are_rate_limited_per_address(tmp_path, today):
    raw = all_day(site_config(), rate_limit="3/minute")
    raw["server"]["async_mode"] = "threading"
    raw["storage"]["url"] = f"sqlite:///{tmp_path / 'antre.db'}"
    app, _ = create_app(config_from_dict(raw))  # in-process: the limiter is the same, the start is faster
    client = app.test_client()
    answers = [client.post("/api/v1/bookings", json=body(today, nik=f"647205120390001{n}")).status_code
               for n in range(3)]
    assert answers == [201, 201, 201]
    limited = client.post("/api/v1/bookings/lookup", json={"code": "ABCDEF", "nik_last4": "0001"})
    assert limited.status_code == 429 and limited.json["error"]["code"] == "rate_limited"
    assert client.get("/api/v1/booking/dates?service=KTP").status_code == 200  # reading is not limited
    page = client.post("/booking/manage", data={"code": "ABCDEF", "last4": "0001"})
    assert page.status_code == 429 and "Terlalu banyak permintaan" in page.get_data(as_text=True)
    other = client.post("/api/v1/bookings/lookup", json={"code": "ABCDEF", "nik_last4": "0001"},
                        environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 404  # another address has its own allowance


def test_a_bad_booking_config_stops_the_server_with_one_line(tmp_path):
    raw = site_config()
    raw["booking"]["window_days"] = "two weeks"
    raw["storage"]["url"] = f"sqlite:///{tmp_path / 'antre.db'}"
    path = tmp_path / "config.toml"
    path.write_text(tomli_w.dumps(raw))
    done = subprocess.run([sys.executable, "-m", "server", "run", "--config", str(path)], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    last = done.stderr.strip().splitlines()[-1]
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert last.startswith("antre: error: ") and "[booking]: 'window_days' must be a whole number" in last
