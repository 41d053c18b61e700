"""The device side of the heartbeat (hardware/health.py) on a fake clock and a fake socket: it sends only while
connected, at once after a (re)connect, then every `every` seconds as the server's acknowledgement says, with the
version, the LAN address, the uptime and the kiosk's printer state and last print error."""

from __future__ import annotations

from typing import Any

from hardware.health import Heartbeat, lan_address


class FakeSocket:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any], str]] = []
        self.reply: dict[str, Any] = {"ok": True, "every": 10.0}

    def emit(self, name: str, data: dict[str, Any], namespace: str, callback: Any) -> None:
        self.sent.append((name, data, namespace))
        callback(self.reply)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_heartbeat_follows_the_link_and_the_servers_period():
    sock, clock, link = FakeSocket(), Clock(), {"up": False}
    printer = {"printer": "ok", "error": ""}
    beat = Heartbeat(sock, "/kiosk", "T0KEN", "http://127.0.0.1:5000", connected=lambda: link["up"],
                     state=lambda: dict(printer), every=5, clock=clock)
    assert beat.due() and not beat.beat() and sock.sent == []  # no link: nothing sent
    link["up"] = True
    clock.now += 42
    assert beat.beat()
    name, data, namespace = sock.sent[-1]
    assert (name, namespace) == ("heartbeat", "/kiosk")
    assert data["token"] == "T0KEN" and data["uptime"] == 42 and data["printer"] == "ok" and data["version"]
    assert beat.every == 10.0  # the server's acknowledgement sets the period
    clock.now += 9
    assert not beat.due()
    clock.now += 1
    assert beat.due()
    printer.update(printer="paper_out", error="paper_out")
    beat.beat()
    assert sock.sent[-1][1]["printer"] == "paper_out" and sock.sent[-1][1]["error"] == "paper_out"
    link["up"] = False
    assert not beat.beat() and beat.due()  # after a drop the next connect beats at once
    sock.reply = {"error": {"code": "invalid_token", "message": "Perangkat tidak aktif."}}
    link["up"] = True
    beat.beat()
    assert beat.last_reply == sock.reply and beat.every == 10.0


def test_a_device_without_a_token_sends_nothing():
    sock = FakeSocket()
    beat = Heartbeat(sock, "/display", "", "http://127.0.0.1:5000", connected=lambda: True)
    assert not beat.beat() and sock.sent == []
    assert beat.start()._thread is None  # a public mirror (no token) starts no thread


def test_the_lan_address_is_the_one_that_routes_to_the_server():
    assert lan_address("http://127.0.0.1:5000") == "127.0.0.1"
    assert lan_address("http://[not-an-address") == ""  # the server then records the address it sees
