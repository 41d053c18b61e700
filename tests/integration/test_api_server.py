"""The REST API against a real server subprocess on loopback, on SQLite and on PostgreSQL."""

import pytest
import requests

from support import Api, ServerProcess, drop_pg_database, fresh_pg_database, site_config


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    url = admin = None
    if request.param == "postgresql":
        admin = request.getfixturevalue("pg_url")
        url = fresh_pg_database(admin)
    proc = ServerProcess(tmp_path_factory.mktemp(request.param), site_config(), database_url=url).start()
    proc.kiosk_token = proc.add_device("kiosk-1", "kiosk")
    proc.add_clerk("siti", "L04", "L05")
    proc.add_clerk("budi", "L06")
    yield proc
    proc.stop()
    if url:
        drop_pg_database(admin, url)


@pytest.fixture
def kiosk(server):
    return Api(server.url, server.kiosk_token)


@pytest.fixture
def siti(server):
    return Api(server.url).login("siti", "rahasia-123")


def drain(api, counter):
    """Serve everybody waiting at `counter` so each test starts from an empty line."""
    state = api.get(f"/counters/{counter}").json()
    if state["current"]:
        if state["current"]["status"] == "called":
            api.post(f"/counters/{counter}/skip")
        else:
            api.post(f"/counters/{counter}/finish")
    while api.post(f"/counters/{counter}/call-next").status_code == 200:
        api.post(f"/counters/{counter}/skip")


def test_health_and_openapi_document(server):
    assert requests.get(f"{server.url}/api/v1/health", timeout=5).json() == {"status": "ok"}
    spec = requests.get(f"{server.url}/api/v1/openapi.json", timeout=5).json()
    assert spec["openapi"].startswith("3.") and "/tickets" in spec["paths"] and "/counters/{code}/call-next" in spec["paths"]


def test_services_list_has_the_contract_fields(server):
    services = requests.get(f"{server.url}/api/v1/services", timeout=5).json()
    ktp = next(s for s in services if s["code"] == "KTP")
    assert {"code", "name", "agency", "prefix", "open_now", "waiting", "eta_minutes"} <= ktp.keys()
    assert ktp["open_now"] is True and ktp["prefix"] == "D"


def test_kiosk_issues_a_ticket_with_the_contract_fields(kiosk, siti):
    drain(siti, "L04")
    r = kiosk.post("/tickets", {"service": "AKTA", "priority": "lansia"})
    assert r.status_code == 201
    t = r.json()
    assert {"id", "number", "service", "status", "priority", "ahead", "eta_minutes", "issued_at", "token",
            "status_url"} <= t.keys()
    assert t["number"].startswith("F") and len(t["number"]) == 4 and t["status"] == "waiting"
    assert t["issued_at"].endswith("+08:00") and t["status_url"].endswith("/t/" + t["token"])
    assert kiosk.get(f"/tickets/{t['token']}").json()["number"] == t["number"]


def test_idempotency_key_returns_the_same_ticket(kiosk):
    first = kiosk.post("/tickets", {"service": "KK"}, headers={"Idempotency-Key": "kiosk-1-abc"})
    again = kiosk.post("/tickets", {"service": "KK"}, headers={"Idempotency-Key": "kiosk-1-abc"})
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]


