"""Scale-out: two server processes sharing PostgreSQL and a Redis message queue. A call handled by process 1
reaches a display connected to process 2, with one site-wide seq; under eventlet and gevent."""

import pytest
from realtime_client import Recorder

from support import Api, redis_db, server_pair


@pytest.fixture(params=["eventlet", "gevent"])
def pair(request, tmp_path, pg_url, redis):
    channel_db = {"eventlet": 1, "gevent": 2}[request.param]  # keep the two runs' Redis traffic apart
    with server_pair(tmp_path, pg_url, redis_db(redis, channel_db), request.param) as procs:
        yield procs


def test_a_call_on_process_one_reaches_a_display_on_process_two_with_one_seq(pair):
    one, two = pair
    kiosk_token = one.add_device("kiosk-1", "kiosk")
    display_token = one.add_device("tv-1", "display")
    one.add_clerk("siti", "L05")
    display = Recorder(two.url, "/display", {"token": display_token}).connect()
    try:
        start = display.wait_for("snapshot")["seq"]
        first = Api(one.url, kiosk_token).post("/tickets", {"service": "KTP"}).json()
        Api(two.url, kiosk_token).post("/tickets", {"service": "KTP"})
        clerk = Api(one.url).login("siti", "rahasia-123")
        assert clerk.post("/counters/L05/call-next").json()["ticket"]["number"] == first["number"]
        called = display.wait_for("ticket_called", lambda d: d["number"] == first["number"], timeout=10)
        assert called["counter_name"] == "Loket 5"
        assert called["seq"] == start + 3  # issued on 1, issued on 2, called on 1: one sequence for the site
        seen = sorted({d["seq"] for _, d in display.drain()} | {called["seq"]})
        assert seen[-1] == start + 3
    finally:
        display.close()


def test_a_ticket_page_on_process_two_follows_a_call_made_on_process_one(pair):
    one, two = pair
    kiosk_token = one.add_device("kiosk-2", "kiosk")
    one.add_clerk("budi", "L05")
    ticket = Api(one.url, kiosk_token).post("/tickets", {"service": "KTP"}).json()
    page = Recorder(two.url, "/ticket", {"token": ticket["token"]}).connect()
    try:
        page.wait_for("ticket_status")
        Api(one.url).login("budi", "rahasia-123").post("/counters/L05/call-next")
        assert page.wait_for("ticket_status", lambda d: d["status"] == "called")["counter"] == "L05"
    finally:
        page.close()
