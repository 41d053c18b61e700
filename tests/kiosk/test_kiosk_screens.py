"""Every kiosk screen in portrait and landscape, Indonesian and English, drawn from the sample site's services board
on the screenshot day (site_day): text fits, buttons are apart and inside the screen. With
ANTRE_UPDATE_SCREENSHOTS=1 the pictures are written to docs/screenshots/kiosk-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pygame
import pytest
from browser_kit import DOCS_SHOTS, UPDATE_SHOTS
from kiosk_driver import register_kiosks, run_kiosk
from site_day import BEFORE_OPENING, SHOT_DAY, SHOT_TIME, faketime_env, sample_config

from hardware.screen import text
from kiosk.api import KioskApi, new_key
from kiosk.config import config_from_dict
from kiosk.flow import KioskState, Screen
from kiosk.ui.frame import ViewContext
from kiosk.ui.qr import qr_surface
from kiosk.ui.screens import render
from support import Api, ServerProcess

pytestmark = pytest.mark.screenshots
SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
OPENS_AT = f"{SHOT_DAY.isoformat()}T08:00+08:00"  # every service of the sample opens at 08.00
# People in line at 09.30 before the pictured visitor, and the lokets open (nobody is called in this test).
OPEN_LOKETS = ("L01", "L03", "L04", "L05", "L06", "L08", "L10", "L11", "L13")
WAITING = {"NIB": 2, "PENGADUAN": 1, "KTP": 4, "KK": 2, "BPJS": 2, "PASPOR": 1, "SKCK": 3, "SIM": 1, "PKB": 4}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """The sample site on the screenshot day (the kiosk package's shared test site is open all day, with made-up
    quotas and a service closed whatever the day)."""
    proc = ServerProcess(tmp_path_factory.mktemp("kiosk-screens"), sample_config(), env=faketime_env()).start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def board(server: ServerProcess) -> dict[str, Any]:
    """The services board at 09.30 with people waiting across the hall; the last ticket a Lansia's KTP."""
    token = register_kiosks(server, "kiosk-screens")["kiosk-screens"]
    clerk = Api(server.url).login("rina", server.add_clerk("rina", *OPEN_LOKETS))
    for code in OPEN_LOKETS:  # open, so the kiosk shows estimates instead of "after a loket opens"
        assert clerk.post(f"/counters/{code}/open").status_code == 200
    api = KioskApi(server.url, token)
    for service, count in WAITING.items():
        for _ in range(count):
            api.issue_ticket(service, None, new_key())
    ticket = api.issue_ticket("KTP", "lansia", new_key())
    return {"services": api.services(), "priorities": api.priorities(), "ticket": ticket, "server": server,
            "token": token}


def state_for(screen: str, board: dict[str, Any], lang: str) -> KioskState:
    shows = config_from_dict(sample_config()).shows  # what this MPP kiosk offers (no kelurahan offices)
    services = [s for s in board["services"] if shows(s["agency"])]
    priorities = {p["code"]: p for p in board["priorities"]}  # the server's labels, as the kiosk loads them
    s = KioskState(lang=lang, services=services, priorities=priorities, loaded=True, agency="DUKCAPIL",
                   service="KTP", priority="lansia", printer="ok")
    ticket = board["ticket"]
    match screen:
        case "home-before-opening":  # 07.15: every service opens at 08.00
            s.services = [dict(x, open_now=False, closed_reason="service_closed", next_open=OPENS_AT)
                          for x in services]
        case "home-paper-out":
            s.printer = "paper_out"
        case "loading":
            s.loaded = False
        case "unavailable-home":
            s.online = False
        case "printing":
            s.screen, s.busy, s.ticket, s.retry = Screen.PRINTING, True, ticket, ("issue", "KTP", "lansia", "k")
        case "done":
            s.screen, s.ticket = Screen.DONE, ticket
        case "print-failed":
            s.screen, s.ticket, s.printer_error = Screen.PRINT_FAILED, ticket, "paper_out"
        case "unavailable":
            s.screen = Screen.UNAVAILABLE
        case "refused":
            s.screen, s.message = Screen.REFUSED, "Kuota habis: kuota layanan hari ini sudah terpenuhi."
        case "search":  # before the first letter: every service A-Z
            s.screen = Screen.SEARCH
        case "search-ktp":
            s.screen, s.query = Screen.SEARCH, "KTP"
        case "search-none":
            s.screen, s.query = Screen.SEARCH, "XYZ"
        case "checkin":
            s.screen, s.code, s.code_selected = Screen.CHECKIN, "7K3M9Q2X", True
            s.message = "Kode booking tidak ditemukan."
        case _:
            s.screen = Screen(screen)
    return s


