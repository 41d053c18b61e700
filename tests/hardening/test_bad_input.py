"""Issue 17's hand-made bad inputs against a real server subprocess (SQLite and PostgreSQL): a 1,000-deep JSON body,
lone surrogates and NUL in every field that once gave a 500, in a path and a query string and a booking form, and
in a Socket.IO `auth` token. Each is a 4xx with a code and an Indonesian message; the log shows no traceback."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests
import socketio
import websocket

from support import Api, ServerProcess, drop_pg_database, fresh_pg_database, site_config

SURROGATE = "\ud800"  # json.dumps writes it as the escape "\ud800": valid JSON syntax, not storable text
DEEP = ("[" * 1000 + "]" * 1000).encode()  # the finding's 1,000-deep body (a RecursionError before)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    url = admin = None
    if request.param == "postgresql":
        admin = request.getfixturevalue("pg_url")
        url = fresh_pg_database(admin)
    raw = site_config()
    raw["booking"].update(rate_limit="", places={}, services={},
                          sessions=[{"name": "Hari", "start": "00:00", "end": "24:00", "quota": 5}])
    proc = ServerProcess(tmp_path_factory.mktemp(request.param), raw, database_url=url).start()
    proc.kiosk = proc.add_device("kiosk-1", "kiosk")
    proc.add_clerk("siti", "L04", "L05")
    yield proc
    proc.stop()
    if url:
        drop_pg_database(admin, url)
    assert "Traceback" not in proc.log(), proc.log()[-3000:]


@pytest.fixture
def kiosk(server):
    return Api(server.url, server.kiosk)


@pytest.fixture
def siti(server):
    return Api(server.url).login("siti", "rahasia-123")


def refused(r: requests.Response, status: int | tuple[int, ...] = (400, 422), code: str | None = None) -> dict:
    """The answer is the API's JSON error with a 4xx status (never a 500 or an HTML page)."""
    statuses = (status,) if isinstance(status, int) else status
    assert r.status_code in statuses, (r.status_code, r.text[:300])
    assert r.headers["Content-Type"].startswith("application/json"), r.text[:300]
    error = r.json()["error"]
    assert error["code"] and error["message"]
    if code:
        assert error["code"] == code, error
    return error


def today() -> str:
    return datetime.now(ZoneInfo("Asia/Makassar")).date().isoformat()


@pytest.mark.parametrize("path", ["/bookings", "/tickets", "/auth/token", "/counters/L04/transfer"])
def test_a_1000_deep_json_body_is_refused_before_parsing_without_authentication(server, path):
    r = requests.post(f"{server.url}/api/v1{path}", data=DEEP, headers={"Content-Type": "application/json"},
                      timeout=10)
    error = refused(r, 400, "json_too_deep")
    assert "bersarang" in error["message"]


def test_a_body_over_the_size_limit_is_413_json(server):
    r = requests.post(f"{server.url}/api/v1/bookings", data=b'{"name": "' + b"a" * 70_000 + b'"}',
                      headers={"Content-Type": "application/json"}, timeout=10)
    refused(r, 413, "payload_too_large")


def test_brackets_inside_strings_are_not_nesting(server):
    r = requests.post(f"{server.url}/api/v1/auth/token", json={"username": "[" * 200, "password": "{" * 100},
                      timeout=10)
    refused(r, 401, "invalid_credentials")


@pytest.mark.parametrize("bad", [SURROGATE, "a\x00b"], ids=["surrogate", "nul"])
@pytest.mark.parametrize("field", ["username", "password"])
def test_bad_text_in_the_login_is_422(server, bad, field):
    body = {"username": "siti", "password": "rahasia-123"} | {field: bad}
    refused(requests.post(f"{server.url}/api/v1/auth/token", json=body, timeout=10), 422, "invalid_text")


@pytest.mark.parametrize("bad", [SURROGATE, "\x00"], ids=["surrogate", "nul"])
@pytest.mark.parametrize("field", ["service", "session", "name", "nik", "date"])
def test_bad_text_in_a_booking_is_422(server, bad, field):
    body = {"service": "KTP", "date": today(), "session": "hari", "name": "Budi Santoso",
            "nik": "6472051203900001", "consent": True} | {field: bad}
    error = refused(Api(server.url).post("/bookings", body), 422, "invalid_text")
    assert error["details"]["field"] == field


def test_bad_text_as_a_key_is_refused(server):
    refused(Api(server.url).post("/bookings", {SURROGATE: 1, "name": "x"}), 422, "invalid_text")


@pytest.mark.parametrize("bad", [SURROGATE, "\x00"], ids=["surrogate", "nul"])
def test_bad_text_in_a_booking_cancel_and_reschedule(server, bad):
    api = Api(server.url)
    refused(api.post("/bookings/ABC123/cancel", {"nik_last4": bad}), 422, "invalid_text")
    refused(api.post("/bookings/ABC123/reschedule", {"nik_last4": "0001", "date": today(), "session": bad}),
            422, "invalid_text")
    refused(api.post("/bookings/lookup", {"code": bad, "nik_last4": "0001"}), 422, "invalid_text")


