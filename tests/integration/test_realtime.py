"""Real-time hub against real server subprocesses (eventlet and gevent): snapshots, seq, namespaces, refusals,
reconnect and restart recovery."""

import time

import pytest
import socketio
from realtime_client import Recorder

from support import Api, ServerProcess, site_config


@pytest.fixture(scope="module", params=["eventlet", "gevent"])
def server(request, tmp_path_factory):
    proc = ServerProcess(tmp_path_factory.mktemp(request.param), site_config(), async_mode=request.param).start()
    proc.display_token = proc.add_device("tv-1", "display")
    proc.kiosk_token = proc.add_device("kiosk-1", "kiosk")
    proc.add_clerk("siti", "L05")
    yield proc
    proc.stop()
    assert "Traceback" not in proc.log()


@pytest.fixture
def clerk(server):
    api = Api(server.url).login("siti", "rahasia-123")
    while api.post("/counters/L05/call-next").status_code == 200:  # start each test with an idle counter
        api.post("/counters/L05/skip")
    busy = api.get("/counters/L05").json()["current"]
    if busy:
        api.post("/counters/L05/finish" if busy["status"] == "serving" else "/counters/L05/skip")
    return api


@pytest.fixture
def display(server):
    rec = Recorder(server.url, "/display", {"token": server.display_token}).connect()
    yield rec
    rec.close()


def test_display_gets_a_snapshot_then_each_call_with_consecutive_seq(server, display, clerk):
    snap = display.wait_for("snapshot")
    assert {"seq", "calls", "counters", "waiting"} <= snap.keys()
    kiosk = Api(server.url, server.kiosk_token)
    number = kiosk.post("/tickets", {"service": "KTP"}).json()["number"]
    clerk.post("/counters/L05/call-next")
    clerk.post("/counters/L05/start")
    called = display.wait_for("ticket_called", lambda d: d["number"] == number)
    assert called["counter"] == "L05" and called["counter_name"] == "Loket 5" and called["recall"] is False
    display.wait_for("counter_changed", lambda d: d["tile"]["number"] == number)
    seqs = sorted({data["seq"] for _, data in display.drain()} | {called["seq"]})
    assert seqs[0] == snap["seq"] + 1 or called["seq"] >= snap["seq"] + 2
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "no gap in seq"


def test_a_recall_is_sent_as_a_call_marked_recall(server, display, clerk):
    Api(server.url, server.kiosk_token).post("/tickets", {"service": "KTP"})
    number = clerk.post("/counters/L05/call-next").json()["ticket"]["number"]
    clerk.post("/counters/L05/recall")
    assert display.wait_for("ticket_called", lambda d: d["number"] == number and d["recall"])["counter"] == "L05"


def test_public_display_without_token_is_allowed_but_a_bad_token_is_refused(server):
    public = Recorder(server.url, "/display").connect()
    assert "seq" in public.wait_for("snapshot")
    public.close()
    bad = Recorder(server.url, "/display", {"token": "nope"})
    with pytest.raises(socketio.exceptions.ConnectionError):
        bad.connect()
    assert bad.refused.get(timeout=5)["data"]["code"] == "invalid_token"


def test_a_kiosk_token_cannot_open_the_counter_namespace(server):
    rec = Recorder(server.url, "/counter", {"token": server.kiosk_token, "counter": "L05"})
    with pytest.raises(socketio.exceptions.ConnectionError):
        rec.connect()
    assert rec.refused.get(timeout=5)["data"]["code"] == "forbidden"


def test_ticket_page_follows_its_own_ticket(server, clerk):
    ticket = Api(server.url, server.kiosk_token).post("/tickets", {"service": "KTP"}).json()
    page = Recorder(server.url, "/ticket", {"token": ticket["token"]}).connect()
    try:
        assert page.wait_for("ticket_status")["status"] == "waiting"
        clerk.post("/counters/L05/call-next")
        called = page.wait_for("ticket_status", lambda d: d["status"] == "called")
        assert called["counter_name"] == "Loket 5" and called["number"] == ticket["number"]
    finally:
        page.close()
    unknown = Recorder(server.url, "/ticket", {"token": "no-such-ticket"})
    with pytest.raises(socketio.exceptions.ConnectionError):
        unknown.connect()
    assert unknown.refused.get(timeout=5)["data"]["code"] == "unknown_ticket"


def test_counter_namespace_sends_state_then_each_changed_ticket_of_its_services(server, clerk):
    token = clerk.s.headers["Authorization"].split()[1]
    rec = Recorder(server.url, "/counter", {"token": token, "counter": "L05"}).connect()
    try:
        assert rec.wait_for("counter_state")["code"] == "L05"
        number = Api(server.url, server.kiosk_token).post("/tickets", {"service": "KTP"}).json()["number"]
        changed = rec.wait_for("ticket_changed", lambda d: d["ticket"]["number"] == number)
        assert changed["event"] == "ticket_issued" and changed["ticket"]["status"] == "waiting"
        assert "token" not in changed["ticket"]  # the clerk's screen never gets the visitor's status link
    finally:
        rec.close()
    other = Recorder(server.url, "/counter", {"token": token, "counter": "L10"})
    with pytest.raises(socketio.exceptions.ConnectionError):
        other.connect()
    assert other.refused.get(timeout=5)["data"]["code"] == "counter_not_assigned"


def test_reconnect_gets_a_fresh_snapshot(server, clerk):
    first = Recorder(server.url, "/display", {"token": server.display_token}).connect()
    seq_before = first.wait_for("snapshot")["seq"]
    first.close()
    Api(server.url, server.kiosk_token).post("/tickets", {"service": "KTP"})
    again = Recorder(server.url, "/display", {"token": server.display_token}).connect()
    try:
        assert again.wait_for("snapshot")["seq"] > seq_before
    finally:
        again.close()


def test_a_client_asks_for_a_snapshot_and_gets_it_as_the_ack(display):
    display.wait_for("snapshot")
    snap = display.client.call("snapshot", namespace="/display", timeout=5)
    assert "calls" in snap and snap["seq"] >= 0


def test_displays_resync_within_two_seconds_after_a_server_restart(tmp_path):
    server = ServerProcess(tmp_path, site_config()).start()
    token = server.add_device("tv-restart", "display")
    rec = Recorder(server.url, "/display", {"token": token}, reconnection=True).connect()
    try:
        rec.wait_for("snapshot")
        server.stop()
        restarted = ServerProcess(tmp_path, site_config(), port=server.port)
        restarted.start()
        ready = time.monotonic()
        rec.wait_for("snapshot", timeout=10)
        assert time.monotonic() - ready < 2.0
        restarted.stop()
    finally:
        rec.client.reconnection = False
        rec.close()