@pytest.mark.parametrize("body, kwargs, status, code", [
    (None, {"data": "{not json", "headers": {"Content-Type": "application/json"}}, 400, "bad_json"),
    (None, {"data": "service=KTP", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 415,
     "unsupported_media_type"),
    ({}, {}, 422, "missing_field"),
    ({"service": 12}, {}, 422, "invalid_field"),
    ({"service": "X" * 500}, {}, 422, "invalid_field"),
    ({"service": "NOPE"}, {}, 404, "unknown_service"),
    ({"service": "KTP", "priority": "vip"}, {}, 422, "invalid_priority"),
])
def test_bad_input_gets_a_4xx_with_a_code(kiosk, body, kwargs, status, code):
    r = kiosk.s.post(kiosk.base + "/tickets", json=body, timeout=5, **kwargs) if body is not None else \
        kiosk.s.post(kiosk.base + "/tickets", timeout=5, **kwargs)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code and r.json()["error"]["message"]


def test_tickets_need_a_kiosk_or_clerk_token(server):
    anonymous = Api(server.url)
    r = anonymous.post("/tickets", {"service": "KTP"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    r = Api(server.url, "not-a-token").post("/tickets", {"service": "KTP"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_token"


def test_the_whole_counter_flow(kiosk, siti):
    drain(siti, "L05")
    drain(siti, "L04")
    number = kiosk.post("/tickets", {"service": "KTP"}).json()["number"]
    called = siti.post("/counters/L05/call-next")
    assert called.status_code == 200 and called.json()["ticket"]["number"] == number
    assert called.json()["ticket"]["counter_name"] == "Loket 5"
    assert siti.post("/counters/L05/recall").json()["ticket"]["recalls"] == 1
    assert siti.post("/counters/L05/start").json()["ticket"]["status"] == "serving"
    assert siti.post("/counters/L05/finish").json()["ticket"]["status"] == "done"
    assert siti.post("/counters/L05/call-next").status_code == 204
    view = siti.get("/counters/L05").json()
    assert view["current"] is None and view["today"]["served"] >= 1


def test_skip_recall_and_transfer(kiosk, siti, server):
    drain(siti, "L05")
    number = kiosk.post("/tickets", {"service": "KTP"}).json()["number"]
    siti.post("/counters/L05/call-next")
    assert siti.post("/counters/L05/skip").json()["ticket"]["status"] == "skipped"
    assert number in [t["number"] for t in siti.get("/counters/L05").json()["skipped"]]
    assert siti.post("/counters/L05/recall", {"number": number}).json()["ticket"]["status"] == "called"
    moved = siti.post("/counters/L05/transfer", {"service": "AKTA"}).json()["ticket"]
    assert (moved["number"], moved["service"], moved["status"]) == (number, "AKTA", "waiting")
    budi = Api(server.url).login("budi", "rahasia-123")
    drain_to = [budi.post("/counters/L06/call-next").json()["ticket"]["number"]]
    while drain_to[-1] != number:  # earlier AKTA tickets of other tests are ahead by arrival
        budi.post("/counters/L06/skip")
        drain_to.append(budi.post("/counters/L06/call-next").json()["ticket"]["number"])
    budi.post("/counters/L06/skip")


def test_illegal_actions_are_409_with_a_code(siti):
    drain(siti, "L05")
    r = siti.post("/counters/L05/finish")
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_current_ticket"


def test_a_clerk_cannot_work_at_a_counter_not_assigned(siti):
    r = siti.post("/counters/L10/call-next")
    assert r.status_code == 403 and r.json()["error"]["code"] == "counter_not_assigned"
    assert [c["code"] for c in siti.get("/counters").json()] == ["L04", "L05"]


def test_wrong_password_is_401_and_logout_revokes_the_token(server):
    r = requests.post(f"{server.url}/api/v1/auth/token", json={"username": "siti", "password": "salah"}, timeout=5)
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_credentials"
    api = Api(server.url).login("siti", "rahasia-123")
    assert api.get("/auth/me").json()["counters"] == ["L04", "L05"]
    assert api.post("/auth/logout").status_code == 200
    assert api.get("/auth/me").status_code == 401


def test_first_start_printed_an_admin_password_that_works(server):
    admin = Api(server.url).login("admin", server.admin_password())
    assert admin.get("/auth/me").json()["role"] == "admin"


def test_unknown_paths_and_methods_are_json_errors(server):
    r = requests.get(f"{server.url}/api/v1/nope", timeout=5)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = requests.delete(f"{server.url}/api/v1/services", timeout=5)
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"


def test_unprinted_ticket_can_be_reported_and_listed(kiosk, siti):
    t = kiosk.post("/tickets", {"service": "KK"}).json()
    r = kiosk.post(f"/tickets/{t['token']}/printed", {"printed": False, "reason": "paper_out"})
    assert r.status_code == 200 and r.json()["printed"] is False
    assert t["number"] in [u["number"] for u in siti.get("/tickets/unprinted").json()]
    assert siti.post(f"/tickets/{t['token']}/reprint").status_code == 202
    assert kiosk.post("/devices/me/state", {"printer": "paper_out"}).json() == {"printer": "paper_out"}
    assert kiosk.post("/devices/me/state", {"printer": "burning"}).status_code == 422


def test_server_log_has_no_traceback(server):
    assert "Traceback" not in server.log()


def test_login_is_rate_limited_per_address(tmp_path):
    raw = site_config()
    raw["server"]["login_rate_limit"] = "3/minute"
    server = ServerProcess(tmp_path, raw).start()
    try:
        codes = [requests.post(f"{server.url}/api/v1/auth/token", json={"username": "x", "password": "y"},
                               timeout=5).status_code for _ in range(4)]
        assert codes == [401, 401, 401, 429]
    finally:
        server.stop()


def test_the_front_page_links_the_clerk_terminal_and_booking(server):
    r = requests.get(f"{server.url}/", timeout=5)
    assert r.status_code == 200 and "Loket Petugas" in r.text
    assert 'href="/counter/login"' in r.text and 'href="/booking"' in r.text
