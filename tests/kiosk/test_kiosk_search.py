"""Finding a service by name (Cari layanan) and the services named on each agency tile, on the sample site's
services: the search itself, the flow through it, and what its screens draw."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pygame
import pytest

from kiosk import catalog
from kiosk.flow import Flow, Screen
from kiosk.ui import draw
from kiosk.ui.frame import ViewContext
from kiosk.ui.qr import qr_surface
from kiosk.ui.screens import render
from kiosk.worker import Msg
from support import site_config

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime(2026, 11, 30, 8, 15, tzinfo=WITA)  # an ordinary Monday morning


def sample_services() -> list[dict[str, Any]]:
    """The MPP's services of config.toml as GET /services lists them (all open, nobody waiting)."""
    raw = site_config()
    agencies = {a["code"]: a for a in raw["agency"] if not a.get("place")}
    return [{"code": s["code"], "name": s["name"], "agency": s["agency"],
             "agency_name": agencies[s["agency"]]["name"], "open_now": True, "waiting": 0, "eta_minutes": 0}
            for s in raw["service"] if s["agency"] in agencies]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def issue(self, job: int, service: str, priority: str | None, key: str) -> None:
        self.calls.append(("issue", service, priority))

    def check_in(self, job: int, code: str, key: str) -> None:
        self.calls.append(("check_in", code))

    def reprint(self, ticket: dict[str, Any]) -> None:
        self.calls.append(("reprint",))

    def reload(self) -> None:
        self.calls.append(("reload",))


@pytest.fixture
def flow() -> Flow:
    flow = Flow(Recorder())
    flow.message(Msg("services", sample_services()), 0.0)
    return flow


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, float, tuple[int, int, int]]]]:
    """Every text the painter draws: (text, design size, colour)."""
    texts: list[tuple[str, float, tuple[int, int, int]]] = []
    original = draw.Painter.text

    def recording(self: draw.Painter, text: str, rect: pygame.Rect, size: float, **style: Any) -> int:
        texts.append((text, size, style.get("color", draw.TEXT)))
        return original(self, text, rect, size, **style)

    monkeypatch.setattr(draw.Painter, "text", recording)
    yield texts


def paint(flow: Flow, size: tuple[int, int] = (1920, 1080)) -> draw.Painter:
    painter = render(pygame.Surface(size), flow.state, ViewContext("MPP Samarinda", NOW, qr_surface))
    assert painter.overflow == []
    return painter


def codes(found: list[dict[str, Any]]) -> list[str]:
    return [s["code"] for s in found]


def test_typing_ktp_finds_the_ktp_service_of_disdukcapil_first() -> None:
    found = catalog.search(sample_services(), "KTP")
    assert codes(found)[0] == "KTP"
    assert found[0]["agency_name"] == "Dinas Kependudukan dan Pencatatan Sipil"


@pytest.mark.parametrize(("query", "expected"), [
    ("ktp", ["KTP"]), ("  Paspor ", ["PASPOR"]), ("sim", ["SIM"]), ("kartu kel", ["KK"]),
    ("kependudukan", ["AKTA", "KK", "KTP"]), ("SKCK", ["SKCK"]), ("narkotika", ["SKHPN"]),
])
def test_the_search_matches_words_of_the_name_code_or_agency(query: str, expected: list[str]) -> None:
    found = codes(catalog.search(sample_services(), query))
    # Name matches first; matches on the agency only (SKCK for "sim": "Polresta … (SIM dan SKCK)") after them.
    assert sorted(found[:len(expected)]) == sorted(expected)
    assert len(found) <= len(expected) + 1


def test_an_unknown_word_finds_nothing_and_no_word_lists_every_service_a_to_z() -> None:
    services = sample_services()
    assert catalog.search(services, "XYZ") == []
    everything = catalog.search(services, "")
    assert len(everything) == len(services)
    assert [s["name"].lower() for s in everything] == sorted(s["name"].lower() for s in services)


def test_a_name_that_starts_with_the_word_comes_before_one_that_only_contains_it() -> None:
    services = [{"code": "A", "name": "Legalisir Akta", "agency": "X"}, {"code": "B", "name": "Akta Kelahiran",
                                                                         "agency": "X"}]
    assert codes(catalog.search(services, "akta")) == ["B", "A"]


