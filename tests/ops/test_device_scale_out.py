"""Two server processes on PostgreSQL + Redis: a kiosk's heartbeat on process one raises an alert on a counter
terminal connected to process two within 5 s, and its recovery clears it there; both processes list the device
alike (the alert comes from the shared database, not from a message between processes)."""

from __future__ import annotations

import time

import pytest
from realtime_client import Recorder

from support import PASSWORD, Api, redis_db, server_pair

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]
REDIS_DB = 11  # apart from the other scale-out tests' channels
ALERT_WITHIN_SECS = 5.0


def test_an_alert_raised_on_process_one_reaches_a_counter_on_process_two(tmp_path, pg_url, redis):
    with server_pair(tmp_path, pg_url, redis_db(redis, REDIS_DB)) as (one, two):
        token = one.add_device("kios-lobi-1", "kiosk")
        one.add_clerk("rina", "L04")
        clerk = Api(two.url).login("rina", PASSWORD).token
        counter = Recorder(two.url, "/counter", {"token": clerk, "counter": "L04"})
        counter.client.on("device_alerts", counter._handler("device_alerts"), namespace="/counter")
        counter.connect().wait_for("counter_state")
        assert counter.client.call("device_alerts", {"token": clerk, "counter": "L04"}, namespace="/counter",
                                   timeout=10) == {"alerts": []}
        kiosk = Recorder(one.url, "/kiosk", {"token": token}).connect()
        try:
            beat = {"token": token, "version": "0.1.0", "uptime": 5}
            assert kiosk.client.call("heartbeat", beat | {"printer": "paper_out"}, namespace="/kiosk",
                                     timeout=10)["ok"]
            sent = time.monotonic()
            raised = counter.wait_for("device_alerts", lambda d: bool(d["alerts"]), timeout=ALERT_WITHIN_SECS)
            print(f"alert on the other process after {time.monotonic() - sent:.2f} s")
            assert [(a["device"], a["problem"]) for a in raised["alerts"]] == [("kios-lobi-1", "paper_out")]

            kiosk.client.call("heartbeat", beat | {"printer": "ok"}, namespace="/kiosk", timeout=10)
            counter.wait_for("device_alerts", lambda d: d["alerts"] == [], timeout=ALERT_WITHIN_SECS)
            admin = Api(two.url).login("admin", one.admin_password())
            listed = {d["name"]: d for d in admin.get("/devices").json()}
            assert listed["kios-lobi-1"]["online"] and listed["kios-lobi-1"]["printer"] == "ok"
        finally:
            kiosk.close()
            counter.close()
