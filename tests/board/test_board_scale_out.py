"""Two server processes on PostgreSQL + Redis: a board on process two follows calls made on process one (a
supervisor's only for their agencies) and takes an administrator's target change made on process one."""

from __future__ import annotations

import time

import pytest
from realtime_client import board_recorder as board

from support import PASSWORD, Api, redis_db, server_pair

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]
REDIS_DB = 7  # apart from the other scale-out tests' channels
LIVE_WITHIN_SECS = 1.0


@pytest.fixture
def pair(tmp_path, pg_url, redis):
    with server_pair(tmp_path, pg_url, redis_db(redis, REDIS_DB)) as procs:
        yield procs


def test_boards_on_process_two_follow_process_one(pair):
    one, two = pair
    one.add_clerk("rina", "L04", "L13")
    assert one.cli("user", "add", "sari", "--role", "supervisor", "--agency", "DUKCAPIL",
                   stdin=PASSWORD + "\n").returncode == 0
    root = Api(one.url).login("admin", one.admin_password())
    everything = board(two.url, root.token)
    dukcapil = board(two.url, Api(two.url).login("sari", PASSWORD).token)
    clerk = Api(one.url).login("rina", PASSWORD)
    try:
        assert clerk.post("/tickets", {"service": "PKB"}).status_code == 201
        assert clerk.post("/tickets", {"service": "KTP"}).status_code == 201
        since = time.monotonic()
        called = clerk.post("/counters/L04/call-next").json()["ticket"]["number"]
        for rec in (everything, dukcapil):
            got = rec.wait_for("board_event", lambda e: e["event"] == "ticket_called")
            assert got["ticket"]["number"] == called and got["counter"]["code"] == "L04"
        took = time.monotonic() - since
        print(f"both boards on process two had the call {took * 1000:.0f} ms after it was sent to process one")
        assert took < LIVE_WITHIN_SECS
        assert clerk.post("/counters/L13/call-next").json()["ticket"]["number"].startswith("M")
        everything.wait_for("board_event", lambda e: e["event"] == "ticket_called" and e["counter"]["code"] == "L13")
        assert clerk.post("/tickets", {"service": "KK"}).status_code == 201  # after the PKB call, in order
        seen = []
        dukcapil.wait_for("board_event", lambda e: seen.append(e) or e.get("ticket", {}).get("service") == "KK")
        assert all(e.get("ticket", {}).get("service") != "PKB" and e.get("counter", {}).get("code") != "L13"
                   for e in seen) and len(seen) >= 1

        assert root.patch("/services/KTP", {"target_wait_minutes": 20}).status_code == 200
        dukcapil.wait_for("board_reset")
        snap = dukcapil.client.call("snapshot", {}, namespace="/board", timeout=10)
        assert next(s for s in snap["services"] if s["code"] == "KTP")["target_wait_minutes"] == 20
    finally:
        everything.close()
        dukcapil.close()