def test_search_keys_filter_as_the_visitor_types_and_a_result_leads_to_the_priority_choice(flow: Flow) -> None:
    now = 10.0
    assert flow.tap(("search",), now)
    assert flow.state.screen is Screen.SEARCH and flow.state.query == ""
    for char in "KTP":
        now += 0.5
        assert flow.tap(("key", char), now)
    assert flow.state.query == "KTP"
    assert flow.tap(("service", "KTP"), now + 1)
    assert flow.state.screen is Screen.PRIORITY and flow.state.agency == "DUKCAPIL"
    assert flow.tap(("back",), now + 2)
    assert flow.state.screen is Screen.SEARCH and flow.state.query == "KTP"  # the search is kept on the way back
    assert flow.tap(("service", "KTP"), now + 3) and flow.tap(("priority", None), now + 4)
    assert flow.tap(("confirm",), now + 5)
    assert flow.effects.calls == [("issue", "KTP", None)]  # type: ignore[attr-defined]


def test_the_search_keys_delete_clear_and_space_and_home_forgets_the_words(flow: Flow) -> None:
    flow.tap(("search",), 10.0)
    assert flow.type_text("paspor", 11.0) and flow.state.query == "PASPOR"
    assert not flow.tap(("space",), 12.0) or flow.state.query == "PASPOR "
    assert not flow._on_space(12.5)  # no double space
    assert flow.tap(("del",), 13.0) and flow.tap(("del",), 14.0) and flow.state.query == "PASPO"
    assert flow.backspace(14.1) and flow.state.query == "PASP"
    assert flow.tap(("clear",), 15.0) and flow.state.query == ""
    flow.type_text("sim", 16.0)
    assert flow.tap(("home",), 17.0)
    assert flow.state.screen is Screen.HOME and flow.state.query == ""


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_the_search_screen_offers_the_ktp_service_and_big_keys(flow: Flow, size: tuple[int, int]) -> None:
    flow.tap(("search",), 10.0)
    flow.type_text("KTP", 11.0)
    painter = paint(flow, size)
    assert [b.action for b in painter.buttons if b.action[0] == "service"] == [("service", "KTP")]
    keys = [b for b in painter.buttons if b.action[0] in ("key", "del", "space", "clear")]
    assert {b.action[1] for b in keys if b.action[0] == "key"} >= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert all(b.rect.width >= painter.px(80) and b.rect.height >= painter.px(90) for b in keys)


def test_an_unknown_word_says_tidak_ditemukan(flow: Flow, drawn: list[tuple[str, float, Any]]) -> None:
    flow.tap(("search",), 10.0)
    flow.type_text("XYZ", 11.0)
    painter = paint(flow)
    assert not [b for b in painter.buttons if b.action[0] == "service"]
    assert "Layanan \u201cXYZ\u201d tidak ditemukan" in [text for text, *_ in drawn]


def test_each_agency_tile_names_its_main_services() -> None:
    tiles = {a.code: a for a in catalog.agencies(sample_services())}
    assert tiles["DUKCAPIL"].highlights == ("KTP Elektronik", "Kartu Keluarga", "Akta Kelahiran dan Kematian")
    assert tiles["DPMPTSP"].highlights[0] == "NIB"  # the abbreviation in brackets is what visitors know
    assert tiles["BNN"].highlights == ("SKHPN",)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_the_home_screen_shows_the_services_on_the_tiles_and_one_title_size(
        flow: Flow, drawn: list[tuple[str, float, Any]], size: tuple[int, int]) -> None:
    painter = paint(flow, size)
    texts = [text for text, *_ in drawn]
    assert any(text.startswith("KTP Elektronik · Kartu Keluarga") for text in texts), texts
    names = {a.name for a in catalog.agencies(flow.state.services)}
    assert len({size for text, size, _ in drawn if text in names}) == 1  # one title size on every tile
    assert ("search",) in [b.action for b in painter.buttons]


def test_take_your_ticket_is_an_instruction_in_green_letters_not_a_green_button(
        flow: Flow, drawn: list[tuple[str, float, Any]]) -> None:
    flow.state.screen, flow.state.ticket = Screen.DONE, {"number": "D005", "service_name": "KTP Elektronik"}
    surface = pygame.Surface((1920, 1080))
    painter = render(surface, flow.state, ViewContext("MPP", NOW, qr_surface))
    colours = [colour for text, _, colour in drawn if text == "Silakan ambil tiket Anda"]
    assert colours == [draw.GO]
    assert "Silakan ambil tiket Anda" not in [b.label for b in painter.buttons]
    # Around the words is the page's own background, not a green bar: little of the band is green.
    band = [surface.get_at((x, y))[:3] for x in range(1040, 1880, 8) for y in range(580, 800, 8)]
    assert band.count(draw.GO) < len(band) * 0.3 and band.count(draw.BG) > len(band) * 0.5
