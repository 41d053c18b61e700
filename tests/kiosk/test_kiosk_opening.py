"""Closed services say when they open: the wording from the kiosk's clock, the home screen before the building
opens, the service cards, and the server's `next_open` on the services board."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pygame
import pytest
from kiosk_driver import register_kiosks

from kiosk import catalog
from kiosk.api import KioskApi
from kiosk.flow import KioskState, Screen
from kiosk.i18n import opening_text
from kiosk.ui import draw
from kiosk.ui.frame import ViewContext
from kiosk.ui.qr import qr_surface
from kiosk.ui.screens import render
from support import ServerProcess

WITA = ZoneInfo("Asia/Makassar")
MONDAY_DAWN = datetime(2026, 11, 30, 5, 15, tzinfo=WITA)


@pytest.mark.parametrize("opens, lang, text", [
    (datetime(2026, 11, 30, 8, 0, tzinfo=WITA), "id", "Buka pukul 08.00"),
    (datetime(2026, 11, 30, 8, 0, tzinfo=WITA), "en", "Opens at 08.00"),
    (datetime(2026, 12, 1, 7, 30, tzinfo=WITA), "id", "Buka besok, 07.30"),
    (datetime(2026, 12, 1, 7, 30, tzinfo=WITA), "en", "Opens tomorrow, 07.30"),
    (datetime(2026, 12, 4, 13, 0, tzinfo=WITA), "id", "Buka Jumat, 13.00"),
    (datetime(2026, 12, 7, 8, 0, tzinfo=WITA), "en", "Opens Monday 7 Dec, 08.00"),
    (datetime(2026, 12, 7, 8, 0, tzinfo=WITA), "id", "Buka Senin 7 Des, 08.00"),
    # The server's offset is kept as sent; the kiosk reads it on its own clock.
    (datetime.fromisoformat("2026-11-30T00:30+00:00"), "id", "Buka pukul 08.30"),
])
def test_the_opening_is_worded_from_the_kiosk_clock(opens: datetime, lang: str, text: str) -> None:
    assert opening_text(lang, opens, MONDAY_DAWN) == text


def closed(code: str, agency: str, next_open: str | None) -> dict[str, Any]:
    return {"code": code, "name": code, "agency": agency, "agency_name": agency, "open_now": False,
            "closed_reason": "service_closed", "closed_message": "Layanan belum buka (buka pukul 08.00).",
            "waiting": 0, "next_open": next_open}


BEFORE_OPENING = [closed("KTP", "DUKCAPIL", "2026-11-30T08:00+08:00"),
                  closed("AKTA", "DUKCAPIL", "2026-12-01T08:00+08:00"),
                  closed("SIM", "POLRI", "2026-11-30T09:00+08:00")]


def test_the_first_opening_is_the_earliest_and_only_while_everything_is_closed() -> None:
    assert catalog.first_opening(BEFORE_OPENING) == datetime(2026, 11, 30, 8, tzinfo=WITA)
    open_one = BEFORE_OPENING + [dict(closed("KK", "DUKCAPIL", None), open_now=True, closed_reason=None)]
    assert catalog.first_opening(open_one) is None
    quota = BEFORE_OPENING + [dict(closed("KK", "DUKCAPIL", None), closed_reason="quota_exhausted")]
    assert catalog.first_opening(quota) is None
    assert catalog.first_opening([closed("X", "Y", "not a time")]) is None


def drawn_texts(monkeypatch: pytest.MonkeyPatch, s: KioskState, now: datetime) -> list[str]:
    texts: list[str] = []
    original = draw.Painter.text

    def record(self: draw.Painter, text: str, *args: Any, **kwargs: Any) -> int:
        texts.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(draw.Painter, "text", record)
    painter = render(pygame.Surface((1080, 1920)), s, ViewContext("MPP", now, qr_surface))
    assert painter.overflow == []
    return texts


def test_before_the_building_opens_the_home_screen_says_when(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = drawn_texts(monkeypatch, KioskState(services=BEFORE_OPENING, loaded=True), MONDAY_DAWN)
    assert "Layanan dibuka pukul 08.00. Silakan menunggu." in texts
    assert {"Buka pukul 08.00", "Buka pukul 09.00"} <= set(texts)  # each agency tile, its own first opening
    assert "Layanan Tutup" not in texts


def test_after_closing_time_the_home_screen_has_no_opening_line(monkeypatch: pytest.MonkeyPatch) -> None:
    evening = datetime(2026, 11, 29, 18, 0, tzinfo=WITA)  # Sunday evening: Monday is tomorrow
    texts = drawn_texts(monkeypatch, KioskState(lang="en", services=BEFORE_OPENING, loaded=True), evening)
    assert not any(t.startswith("Services open at") for t in texts)
    assert "Opens tomorrow, 08.00" in texts


def test_a_closed_service_card_says_when_it_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    s = KioskState(services=BEFORE_OPENING, loaded=True, agency="DUKCAPIL", screen=Screen.SERVICES)
    texts = drawn_texts(monkeypatch, s, MONDAY_DAWN)
    assert "Buka pukul 08.00" in texts and "Buka besok, 08.00" in texts


def test_the_services_board_carries_the_next_opening_of_closed_services(server: ServerProcess) -> None:
    api = KioskApi(server.url, register_kiosks(server, "kiosk-opening")["kiosk-opening"])
    board = {s["code"]: s for s in api.services()}
    assert board["KTP"]["open_now"] and board["KTP"]["next_open"] is None
    opens = catalog.next_open(board["AKTA"])  # closed today (see conftest): open again on another day
    now = datetime.now(WITA)
    assert opens is not None and opens > now and opens.astimezone(WITA).date() > now.date()
