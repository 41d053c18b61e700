"""The real kiosk program's heartbeat against a real server: a kiosk whose printer is out of paper shows on the
device health list with its version, uptime and printer state and an open alert; once the kiosk program stops,
it goes offline after the configured silence."""

from __future__ import annotations

import time

import pytest

from hardware.printing import PrinterError, TicketPrinter
from hardware.printing.errors import PrinterStatus
from kiosk.app import KioskApp
from kiosk.config import config_from_dict
from support import Api, ServerProcess, site_config

pytestmark = pytest.mark.slow


class EmptyPrinter(TicketPrinter):
    """A printer that answers its status query: out of paper."""

    def print_ticket(self, ticket: object) -> None:
        raise PrinterError("paper_out")

    def status(self) -> PrinterStatus:
        return PrinterStatus.PAPER_OUT


def _until(check, seconds: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)  # polling another process's state against a deadline
    pytest.fail(f"{what} not seen within {seconds} s")


def test_the_kiosk_program_reports_its_health_and_goes_offline_when_stopped(tmp_path):
    server = ServerProcess(tmp_path / "srv", site_config(devices__offline_after=2, devices__heartbeat_seconds=0.5,
                                                         devices__alert_check_seconds=0.5)).start()
    app = None
    try:
        token = server.add_device("kios-lobi-1", "kiosk")
        admin = Api(server.url).login("admin", server.admin_password())
        raw = site_config()
        raw["kiosk"].update(server=server.url, token=token, fullscreen=False)
        app = KioskApp(config_from_dict(raw), printer=EmptyPrinter()).start()

        def reported():
            health = admin.get("/devices/health").json()
            kiosk = next(d for d in health["devices"] if d["name"] == "kios-lobi-1")
            return (kiosk, health["alerts"]) if kiosk["online"] and "uptime" in kiosk["state"] else None

        kiosk, alerts = _until(reported, 10, "the kiosk's heartbeat")
        assert kiosk["printer"] == "paper_out" and kiosk["state"]["version"]
        assert [a["problem"] for a in alerts] == ["paper_out"]
        assert alerts[0]["text"] == "Kios kios-lobi-1: kertas printer habis"

        app.stop()
        stopped = time.monotonic()
        _until(lambda: [a["problem"] for a in admin.get("/devices/health").json()["alerts"]] == ["offline"], 6,
               "the stopped kiosk going offline")
        assert time.monotonic() - stopped >= 1.5  # offline only after the silence limit (2 s), not at once
    finally:
        if app is not None:
            app.stop()
        server.stop()
