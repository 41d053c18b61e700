"""Account administration over REST against a real server subprocess: users and devices, a supervisor's 403 on
another agency's objects, 401 on the next request after disabling or revoking, and the revoked kiosk's socket
closed within 2 s."""

import threading
import time

import pytest
from realtime_client import Recorder

from support import PASSWORD, Api, ServerProcess, site_config

CLOSE_WITHIN_SECS = 2.0


class Client(Api):
    def patch(self, path, json=None):
        return self.s.patch(self.base + path, json=json, timeout=10)

    def delete(self, path):
        return self.s.delete(self.base + path, timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    proc = ServerProcess(tmp_path_factory.mktemp("accounts"), site_config()).start()
    yield proc
    proc.stop()
    assert "Traceback" not in proc.log()


@pytest.fixture(scope="module")
def root(server):
    return Client(server.url).login("admin", server.admin_password())


@pytest.fixture(scope="module")
def staff(server, root):
    """A DUKCAPIL supervisor, a DUKCAPIL clerk (L04), a POLRI clerk (L11) and survey tablets at L04 and L11."""
    ids = {}
    for body in ({"username": "kepala", "role": "supervisor", "agencies": ["DUKCAPIL"]},
                 {"username": "siti", "role": "clerk", "counters": ["L04"]},
                 {"username": "budi", "role": "clerk", "counters": ["L11"]}):
        r = root.post("/users", body | {"password": PASSWORD})
        assert r.status_code == 201, r.text
        ids[body["username"]] = r.json()["id"]
    for name, counter in (("survei-l04", "L04"), ("survei-l11", "L11")):
        r = root.post("/devices", {"name": name, "kind": "survey", "counter": counter})
        assert r.status_code == 201, r.text
        ids[name] = r.json()["id"]
    return ids


@pytest.fixture(scope="module")
def kepala(server, staff):
    return Client(server.url).login("kepala", PASSWORD)


def test_an_admin_lists_every_user_without_any_password_or_hash(root, staff):
    users = root.get("/users").json()
    assert {u["username"] for u in users} >= {"admin", "kepala", "siti", "budi"}
    kepala = next(u for u in users if u["username"] == "kepala")
    assert kepala["role"] == "supervisor" and kepala["agencies"] == ["DUKCAPIL"] and kepala["active"] is True
    assert set(kepala) == {"id", "username", "role", "active", "counters", "agencies", "last_login"}


def test_a_supervisor_sees_only_their_agencys_clerks_and_devices(kepala, staff):
    assert [u["username"] for u in kepala.get("/users").json()] == ["siti"]
    names = {d["name"] for d in kepala.get("/devices").json()}
    assert "survei-l04" in names and "survei-l11" not in names


@pytest.mark.parametrize("method, path, body", [
    ("patch", "/users/{budi}", {"counters": ["L04"]}),
    ("post", "/users/{budi}/disable", None),
    ("post", "/users/{budi}/enable", None),
    ("post", "/users/{budi}/password", {"password": "sandi-baru-99"}),
    ("post", "/users", {"username": "rina", "role": "clerk", "password": PASSWORD, "counters": ["L11"]}),
    ("delete", "/devices/{survei-l11}", None),
    ("post", "/devices", {"name": "survei-l05", "kind": "survey", "counter": "L05"}),
])
def test_a_supervisor_gets_403_on_another_agencys_users_and_devices(kepala, staff, method, path, body):
    url = path.replace("{budi}", str(staff["budi"])).replace("{survei-l11}", str(staff["survei-l11"]))
    call = getattr(kepala, method)
    r = call(url) if method == "delete" else call(url, body)
    assert r.status_code == 403, r.text
    assert r.json()["error"]["code"] in ("forbidden", "other_agency")


def test_a_clerk_and_an_anonymous_caller_are_kept_out(server, staff):
    assert Client(server.url).get("/users").status_code == 401
    siti = Client(server.url).login("siti", PASSWORD)
    assert siti.get("/users").status_code == 403 and siti.get("/devices").status_code == 403


def test_bad_input_is_a_422_naming_the_field(root, staff):
    cases = [({"username": "joko", "role": "boss", "password": PASSWORD}, "role"),
             ({"username": "joko", "role": "clerk", "password": PASSWORD, "counters": "L04"}, "counters"),
             ({"username": "joko", "role": "clerk", "password": PASSWORD, "counters": ["L99"]}, "counters"),
             ({"username": "joko", "role": "clerk", "password": "pendek"}, "password"),
             ({"username": "Joko Besar", "role": "clerk", "password": PASSWORD}, "username")]
    for body, field in cases:
        r = root.post("/users", body)
        assert r.status_code == 422 and r.json()["error"]["details"]["field"] == field, (body, r.text)
    assert root.post("/users", {"username": "siti", "role": "clerk", "password": PASSWORD}).status_code == 409
    assert root.patch("/users/9999", {"role": "clerk"}).status_code == 404


def test_a_disabled_user_gets_401_on_the_next_request_and_can_be_enabled_again(server, root, kepala, staff):
    rina = kepala.post("/users", {"username": "rina", "role": "clerk", "password": PASSWORD, "counters": ["L05"]})
    assert rina.status_code == 201
    session = Client(server.url).login("rina", PASSWORD)
    assert session.get("/auth/me").status_code == 200
    assert kepala.post(f"/users/{rina.json()['id']}/disable").status_code == 200
    refused = session.get("/auth/me")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_token"
    assert kepala.post(f"/users/{rina.json()['id']}/enable").status_code == 200
    assert Client(server.url).login("rina", PASSWORD).get("/auth/me").json()["name"] == "rina"


def test_a_supervisor_resets_a_clerks_password_and_everyone_changes_their_own(server, kepala, staff):
    old = Client(server.url).login("siti", PASSWORD)
    assert kepala.post(f"/users/{staff['siti']}/password", {"password": "sandi-baru-99"}).status_code == 200
    assert old.get("/auth/me").status_code == 401  # a reset ends the sessions
    siti = Client(server.url).login("siti", "sandi-baru-99")
    wrong = siti.post("/me/password", {"old_password": "salah-sekali", "new_password": PASSWORD})
    assert wrong.status_code == 422 and wrong.json()["error"]["details"]["field"] == "old_password"
    assert siti.post("/me/password", {"old_password": "sandi-baru-99", "new_password": PASSWORD}).status_code == 200
    assert siti.get("/auth/me").status_code == 200
    Client(server.url).login("siti", PASSWORD)


def test_revoking_a_kiosk_closes_its_socket_within_2_s_and_refuses_its_next_request(server, root, staff):
    created = root.post("/devices", {"name": "kiosk-lobi", "kind": "kiosk"})
    assert created.status_code == 201 and len(created.json()["token"]) >= 40
    token = created.json()["token"]
    assert "token" not in next(d for d in root.get("/devices").json() if d["name"] == "kiosk-lobi")
    kiosk = Recorder(server.url, "/kiosk", {"token": token})
    closed = threading.Event()
    kiosk.client.on("disconnect", lambda *_: closed.set(), namespace="/kiosk")
    kiosk.connect().wait_for("services")
    try:
        revoked_at = time.monotonic()
        assert root.delete(f"/devices/{created.json()['id']}").status_code == 200
        assert closed.wait(CLOSE_WITHIN_SECS + 1)
        took = time.monotonic() - revoked_at
        print(f"kiosk socket closed {took:.2f} s after the revoke")
        assert took < CLOSE_WITHIN_SECS
        assert Api(server.url, token).post("/tickets", {"service": "KTP"}).status_code == 401
        listed = next(d for d in root.get("/devices").json() if d["name"] == "kiosk-lobi")
        assert listed["active"] is False and listed["online"] is False
    finally:
        kiosk.client.disconnect()
