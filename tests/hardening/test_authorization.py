"""Issue 17's authorization findings against a real server subprocess: a reprint only by a clerk whose counters
serve the ticket's service (or an admin); an Idempotency-Key reused with another body is 422; a logged-out clerk's
open /counter socket is closed within 2 s and hears nothing more."""

import threading
import time

import pytest
import socketio

from support import Api, ServerProcess, site_config


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    proc = ServerProcess(tmp_path_factory.mktemp("authz"), site_config()).start()
    proc.kiosk = proc.add_device("kiosk-1", "kiosk")
    proc.add_clerk("siti", "L04", "L05")  # KTP, KK
    proc.add_clerk("budi", "L07")  # PBI only
    yield proc
    proc.stop()
    assert "Traceback" not in proc.log()


@pytest.fixture
def kiosk(server):
    return Api(server.url, server.kiosk)


def test_a_reprint_is_only_for_a_clerk_whose_counters_serve_the_ticket(server, kiosk):
    ticket = kiosk.post("/tickets", {"service": "KTP"}).json()
    budi = Api(server.url).login("budi", "rahasia-123")
    r = budi.post(f"/tickets/{ticket['token']}/reprint")
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_your_service", r.text
    siti = Api(server.url).login("siti", "rahasia-123")
    assert siti.post(f"/tickets/{ticket['token']}/reprint").status_code == 202
    admin = Api(server.url).login("admin", server.admin_password())
    assert admin.post(f"/tickets/{ticket['token']}/reprint").status_code == 202


def test_an_idempotency_key_reused_with_another_body_is_422(kiosk):
    key = {"Idempotency-Key": "kiosk-1-reuse"}
    first = kiosk.post("/tickets", {"service": "KTP"}, headers=key)
    assert first.status_code == 201
    retry = kiosk.post("/tickets", {"priority": None, "service": "KTP"}, headers=key)  # the same meaning
    assert retry.status_code == 200 and retry.json()["number"] == first.json()["number"]
    other = kiosk.post("/tickets", {"service": "KK"}, headers=key)
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused", other.text
    assert "Idempotency-Key" in other.json()["error"]["message"]
    priority = kiosk.post("/tickets", {"service": "KTP", "priority": "lansia"}, headers=key)
    assert priority.status_code == 422


def test_a_logged_out_clerks_counter_socket_closes_within_2_s_and_hears_nothing_more(server, kiosk):
    siti = Api(server.url).login("siti", "rahasia-123")
    heard: list[str] = []
    connected, closed = threading.Event(), threading.Event()
    client = socketio.Client(reconnection=False)
    client.on("counter_state", lambda _d=None: connected.set(), namespace="/counter")
    client.on("queue_changed", lambda _d=None: heard.append("queue_changed"), namespace="/counter")
    client.on("disconnect", lambda *_: closed.set(), namespace="/counter")
    client.connect(server.url, namespaces=["/counter"], auth={"token": siti.token, "counter": "L05"},
                   transports=["websocket"], wait_timeout=5)
    try:
        assert connected.wait(5)
        assert siti.post("/auth/logout").status_code == 200
        started = time.monotonic()
        assert closed.wait(2.0), "the logged-out clerk's socket is still open after 2 s"
        assert time.monotonic() - started <= 2.0
        heard.clear()
        assert kiosk.post("/tickets", {"service": "KTP"}).status_code == 201  # an event for L05's line
        assert not client.connected and heard == []
    finally:
        client.disconnect()


def test_an_expired_clerk_token_closes_its_counter_socket_within_2_s(tmp_path):
    lifetime = 5.0  # seconds: [server] token_hours is a float
    proc = ServerProcess(tmp_path, site_config(server__token_hours=lifetime / 3600)).start()
    try:
        proc.add_clerk("siti", "L04")
        token = Api(proc.url).login("siti", "rahasia-123").token
        issued = time.monotonic()
        connected, closed = threading.Event(), threading.Event()
        client = socketio.Client(reconnection=False)
        client.on("counter_state", lambda _d=None: connected.set(), namespace="/counter")
        client.on("disconnect", lambda *_: closed.set(), namespace="/counter")
        client.connect(proc.url, namespaces=["/counter"], auth={"token": token, "counter": "L04"},
                       transports=["websocket"], wait_timeout=5)
        try:
            assert connected.wait(5)
            assert closed.wait(lifetime + 4), "the expired token's socket stayed open"
            assert time.monotonic() - issued <= lifetime + 2.5  # expiry + the 1 s sweep + one query, with slack
            assert time.monotonic() - issued >= lifetime - 0.5  # and not before it expired
        finally:
            client.disconnect()
    finally:
        proc.stop()