SCREENS = ["home", "home-before-opening", "home-paper-out", "services", "search", "search-ktp", "search-none",
           "priority", "confirm", "printing", "done", "print-failed", "unavailable", "unavailable-home", "refused",
           "checkin", "loading"]


@pytest.mark.parametrize("orientation", SIZES)
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("screen", SCREENS)
def test_every_screen_fits_its_text_and_buttons(board: dict[str, Any], screen: str, lang: str, orientation: str,
                                                tmp_path: Path) -> None:
    surface = pygame.Surface(SIZES[orientation])
    clock = BEFORE_OPENING if screen == "home-before-opening" else SHOT_TIME
    context = ViewContext("Mal Pelayanan Publik Kota Samarinda", clock, qr_surface)
    painter = render(surface, state_for(screen, board, lang), context)
    assert painter.overflow == [], f"text cut on {screen}: {painter.overflow}"
    screen_rect = surface.get_rect()
    for i, button in enumerate(painter.buttons):
        assert screen_rect.contains(button.rect), f"{button.label} leaves the screen"
        assert button.rect.height >= 80, f"{button.label} is too small to touch"
        for other in painter.buttons[i + 1:]:
            assert not button.rect.colliderect(other.rect), f"{button.label} overlaps {other.label}"
    name = f"kiosk-{screen}-{orientation}{'-en' if lang == 'en' else ''}.png"
    keep = UPDATE_SHOTS and (lang == "id" or screen in ("home", "done"))
    pygame.image.save(surface, str((DOCS_SHOTS if keep else tmp_path) / name))


def test_drawing_every_screen_again_opens_no_font_file(board: dict[str, Any]) -> None:
    context = ViewContext("MPP", SHOT_TIME, qr_surface)
    surface = pygame.Surface(SIZES["portrait"])
    for screen in SCREENS:
        render(surface, state_for(screen, board, "id"), context)
    opened = text.load_font.cache_info().misses
    for screen in SCREENS:
        render(surface, state_for(screen, board, "id"), context)
    assert text.load_font.cache_info().misses == opened


def test_the_services_screen_offers_only_what_can_be_taken(board: dict[str, Any]) -> None:
    surface = pygame.Surface(SIZES["portrait"])
    context = ViewContext("MPP", SHOT_TIME, qr_surface)
    state = state_for("services", board, "id")
    full = {"KK": dict(open_now=False, closed_reason="quota_exhausted"),
            "AKTA": dict(open_now=False, closed_reason="service_closed", next_open=OPENS_AT)}
    state.services = [dict(s, **full.get(s["code"], {})) for s in state.services]
    painter = render(surface, state, context)
    assert {b.action for b in painter.buttons if b.action[0] == "service"} == {("service", "KTP")}


def test_the_screenshot_command_saves_the_home_screen(board: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "home.png"
    done = run_kiosk(tmp_path, "--screenshot", str(target), "--size", "1920x1080",
                     server=board["server"].url, token=board["token"])
    assert done.returncode == 0, done.stderr
    assert pygame.image.load(str(target)).get_size() == (1920, 1080)
