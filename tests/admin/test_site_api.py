"""The site administration REST API against a real server subprocess: create, change, retire, roles, bad input."""

from __future__ import annotations

import pytest

from support import Api, ServerProcess, site_config

SERVICE = {"code": "KTP-LANSIA", "agency": "DUKCAPIL", "name": "KTP-el Lansia", "prefix": "LA", "open": "00:00",
           "close": "24:00", "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "daily_quota": 0}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    proc = ServerProcess(tmp_path_factory.mktemp("site-api"), site_config()).start()
    done = proc.cli("user", "add", "sari", "--role", "supervisor", "--agency", "DUKCAPIL", stdin="rahasia-123\n")
    assert done.returncode == 0, done.stderr
    proc.add_clerk("siti", "L04")
    proc.kiosk_token = proc.add_device("kiosk-1", "kiosk")
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def admin(server):
    return Api(server.url).login("admin", server.admin_password())


@pytest.fixture(scope="module")
def sari(server):
    return Api(server.url).login("sari", "rahasia-123")


def call(api, method, path, json=None):
    return api.s.request(method, api.base + path, json=json, timeout=10)


def document(api):
    return call(api, "GET", "/site/export").text


def test_an_admin_creates_an_agency_a_service_and_a_counter_and_the_kiosk_lists_the_service(admin, server):
    assert call(admin, "POST", "/agencies", {"code": "BAPENDA", "name": "Badan Pendapatan Daerah"}).status_code == 201
    made = call(admin, "POST", "/services", SERVICE | {"code": "PBB", "agency": "BAPENDA", "prefix": "PP"})
    assert made.status_code == 201, made.text
    assert made.json()["retired"] is False
    counter = call(admin, "POST", "/counters", {"code": "L90", "name": "Loket PBB", "services": ["PBB"]})
    assert counter.status_code == 201, counter.text
    assert "PBB" in [s["code"] for s in Api(server.url, server.kiosk_token).get("/services").json()]
    assert call(admin, "GET", "/site/counters/L90").json()["services"] == ["PBB"]
    audit = call(admin, "GET", "/audit?object=counter:L90").json()
    assert [(e["user"], e["action"]) for e in audit] == [("admin", "create")] and audit[0]["at"].endswith("+08:00")


@pytest.mark.parametrize(("method", "path", "body", "field"), [
    ("POST", "/services", SERVICE | {"prefix": "D"}, "prefix"),
    ("POST", "/services", SERVICE | {"open": "12:00", "close": "08:00"}, "close"),
    ("POST", "/services", SERVICE | {"agency": "TIDAKADA"}, "agency"),
    ("POST", "/counters", {"code": "L91", "name": "Loket 91", "services": []}, "services"),
    ("POST", "/agencies", {"code": "DUKCAPIL", "name": "Lagi"}, "code"),
    ("PATCH", "/services/KTP", {"open": "13:00", "close": "12:00"}, "close"),
    ("POST", "/holidays", {"date": "31-12-2026", "name": "Salah"}, "date"),
    ("PATCH", "/counters/L01", {"hours": [["12:00", "08:00"]]}, "hours"),
    ("PATCH", "/counters/L01", {"hours": [["08:00"]]}, "hours"),
])
def test_bad_input_is_422_naming_the_field_and_changes_nothing(admin, method, path, body, field):
    before = document(admin)
    r = call(admin, method, path, body)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"]["field"] == field and r.json()["error"]["message"]
    assert document(admin) == before


OTHER_AGENCY = [  # DPMPTSP's service NIB and counter L01 (NIB, NONUSAHA), IMIGRASI's booking sessions
    ("GET", "/services/NIB", None), ("GET", "/site/services/NIB", None),
    ("PATCH", "/services/NIB", {"name": "x"}), ("DELETE", "/services/NIB", None),
    ("POST", "/services", SERVICE | {"code": "X1", "agency": "DPMPTSP", "prefix": "XA"}),
    ("GET", "/site/counters/L01", None), ("PATCH", "/counters/L01", {"name": "x"}), ("DELETE", "/counters/L01", None),
    ("POST", "/counters", {"code": "X2", "name": "X", "services": ["NIB"]}),
    ("GET", "/agencies/DPMPTSP", None), ("PATCH", "/agencies/DPMPTSP", {"name": "x"}),
    ("DELETE", "/agencies/DPMPTSP", None), ("POST", "/agencies", {"code": "X3", "name": "X"}),
    ("GET", "/booking-sessions/service:PASPOR", None),
    ("PATCH", "/booking-sessions/service:PASPOR", {"enabled": False}),
    ("DELETE", "/booking-sessions/service:PASPOR", None),
    ("PUT", "/display/ticker", {"ticker": "x"}), ("POST", "/holidays", {"date": "2026-12-30", "name": "x"}),
    ("GET", "/site/export", None), ("POST", "/site/import", None),
]


def test_a_supervisor_of_one_agency_gets_403_on_every_endpoint_for_another_agencys_objects(admin, sari):
    before = document(admin)
    for method, path, body in OTHER_AGENCY:
        r = call(sari, method, path, body)
        assert r.status_code == 403, (method, path, r.status_code, r.text)
    assert document(admin) == before
    for kind in ("services", "counters", "agencies"):
        listed = call(sari, "GET", f"/site/{kind}").json()
        assert listed and all("DPMPTSP" not in str(x) and "NIB" not in str(x) for x in listed), kind
    assert call(sari, "GET", "/audit?object=service:NIB").json() == []


def test_a_supervisor_manages_their_own_agencys_services_and_counters(sari):
    assert call(sari, "POST", "/services", SERVICE).status_code == 201
    assert call(sari, "PATCH", "/counters/L05", {"services": ["KTP", "KTP-LANSIA"]}).status_code == 200
    assert call(sari, "PATCH", "/services/KTP-LANSIA", {"daily_quota": 15}).json()["daily_quota"] == 15
    assert [e["object"] for e in call(sari, "GET", "/audit?limit=2").json()] == ["service:KTP-LANSIA", "counter:L05"]


def test_a_clerk_gets_403(server):
    siti = Api(server.url).login("siti", "rahasia-123")
    assert call(siti, "GET", "/agencies").status_code == 403
    assert call(siti, "POST", "/services", SERVICE | {"code": "Y"}).status_code == 403


def test_retiring_a_service_keeps_it_in_the_document_and_its_tickets(admin, server):
    assert call(admin, "POST", "/services", SERVICE | {"code": "SEMENTARA", "prefix": "SM"}).status_code == 201
    kiosk = Api(server.url, server.kiosk_token)
    ticket = kiosk.post("/tickets", {"service": "SEMENTARA"}).json()
    assert call(admin, "DELETE", "/services/SEMENTARA").status_code == 409  # a ticket still waits
    assert kiosk.post(f"/tickets/{ticket['token']}/cancel").status_code == 200
    retired = call(admin, "DELETE", "/services/SEMENTARA")
    assert retired.status_code == 200 and retired.json()["retired"] is True
    assert call(admin, "GET", "/site/services/SEMENTARA").json()["retired"] is True
    assert "SEMENTARA" not in [s["code"] for s in kiosk.get("/services").json()]
    assert kiosk.get(f"/tickets/{ticket['token']}").json()["number"] == ticket["number"]
    assert "retired = true" in document(admin)


def test_the_display_ticker_and_booking_sessions_are_read_and_changed(admin):
    assert call(admin, "PUT", "/display/ticker", {"ticker": "Selamat datang!"}).json()["ticker"] == "Selamat datang!"
    assert call(admin, "GET", "/display/ticker").json()["ticker"] == "Selamat datang!"
    sessions = [{"name": "Pagi", "start": "08:00", "end": "09:00", "quota": 4}]
    r = call(admin, "POST", "/booking-sessions", {"key": "service:KK", "sessions": sessions})
    assert r.status_code == 201, r.text
    assert {"key": "service:KK", "sessions": sessions} in call(admin, "GET", "/booking-sessions").json()
    assert call(admin, "DELETE", "/booking-sessions/service:KK").status_code == 200
