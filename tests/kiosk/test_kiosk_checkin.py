"""Lapor Hadir at the kiosk against a stub server that answers `POST /bookings/<code>/check-in` like the contract."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pygame
import pytest
from kiosk_driver import KioskDriver, kiosk_config

from hardware.printing.fake import FakePrinter

TOKEN = "kiosk-stub-token"
GOOD_CODE, EARLY_CODE = "7K3M9Q2X", "EARLY234"
SERVICE = {"code": "KTP", "name": "KTP Elektronik", "agency": "DUKCAPIL",
           "agency_name": "Dinas Kependudukan dan Pencatatan Sipil", "prefix": "D", "open_now": True,
           "closed_reason": None, "waiting": 2, "eta_minutes": 16, "requirements": ["KK"]}
TICKET = {"id": 7, "number": "D007", "service": "KTP", "service_name": "KTP Elektronik", "agency": "DUKCAPIL",
          "status": "waiting", "priority": None, "ahead": 2, "eta_minutes": 16, "source": "online",
          "issued_at": "2026-11-30T08:15:00+08:00", "token": "tok-7", "status_url": "http://127.0.0.1/t/tok-7",
          "printed": True}


class StubApi(BaseHTTPRequestHandler):
    """The parts of `/api/v1` the kiosk uses, with check-in answering as the contract says."""

    seen: list[tuple[str, str, dict[str, str]]] = []
    checked_in: set[str] = set()

    def log_message(self, *args: Any) -> None:  # keep the test output clean
        pass

    def _answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.seen.append(("GET", self.path, dict(self.headers)))
        if self.path == "/api/v1/services":
            self._answer(200, [SERVICE])
        else:
            self._answer(404, {"error": {"code": "not_found", "message": "Alamat tidak ditemukan."}})

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.seen.append(("POST", self.path, dict(self.headers)))
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._answer(401, {"error": {"code": "unauthorized", "message": "Butuh token."}})
        elif self.path == f"/api/v1/bookings/{GOOD_CODE}/check-in":
            repeat = GOOD_CODE in self.checked_in
            self.checked_in.add(GOOD_CODE)
            self._answer(200 if repeat else 201, TICKET)
        elif self.path == f"/api/v1/bookings/{EARLY_CODE}/check-in":
            self._answer(409, {"error": {"code": "checkin_too_early",
                                         "message": "Lapor hadir dibuka 30 menit sebelum sesi (08.00)."}})
        elif self.path.endswith("/check-in"):
            self._answer(404, {"error": {"code": "unknown_booking", "message": "Kode booking tidak ditemukan."}})
        else:
            self._answer(200, {})


@pytest.fixture
def stub() -> Iterator[str]:
    StubApi.seen, StubApi.checked_in = [], set()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), StubApi)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def checkin_kiosk(make_kiosk: Any, url: str, printer: FakePrinter) -> KioskDriver:
    kiosk: KioskDriver = make_kiosk(kiosk_config(url, TOKEN, {"type": "dummy"}), printer=printer, realtime=False)
    kiosk.wait_view("home")
    kiosk.touch(("checkin",))
    assert kiosk.app.state.view == "checkin"
    return kiosk


def check_ins() -> list[dict[str, str]]:
    return [headers for method, path, headers in StubApi.seen if path.endswith("/check-in")]


def test_a_code_typed_on_the_keypad_checks_in_and_prints_the_ticket(stub: str, make_kiosk: Any) -> None:
    printer = FakePrinter()
    kiosk = checkin_kiosk(make_kiosk, stub, printer)
    assert kiosk.find(("submit",)) is None  # nothing to send yet
    for char in GOOD_CODE:
        kiosk.touch(("key", char))
    kiosk.touch(("submit",))
    kiosk.wait_view("done")
    assert kiosk.app.state.ticket["number"] == "D007"
    (printed,) = printer.printed
    assert printed.number == "D007" and printed.agency_name == "Dinas Kependudukan dan Pencatatan Sipil"
    (headers,) = check_ins()
    assert headers["Authorization"] == f"Bearer {TOKEN}" and headers["Idempotency-Key"]


def test_a_usb_scanner_typing_the_booking_url_and_enter_checks_in(stub: str, make_kiosk: Any) -> None:
    printer = FakePrinter()
    kiosk = checkin_kiosk(make_kiosk, stub, printer)
    kiosk.type(f"http://127.0.0.1:5000/booking/{GOOD_CODE.lower()}")
    kiosk.press(pygame.K_RETURN)
    kiosk.wait_view("done")
    assert [t.number for t in printer.printed] == ["D007"]


@pytest.mark.parametrize(("code", "message"), [
    ("AAAA2222", "Kode booking tidak ditemukan."),
    (EARLY_CODE, "Lapor hadir dibuka 30 menit sebelum sesi (08.00)."),
])
def test_a_refused_code_shows_the_servers_message_and_prints_nothing(stub: str, make_kiosk: Any, code: str,
                                                                     message: str) -> None:
    printer = FakePrinter()
    kiosk = checkin_kiosk(make_kiosk, stub, printer)
    kiosk.type(code)
    kiosk.touch(("submit",))
    kiosk.pump_until(lambda: not kiosk.app.state.busy, "the check-in answer")
    assert kiosk.app.state.view == "checkin" and kiosk.app.state.message == message
    assert printer.printed == [] and kiosk.app.state.ticket is None
    kiosk.touch(("key", "Z"))  # the next key starts a new code instead of appending to the refused one
    assert kiosk.app.state.code == "Z" and kiosk.app.state.message is None


def test_the_delete_key_removes_the_last_character(stub: str, make_kiosk: Any) -> None:
    kiosk = checkin_kiosk(make_kiosk, stub, FakePrinter())
    for char in "AB3":
        kiosk.touch(("key", char))
    kiosk.touch(("del",))
    kiosk.press(pygame.K_BACKSPACE)
    assert kiosk.app.state.code == "A"
