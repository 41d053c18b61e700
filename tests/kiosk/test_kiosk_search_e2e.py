"""Cari layanan by touch against a real server: letters tapped on the on-screen keyboard find the service, and
the ticket comes out of the printer like any other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from kiosk_driver import KioskDriver, kiosk_config, register_kiosks

from support import ServerProcess


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_a_visitor_who_knows_only_the_word_paspor_gets_a_passport_ticket_by_touch(
        server: ServerProcess, make_kiosk: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    token = register_kiosks(server, f"kiosk-search-{size[0]}")[f"kiosk-search-{size[0]}"]
    folder = tmp_path / "tickets"
    kiosk: KioskDriver = make_kiosk(kiosk_config(server.url, token, {"type": "dummy", "folder": str(folder)}),
                                    size=size)
    kiosk.wait_view("home")
    kiosk.touch(("search",))
    assert kiosk.app.state.view == "search"
    for letter in "PAS":
        kiosk.touch(("key", letter))
    assert kiosk.app.state.query == "PAS"
    results = [b.action for b in kiosk.app.painter.buttons if b.action[0] == "service"]
    assert results == [("service", "PASPOR")]  # one match across every agency: Kantor Imigrasi's
    kiosk.touch(("service", "PASPOR"))
    kiosk.touch(("priority", None))
    kiosk.touch(("confirm",))
    kiosk.wait_view("done")
    number = kiosk.app.state.ticket["number"]
    assert number.startswith("J")
    (binary,) = folder.glob("*.bin")
    assert number.encode() in binary.read_bytes()
