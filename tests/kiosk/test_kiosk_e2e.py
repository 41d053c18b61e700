"""The kiosk driven headless with synthetic touch and mouse events against a real server subprocess."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kiosk_driver import KioskDriver, kiosk_config, register_clerk, register_kiosks
from kiosk_proxy import TcpProxy

from hardware.printing.fake import FakeNetworkPrinter
from support import Api, ServerProcess, free_port

KIOSKS = ("kiosk-touch", "kiosk-silent", "kiosk-mouse", "kiosk-paper", "kiosk-double", "kiosk-idle", "kiosk-live", "kiosk-other",
          "kiosk-down")

JOB_START = b"\x1b@"  # ESC @ (printer reset) opens every ticket job; a status query alone is 10 04 04


@pytest.fixture(scope="module")
def tokens(server: ServerProcess) -> dict[str, str]:
    return register_kiosks(server, *KIOSKS)


def network(printer: FakeNetworkPrinter) -> dict[str, Any]:
    return {"type": "network", "host": printer.host, "port": printer.port, "profile": "TM-T20II", "timeout": 1}


def wait_until(check: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)  # polling another process (the server) for a result, with a deadline
    raise AssertionError(f"timed out waiting for {what}")


def device_state(server: ServerProcess, name: str) -> dict[str, Any]:
    with sqlite3.connect(server.workdir / "antre.db") as db:
        row = db.execute("SELECT state FROM devices WHERE name = ?", (name,)).fetchone()
    return json.loads(row[0]) if row and row[0] else {}


def test_a_visitor_touches_from_home_to_a_printed_ticket(server: ServerProcess, tokens: dict[str, str], make_kiosk: Any) -> None:
    token = tokens["kiosk-touch"]
    with FakeNetworkPrinter("paper_ok") as printer:
        kiosk: KioskDriver = make_kiosk(kiosk_config(server.url, token, network(printer)))
        kiosk.choose("DUKCAPIL", "KTP", "lansia")
        kiosk.touch(("confirm",))
        kiosk.wait_view("done")
        ticket = kiosk.app.state.ticket
        assert ticket is not None and ticket["number"].startswith("D")
        assert printer.wait_for(ticket["number"].encode()) and printer.wait_idle()
        job = printer.received
    status_queries, ticket_job = job.split(JOB_START)
    assert b"\x10\x04\x04" in status_queries  # the paper sensor was asked before the job was sent
    assert b"PRIORITAS: LANSIA" in ticket_job and b"KTP Elektronik" in ticket_job
    assert b"Dinas Kependudukan dan Pencatatan Sipil" in ticket_job
    fresh = Api(server.url).get(f"/tickets/{ticket['token']}").json()
    assert fresh["priority"] == "lansia" and fresh["printed"] is True and fresh["source"] == "kiosk"


def test_a_printer_that_never_answers_the_status_query_still_prints(server: ServerProcess, tokens: dict[str, str],
                                                                    make_kiosk: Any) -> None:
    with FakeNetworkPrinter("silent") as printer:
        cfg = kiosk_config(server.url, tokens["kiosk-silent"], network(printer) | {"timeout": 0.3})
        kiosk: KioskDriver = make_kiosk(cfg)
        kiosk.choose("DUKCAPIL", "KTP")
        kiosk.touch(("confirm",))
        kiosk.wait_view("done")
        assert printer.wait_for(kiosk.app.state.ticket["number"].encode())


def test_a_mouse_click_path_prints_through_the_dummy_printer(server: ServerProcess, tokens: dict[str, str],
                                                              make_kiosk: Any, tmp_path: Path) -> None:
    token = tokens["kiosk-mouse"]
    folder = tmp_path / "tickets"
    printer = {"type": "dummy", "folder": str(folder), "profile": "POS-5890"}
    kiosk: KioskDriver = make_kiosk(kiosk_config(server.url, token, printer), size=(1920, 1080))
    kiosk.choose("BPJSKES", "BPJS", mouse=True)
    kiosk.touch(("confirm",), mouse=True)
    kiosk.wait_view("done")
    number = kiosk.app.state.ticket["number"]
    (binary,) = folder.glob("*.bin")
    assert binary.name.startswith(number) and number.encode() in binary.read_bytes()
    assert binary.with_suffix(".png").stat().st_size > 1000


def test_paper_out_shows_the_number_tells_the_server_and_a_clerk_reprint_prints_it(
        server: ServerProcess, tokens: dict[str, str], make_kiosk: Any) -> None:
    token = tokens["kiosk-paper"]
    password = register_clerk(server, "petugas-cetak", "L11")
    clerk = Api(server.url).login("petugas-cetak", password)
    with FakeNetworkPrinter("paper_out") as printer:
        kiosk: KioskDriver = make_kiosk(kiosk_config(server.url, token, network(printer)))
        assert kiosk.app.socket is not None
        kiosk.pump_until(kiosk.app.socket.connected.is_set, "the /kiosk socket")
        kiosk.choose("POLRI", "SKCK")
        kiosk.touch(("confirm",))
        kiosk.wait_view("print_failed")
        ticket = kiosk.app.state.ticket
        assert kiosk.app.state.printer_error == "paper_out" and kiosk.find(("home",)) is not None
        assert ticket["number"].encode() not in printer.received
        wait_until(lambda: Api(server.url).get(f"/tickets/{ticket['token']}").json()["printed"] is False,
                   "the server to record the ticket as unprinted")
        assert ticket["token"] in {t["token"] for t in clerk.get("/tickets/unprinted").json()}
        wait_until(lambda: device_state(server, "kiosk-paper").get("printer") == "paper_out", "paper_out state")

        printer.mode = "paper_ok"  # the clerk loads paper, then asks for a reprint
        assert clerk.post(f"/tickets/{ticket['token']}/reprint").status_code == 202
        kiosk.pump_until(lambda: b"CETAK ULANG" in printer.received, "the reprint at the printer")
        assert printer.wait_idle()
        reprint = printer.received.split(JOB_START, 1)[1]
        assert ticket["number"].encode() in reprint and b"CETAK ULANG" in reprint
    wait_until(lambda: Api(server.url).get(f"/tickets/{ticket['token']}").json()["printed"] is True,
               "the reprint to be reported")
    wait_until(lambda: device_state(server, "kiosk-paper").get("printer") == "ok", "the printer back to ok")


def test_a_double_tap_on_confirm_issues_one_ticket(server: ServerProcess, tokens: dict[str, str],
                                                    make_kiosk: Any) -> None:
    token = tokens["kiosk-double"]
    with FakeNetworkPrinter("paper_ok") as printer:
        kiosk: KioskDriver = make_kiosk(kiosk_config(server.url, token, network(printer)))
        kiosk.choose("DPMPTSP", "PENGADUAN")
        spot = kiosk.button(("confirm",)).rect.center
        kiosk.clock.advance(1.0)
        kiosk.post_touch(spot)
        kiosk.post_click(spot)  # a second finger on the same frame
        kiosk.app.step()
        kiosk.clock.advance(0.15)
        kiosk.post_touch(spot)  # and again a moment later, while the request is in flight
        kiosk.app.step()
        kiosk.wait_view("done")
        assert printer.wait_idle()
        assert printer.received.count(JOB_START) == 1
    waiting = {s["code"]: s["waiting"] for s in Api(server.url).get("/services").json()}
    assert waiting["PENGADUAN"] == 1


def test_the_kiosk_goes_home_after_the_idle_time(server: ServerProcess, tokens: dict[str, str], make_kiosk: Any,
                                                 tmp_path: Path) -> None:
    token = tokens["kiosk-idle"]
    printer = {"type": "dummy", "folder": str(tmp_path)}
    kiosk: KioskDriver = make_kiosk(kiosk_config(server.url, token, printer, idle_seconds=30))
    kiosk.choose("IMIGRASI", "PASPOR", "disabilitas")
    kiosk.touch(("lang",))
    assert kiosk.app.state.lang == "en"
    kiosk.clock.advance(29)
    kiosk.app.step()
    assert kiosk.app.state.view == "confirm"
    kiosk.clock.advance(2)
    kiosk.app.step()
    assert kiosk.app.state.view == "home" and kiosk.app.state.lang == "id" and kiosk.find(("confirm",)) is None


def test_waiting_counts_follow_the_queue_live(server: ServerProcess, tokens: dict[str, str], make_kiosk: Any,
                                              tmp_path: Path) -> None:
    token = tokens["kiosk-live"]
    kiosk: KioskDriver = make_kiosk(kiosk_config(server.url, token, {"type": "dummy", "folder": str(tmp_path)}))
    assert kiosk.app.socket is not None
    kiosk.pump_until(kiosk.app.socket.connected.is_set, "the /kiosk socket")
    kiosk.wait_view("home")
    before = next(s["waiting"] for s in kiosk.app.state.services if s["code"] == "SKHPN")
    other = Api(server.url, tokens["kiosk-other"])
    assert other.post("/tickets", {"service": "SKHPN"}).status_code == 201
    kiosk.pump_until(lambda: next(s["waiting"] for s in kiosk.app.state.services if s["code"] == "SKHPN")
                     == before + 1, "the queue_changed message")


def test_an_unreachable_server_gives_the_unavailable_screen_and_no_number(
        server: ServerProcess, tokens: dict[str, str], make_kiosk: Any) -> None:
    proxy = TcpProxy(server.port)  # the kiosk reaches the server only through it: closing it = server down
    try:
        with FakeNetworkPrinter("paper_ok") as printer:
            kiosk: KioskDriver = make_kiosk(kiosk_config(proxy.url, tokens["kiosk-down"], network(printer)))
            kiosk.choose("DINSOS", "PBI")
            proxy.close()
            kiosk.touch(("confirm",))
            kiosk.wait_view("unavailable")
            assert kiosk.app.state.ticket is None and kiosk.find(("retry",)) is not None
            assert JOB_START not in printer.received
            kiosk.touch(("home",))
            assert kiosk.app.state.view == "unavailable"  # home waits for the server instead of offering services
    finally:
        proxy.close()
    waiting = {s["code"]: s["waiting"] for s in Api(server.url).get("/services").json()}
    assert waiting["PBI"] == 0


def test_a_kiosk_started_without_a_server_says_so(make_kiosk: Any, tmp_path: Path) -> None:
    cfg = kiosk_config(f"http://127.0.0.1:{free_port()}", "no-token", {"type": "dummy", "folder": str(tmp_path)})
    kiosk: KioskDriver = make_kiosk(cfg, realtime=False)
    kiosk.wait_view("unavailable")
    assert kiosk.find(("retry",)) is not None and kiosk.app.state.services == []
