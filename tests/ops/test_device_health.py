"""Device health in-process, on an injected clock: heartbeats over /kiosk and /display, offline after the configured
silence, alerts pushed to the counter terminals of the right agency and cleared on recovery, GET /api/v1/devices."""

from datetime import UTC, datetime, timedelta

import pytest

from server.app import create_app
from server.config import config_from_dict
from server.domain.accounts import Principal
from server.services import accounts, devices_health
from server.services import admin_accounts as admin
from support import PASSWORD, site_config

SYSTEM = Principal("system", "test", "admin")
START = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # a Monday, 10.00 WITA


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def site(tmp_path):
    raw = site_config()
    raw["server"]["async_mode"] = "threading"
    raw["storage"]["url"] = f"sqlite:///{tmp_path / 'antre.db'}"
    # The background check waits an hour: the test runs each check by hand, after the change it wants seen.
    raw["devices"] = {"offline_after": 30, "alert_check_seconds": 60}
    clock = Clock()
    flask_app, socketio = create_app(config_from_dict(raw), clock=clock)
    ctx = flask_app.extensions["antre"]
    yield flask_app, socketio, ctx, clock
    devices_health.configure(30)
    ctx.engine.dispose()


def _beat(client, namespace: str, token: str, **fields):
    return client.emit("heartbeat", {"token": token, **fields}, namespace=namespace, callback=True)


def _pushed(client) -> list[list[tuple[str, str]]]:
    return [[(a["device"], a["problem"]) for a in m["args"][0]["alerts"]]
            for m in client.get_received("/counter") if m["name"] == "device_alerts"]


def test_a_silent_device_goes_offline_and_alerts_reach_the_counters_of_its_agency(site):
    flask_app, socketio, ctx, clock = site
    _, kiosk_token = admin.create_device(ctx, SYSTEM, "kios-1", "kiosk")
    _, tv_token = admin.create_device(ctx, SYSTEM, "tv-1", "display")
    _, tablet_token = admin.create_device(ctx, SYSTEM, "tablet-l05", "survey", counter="L05")
    admin.create_user(ctx, SYSTEM, "siti", "clerk", PASSWORD, counters=["L04"])
    admin.create_user(ctx, SYSTEM, "budi", "clerk", PASSWORD, counters=["L01"])
    monitor = flask_app.extensions["antre_devices"]

    kiosk = socketio.test_client(flask_app, namespace="/kiosk", auth={"token": kiosk_token})
    tv = socketio.test_client(flask_app, namespace="/display", auth={"token": tv_token})
    reply = _beat(kiosk, "/kiosk", kiosk_token, version="0.1.0", ip="10.0.0.21", uptime=120, printer="ok")
    assert reply == {"ok": True, "every": 10.0}
    assert _beat(tv, "/display", tv_token, printer="none", uptime=5)["ok"]
    assert flask_app.test_client().post("/api/v1/devices/me/heartbeat", json={"uptime": 9},
                                        headers={"Authorization": f"Bearer {tablet_token}"}).status_code == 200

    siti = socketio.test_client(flask_app, namespace="/counter", auth={
        "token": (siti_token := accounts.login(ctx, "siti", PASSWORD)), "counter": "L04"})
    budi = socketio.test_client(flask_app, namespace="/counter", auth={
        "token": accounts.login(ctx, "budi", PASSWORD), "counter": "L01"})
    assert siti.emit("device_alerts", {"token": siti_token, "counter": "L04"}, namespace="/counter",
                     callback=True) == {"alerts": []}

    # The kiosk's printer runs out of paper: both counters see it (a kiosk serves the whole building).
    _beat(kiosk, "/kiosk", kiosk_token, printer="paper_out", error="paper_out")
    monitor.check()
    assert _pushed(siti)[-1] == [("kios-1", "paper_out")]
    assert _pushed(budi)[-1] == [("kios-1", "paper_out")]

    # 31 s later only the kiosk and the TV said something: the tablet at L05 (DUKCAPIL) is offline. L04 serves
    # DUKCAPIL and is told; L01 (DPMPTSP) is not.
    clock.advance(31)
    _beat(kiosk, "/kiosk", kiosk_token, printer="paper_out")
    _beat(tv, "/display", tv_token)
    monitor.check()
    assert _pushed(siti)[-1] == [("kios-1", "paper_out"), ("tablet-l05", "offline")]
    assert _pushed(budi) == []  # nothing new for L01
    alerts = siti.emit("device_alerts", {"token": siti_token, "counter": "L04"}, namespace="/counter", callback=True)
    assert alerts["alerts"][1]["text"] == "Tablet survei tablet-l05: tidak terhubung"

    # Recovery clears the alerts by themselves.
    _beat(kiosk, "/kiosk", kiosk_token, printer="ok")
    flask_app.test_client().post("/api/v1/devices/me/heartbeat", json={},
                                 headers={"Authorization": f"Bearer {tablet_token}"})
    monitor.check()
    assert _pushed(siti)[-1] == [] and _pushed(budi)[-1] == []
    assert monitor.check() == 0  # unchanged: nobody is told again

    # The contract's list: online, last seen and printer; the TV went silent 31 s ago.
    clock.advance(31)
    _beat(kiosk, "/kiosk", kiosk_token)
    admin_token = accounts.login(ctx, "siti", PASSWORD)  # a clerk may not list devices
    api = flask_app.test_client()
    assert api.get("/api/v1/devices", headers={"Authorization": f"Bearer {admin_token}"}).status_code == 403
    admin.create_user(ctx, SYSTEM, "kepala", "admin", PASSWORD, counters=[])
    listed = api.get("/api/v1/devices", headers={"Authorization": f"Bearer {accounts.login(ctx, 'kepala', PASSWORD)}"})
    rows = {d["name"]: d for d in listed.get_json()}
    assert {k: rows["kios-1"][k] for k in ("kind", "online", "printer")} == {"kind": "kiosk", "online": True,
                                                                             "printer": "ok"}
    assert rows["tv-1"]["online"] is False and rows["tv-1"]["last_seen"].startswith("2026-12-07T")
    assert rows["kios-1"]["state"]["ip"] == "10.0.0.21" and rows["kios-1"]["state"]["version"] == "0.1.0"


