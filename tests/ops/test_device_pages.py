"""Device alerts in the browser, against a real server: the console's home and devices pages and a counter terminal
show a kiosk out of paper and a TV gone silent within 5 s, and both clear by themselves when the devices recover.
The devices are python-socketio clients driven by the kiosk's and TV's own heartbeat sender (hardware/health.py)."""

from __future__ import annotations

import time

import pytest
import socketio
from browser_kit import new_page
from browser_kit import shot as save_shot
from playwright.sync_api import Page
from site_day import faketime_env, sample_config

from hardware.health import Heartbeat
from support import PASSWORD, Api, ServerProcess

ALERT_WITHIN_SECS = 5.0
OFFLINE_AFTER = 3  # seconds of silence before a device is offline (30 in the sample config)

pytestmark = [pytest.mark.slow, pytest.mark.screenshots]


class Device:
    """A registered kiosk or TV: its socket and its heartbeat, with a printer state the test sets."""

    def __init__(self, server: ServerProcess, name: str, kind: str) -> None:
        self.token, self.namespace = server.add_device(name, kind), "/kiosk" if kind == "kiosk" else "/display"
        self.state = {"printer": "ok" if kind == "kiosk" else "none"}
        self.sio = socketio.Client(reconnection=False)
        self.sio.connect(server.url, auth={"token": self.token}, namespaces=[self.namespace],
                         transports=["websocket"], wait_timeout=10)
        self.beat = Heartbeat(self.sio, self.namespace, self.token, server.url, every=0.5,
                              connected=lambda: self.sio.connected, state=lambda: dict(self.state)).start()

    def printer(self, state: str) -> None:
        self.state["printer"] = state
        self.beat.beat()  # a kiosk tells a new printer state at once, not at the next heartbeat

    def silent(self) -> None:
        self.beat.stop()
        self.sio.disconnect()


def _alerts(page: Page) -> list[str]:
    return sorted(page.eval_on_selector_all("#alerts-list li", "els => els.map(e => e.dataset.problem + ':' + "
                                            "e.textContent.trim())"))


def _banner(page: Page) -> list[str]:
    return page.eval_on_selector_all("#banner-devices:not([hidden]) .device-alert", "els => els.map(e => "
                                     "e.dataset.problem + ':' + e.textContent.trim())")


def _within(seconds: float, check, what: str) -> float:  # type: ignore[no-untyped-def]
    """Poll `check` (a browser read) until it holds; how long it took. Fails after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)  # polling another process's page against a deadline, not synchronisation
    pytest.fail(f"{what} not seen within {seconds} s")


def test_alerts_show_on_the_devices_page_and_the_counter_within_5_s_and_clear(tmp_path, browser):
    # the sample site on the screenshot day, with heartbeats fast enough for a test
    raw = sample_config(devices__offline_after=OFFLINE_AFTER, devices__heartbeat_seconds=0.5,
                        devices__alert_check_seconds=0.5)
    server = ServerProcess(tmp_path / "srv", raw, env=faketime_env()).start()
    devices: list[Device] = []
    try:
        root = Api(server.url).login("admin", server.admin_password())
        assert root.post("/users", {"username": "siti", "role": "clerk", "counters": ["L04"],
                                    "password": PASSWORD}).status_code == 201
        kiosk, tv = Device(server, "kios-lobi-1", "kiosk"), Device(server, "tv-lantai-1", "display")
        devices += [kiosk, tv, Device(server, "kios-lobi-2", "kiosk")]

        console = new_page(browser)
        console.goto(f"{server.url}/admin/login")
        console.fill("#username", "admin")
        console.fill("#password", server.admin_password())
        console.click("#login-submit")
        console.goto(f"{server.url}/admin/")  # the home page shows the box only while an alert is open
        assert console.locator("#device-alerts").is_hidden()
        counter = new_page(browser)
        counter.goto(f"{server.url}/counter/login")
        counter.fill("#username", "siti")
        counter.fill("#password", PASSWORD)
        counter.click("#login-submit")
        counter.wait_for_url(lambda url: "/counter/" in url and "/counter/login" not in url)
        counter.goto(f"{server.url}/counter/L04")
        counter.wait_for_selector("#conn-state[data-state=online]")
        assert _banner(counter) == []

        kiosk.printer("paper_out")
        took = _within(ALERT_WITHIN_SECS, lambda: console.locator("#device-alerts").is_visible() and _alerts(
            console) == ["paper_out:Kios kios-lobi-1: kertas printer habis"], "paper out on the home page")
        console.goto(f"{server.url}/admin/devices")
        assert _alerts(console) == ["paper_out:Kios kios-lobi-1: kertas printer habis"]
        took_counter = _within(ALERT_WITHIN_SECS, lambda: _banner(counter) == [
            "paper_out:Kios kios-lobi-1: kertas printer habis"], "paper out on the counter")
        print(f"paper out: admin home {took:.1f} s, counter {took_counter:.1f} s")

        tv.silent()
        silent_at = time.monotonic()
        _within(OFFLINE_AFTER + ALERT_WITHIN_SECS, lambda: "offline:Layar TV tv-lantai-1: tidak terhubung"
                in _alerts(console), "the silent TV on the devices page")
        _within(ALERT_WITHIN_SECS, lambda: len(_banner(counter)) == 2, "the silent TV on the counter")
        print(f"TV offline shown {time.monotonic() - silent_at - OFFLINE_AFTER:.1f} s after the silence limit")
        row = console.locator("#device-" + str(next(d["id"] for d in root.get("/devices").json()
                                                    if d["name"] == "tv-lantai-1")))
        assert row.locator(".online-cell").inner_text().strip() == "luring"
        save_shot(console, "devices-console.png", tmp_path)
        save_shot(counter, "devices-counter.png", tmp_path)
        assert {d["name"]: d["online"] for d in root.get("/devices").json()} == {
            "kios-lobi-1": True, "kios-lobi-2": True, "tv-lantai-1": False}

        kiosk.printer("ok")
        tv = Device.__new__(Device)  # the TV comes back: a new connection with the same token
        tv.token, tv.namespace, tv.state = devices[1].token, "/display", {"printer": "none"}
        tv.sio = socketio.Client(reconnection=False)
        tv.sio.connect(server.url, auth={"token": tv.token}, namespaces=["/display"], transports=["websocket"])
        tv.beat = Heartbeat(tv.sio, "/display", tv.token, server.url, every=0.5, connected=lambda: tv.sio.connected,
                            state=lambda: dict(tv.state)).start()
        devices.append(tv)
        _within(ALERT_WITHIN_SECS, lambda: _alerts(console) == [] and console.locator("#alerts-none").is_visible(),
                "the alerts clearing on the devices page")
        _within(ALERT_WITHIN_SECS, lambda: _banner(counter) == [], "the banner clearing on the counter")
        assert not console.js_errors and not counter.js_errors  # type: ignore[attr-defined]

        listed = server.cli("device", "list").stdout.splitlines()
        rows = {line.split()[0]: line.split() for line in listed[1:]}
        assert listed[0].split()[:5] == ["NAMA", "JENIS", "LOKET", "STATUS", "PRINTER"]
        assert rows["kios-lobi-1"][3:5] == ["daring", "ok"] and rows["tv-lantai-1"][3:5] == ["daring", "none"]
    finally:
        for d in devices:
            d.beat.stop()
            if d.sio.connected:
                d.sio.disconnect()
        server.stop()
    assert "Traceback" not in server.log()