def test_bad_text_in_a_device_state_and_a_ticket(server, kiosk, siti):
    refused(kiosk.post("/devices/me/state", {"printer": SURROGATE}), 422, "invalid_text")
    refused(kiosk.post("/devices/me/state", {SURROGATE: "ok"}), 422, "invalid_text")
    refused(kiosk.post("/tickets", {"service": SURROGATE}), 422, "invalid_text")
    refused(kiosk.post("/tickets", {"service": "KTP", "priority": "\x00"}), 422, "invalid_text")
    refused(siti.post("/counters/L04/transfer", {"service": SURROGATE}), 422, "invalid_text")
    refused(siti.post("/counters/L04/recall", {"number": "\x00"}), 422, "invalid_text")


def test_a_print_report_with_a_null_reason_is_no_500(server, kiosk):
    ticket = kiosk.post("/tickets", {"service": "KK"}).json()  # found by Schemathesis' stateful phase
    r = kiosk.post(f"/tickets/{ticket['token']}/printed", {"printed": False, "reason": None})
    assert r.status_code == 200 and r.json()["number"] == ticket["number"]


@pytest.mark.parametrize("path", ["/tickets/%00", "/tickets/%00/cancel", "/bookings/%00/cancel", "/counters/L04%0A"])
def test_nul_or_a_control_character_in_a_path_is_400(server, path):
    method = requests.get if path.count("/") == 2 else requests.post
    refused(method(f"{server.url}/api/v1{path}", timeout=10), 400, "invalid_text")


def test_an_id_past_the_databases_integers_is_404(server):
    admin = Api(server.url).login("admin", server.admin_password())
    for path in ("/survey/suggestions/8299436175171832586010970030080/follow-up", "/users/99999999999999999999/enable"):
        refused(admin.post(path, {"state": "baru", "reply": ""}), 404, "not_found")


def test_nul_in_a_query_string_is_400(server):
    refused(requests.get(f"{server.url}/api/v1/booking/slots", params={"service": "\x00", "date": today()},
                         timeout=10), 400, "invalid_text")


def test_nul_in_a_booking_form_is_a_plain_400_page(server):
    r = requests.post(f"{server.url}/booking/manage", data={"code": "AB\x00", "nik_last4": "0001"}, timeout=10)
    assert r.status_code == 400 and "Teks tidak valid" in r.text


def test_invalid_utf8_bytes_are_refused(server):
    r = requests.post(f"{server.url}/api/v1/auth/token", data=b'{"username": "\xed\xa0\x80", "password": "x"}',
                      headers={"Content-Type": "application/json"}, timeout=10)
    refused(r, (400, 422))


@pytest.mark.parametrize("namespace", ["/counter", "/kiosk", "/display", "/ticket", "/board", "/survey"])
@pytest.mark.parametrize("token", [SURROGATE, "a\x00", {"nested": [1]}, "x" * 5000], ids=["surrogate", "nul",
                                                                                        "object", "long"])
def test_a_socket_with_a_bad_auth_token_is_refused_cleanly(server, namespace, token):
    client = socketio.Client(reconnection=False)
    auth = {"token": token, "counter": SURROGATE}
    if namespace == "/display":  # public: a bad token counts as none, and the board still gets its snapshot
        client.connect(server.url, namespaces=[namespace], auth=auth, transports=["websocket"], wait_timeout=5)
        client.disconnect()
        return
    with pytest.raises(socketio.exceptions.ConnectionError) as refusal:
        client.connect(server.url, namespaces=[namespace], auth=auth, transports=["websocket"], wait_timeout=5)
    assert "Unexpected" not in str(refusal.value)
    client.disconnect()


@pytest.mark.parametrize(("method", "path", "allowed"), [("get", "/auth/token", {"POST"}),
                                                         ("delete", "/tickets", {"POST"}),
                                                         ("put", "/counters/L04/call-next", {"POST"})])
def test_405_says_which_methods_are_allowed(server, method, path, allowed):
    r = requests.request(method, f"{server.url}/api/v1{path}", timeout=10)
    refused(r, 405, "method_not_allowed")
    assert allowed <= {m.strip() for m in r.headers["Allow"].split(",")}


def raw_socket(server):
    """A bare Engine.IO WebSocket: packets exactly as an attacker writes them, past any client library's checks."""
    ws = websocket.create_connection(server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
                                     timeout=5)
    assert ws.recv().startswith("0{")
    return ws


def answers(ws, prefix: str) -> str:
    while True:
        message = ws.recv()
        if message.startswith(prefix):
            return message


@pytest.mark.parametrize("payload", ["[" * 5000 + "]" * 5000, json.dumps({"token": SURROGATE, "x": [SURROGATE]})],
                         ids=["5000-deep", "surrogate"])
def test_a_socket_event_with_a_deep_or_bad_text_payload_is_answered_as_without_one(server, siti, payload):
    ws = raw_socket(server)
    try:
        ws.send("40/counter," + json.dumps({"token": siti.token, "counter": "L04"}))
        answers(ws, "40/counter,{")
        ws.send(f'42/counter,7["snapshot",{payload}]')
        ack = json.loads(answers(ws, "43/counter,7")[len("43/counter,7"):])
        assert ack[0]["error"]["code"] == "invalid_token"  # the handler saw no token, not the payload
    finally:
        ws.close()


def test_a_socket_connect_with_a_deep_auth_is_refused(server):
    ws = raw_socket(server)
    try:
        ws.send("40/counter," + "[" * 5000 + "]" * 5000)
        refusal = json.loads(answers(ws, "44/counter,")[len("44/counter,"):])
        assert refusal["data"]["code"] == "unauthorized"
    finally:
        ws.close()
