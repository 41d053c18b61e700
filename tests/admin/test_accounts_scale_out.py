"""Two server processes on PostgreSQL + Redis: revoking a device or disabling a clerk on process one closes their
sockets on process two within 2 s (under eventlet and gevent)."""

import threading
import time

import pytest
from realtime_client import Recorder

from support import Api, redis_db, server_pair

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
CLOSE_WITHIN_SECS = 2.0


@pytest.fixture(params=["eventlet", "gevent"])
def pair(request, tmp_path, pg_url, redis):
    channel_db = {"eventlet": 3, "gevent": 4}[request.param]  # apart from each other and from test_scale_out
    with server_pair(tmp_path, pg_url, redis_db(redis, channel_db), request.param) as procs:
        yield procs


def watch(url: str, namespace: str, auth: dict, first_event: str) -> tuple[Recorder, threading.Event]:
    rec = Recorder(url, namespace, auth)
    closed = threading.Event()
    rec.client.on("disconnect", lambda *_: closed.set(), namespace=namespace)
    rec.connect().wait_for(first_event)
    return rec, closed


def closes_within(closed: threading.Event, since: float) -> float:
    assert closed.wait(CLOSE_WITHIN_SECS + 2), "the socket stayed open"
    return time.monotonic() - since


def test_revoking_a_device_on_process_one_closes_its_socket_on_process_two_within_2_s(pair):
    one, two = pair
    root = Api(one.url).login("admin", one.admin_password())
    created = root.post("/devices", {"name": "kiosk-lobi", "kind": "kiosk"}).json()
    tv_token = root.post("/devices", {"name": "tv-1", "kind": "display"}).json()["token"]
    kiosk, kiosk_closed = watch(two.url, "/kiosk", {"token": created["token"]}, "services")
    tv, tv_closed = watch(two.url, "/display", {"token": tv_token}, "snapshot")
    try:
        since = time.monotonic()
        assert root.s.delete(f"{root.base}/devices/{created['id']}", timeout=10).status_code == 200
        took = closes_within(kiosk_closed, since)
        print(f"kiosk socket on process two closed {took:.2f} s after the revoke")
        assert took < CLOSE_WITHIN_SECS
        assert Api(two.url, created["token"]).post("/tickets", {"service": "KTP"}).status_code == 401
        assert not tv_closed.is_set() and tv.client.connected  # only the revoked device's socket
    finally:
        kiosk.client.disconnect()
        tv.close()


def test_disabling_a_clerk_on_process_one_closes_their_counter_socket_on_process_two_within_2_s(pair):
    one, two = pair
    one.add_clerk("siti", "L05")
    root = Api(one.url).login("admin", one.admin_password())
    siti_id = next(u["id"] for u in root.get("/users").json() if u["username"] == "siti")
    token = Api(two.url).login("siti", "rahasia-123").s.headers["Authorization"].split()[1]
    counter, closed = watch(two.url, "/counter", {"token": token, "counter": "L05"}, "counter_state")
    try:
        since = time.monotonic()
        assert root.post(f"/users/{siti_id}/disable").status_code == 200
        took = closes_within(closed, since)
        print(f"counter socket on process two closed {took:.2f} s after disabling the clerk")
        assert took < CLOSE_WITHIN_SECS
    finally:
        counter.client.disconnect()