def test_bad_heartbeats_are_answered_with_an_error_not_a_crash(site):
    flask_app, socketio, ctx, _ = site
    _, token = admin.create_device(ctx, SYSTEM, "kios-1", "kiosk")
    kiosk = socketio.test_client(flask_app, namespace="/kiosk", auth={"token": token})
    assert _beat(kiosk, "/kiosk", token, printer="on_fire")["error"]["code"] == "invalid_state"
    assert _beat(kiosk, "/kiosk", token, uptime="long")["error"]["code"] == "invalid_heartbeat"
    assert _beat(kiosk, "/kiosk", token, version="x" * 41)["error"]["code"] == "invalid_heartbeat"
    assert _beat(kiosk, "/kiosk", "not-a-token")["error"]["code"] == "invalid_token"
    assert kiosk.emit("heartbeat", "text", namespace="/kiosk", callback=True)["error"]["code"] == "invalid_token"
    admin.create_user(ctx, SYSTEM, "siti", "clerk", PASSWORD, counters=["L04"])
    siti = accounts.login(ctx, "siti", PASSWORD)
    api = flask_app.test_client()
    refused = api.post("/api/v1/devices/me/heartbeat", json={}, headers={"Authorization": f"Bearer {siti}"})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    bad = api.post("/api/v1/devices/me/heartbeat", json={"printer": 3}, headers={"Authorization": f"Bearer {token}"})
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_state"


def test_a_device_never_seen_raises_no_alert_and_the_window_is_configurable():
    now = START
    fresh = devices_health.DeviceHealth(1, "cadangan", "kiosk", None, False, None, {})
    assert fresh.problems() == []
    devices_health.configure(2)
    try:
        assert devices_health.is_online(True, now - timedelta(seconds=1.5), now)
        assert not devices_health.is_online(True, now - timedelta(seconds=2.5), now)
        assert not devices_health.is_online(False, now, now)
    finally:
        devices_health.configure(30)


@pytest.mark.parametrize(("proxies", "seen"), [(0, "127.0.0.1"), (1, "10.0.0.21")])
def test_behind_nginx_the_client_address_is_the_devices_not_the_proxys(tmp_path, proxies, seen):
    raw = site_config(server__proxies=proxies)
    raw["server"]["async_mode"] = "threading"
    raw["storage"]["url"] = f"sqlite:///{tmp_path / 'antre.db'}"
    flask_app, _ = create_app(config_from_dict(raw))
    ctx = flask_app.extensions["antre"]
    try:
        _, token = admin.create_device(ctx, SYSTEM, "kios-1", "kiosk")
        reply = flask_app.test_client().post("/api/v1/devices/me/heartbeat", json={"printer": "ok"}, headers={
            "Authorization": f"Bearer {token}", "X-Forwarded-For": "10.0.0.21"})
        assert reply.get_json()["state"]["ip"] == seen
    finally:
        ctx.engine.dispose()


def test_a_survey_tablet_beats_on_its_own_namespace(site):
    flask_app, socketio, ctx, clock = site
    _, token = admin.create_device(ctx, SYSTEM, "tablet-l05", "survey", counter="L05")
    tablet = socketio.test_client(flask_app, namespace="/survey", auth={"token": token})
    assert tablet.is_connected("/survey")
    assert _beat(tablet, "/survey", token, printer="none", uptime=30)["ok"]
    found = {d.name: d for d in devices_health.health(ctx)}
    assert found["tablet-l05"].online and found["tablet-l05"].state["uptime"] == 30
    clock.advance(31)
    assert devices_health.alerts(ctx)[0].problem == "offline"


def test_a_printer_report_keeps_what_the_heartbeat_said(site):
    flask_app, socketio, ctx, _ = site
    _, token = admin.create_device(ctx, SYSTEM, "kios-1", "kiosk")
    kiosk = socketio.test_client(flask_app, namespace="/kiosk", auth={"token": token})
    _beat(kiosk, "/kiosk", token, version="0.1.0", ip="10.0.0.21", uptime=60, printer="ok")
    reply = flask_app.test_client().post("/api/v1/devices/me/state", json={"printer": "paper_out"},
                                         headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 200
    state = {d.name: d for d in devices_health.health(ctx)}["kios-1"].state
    assert state == {"version": "0.1.0", "ip": "10.0.0.21", "uptime": 60, "printer": "paper_out"}
    assert [a.problem for a in devices_health.alerts(ctx)] == ["paper_out"]
