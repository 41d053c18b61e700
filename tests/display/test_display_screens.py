"""Screenshots of the TV's states (empty, calling, busy, disconnected, before opening) at 1920x1080 and 1366x768, with checks.

Set ANTRE_UPDATE_SCREENSHOTS=1 to write them to docs/screenshots/ (otherwise into a temporary folder).
"""

import itertools
import os
from dataclasses import replace
from pathlib import Path

import pygame
import pytest

from display.draw import FLASH
from display.layout import compute_layout
from display.panels import MIN_TILE_H, Look, counter_pages, waiting_pages
from display.render import Renderer
from display.samples import SAMPLE_NOW, SAMPLES, render_sample, sample_now, sample_settings, sample_state
from hardware.screen import text

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = [(1920, 1080), (1366, 768)]


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("ANTRE_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path_factory.mktemp("screens")


def shot_name(sample: str, size: tuple[int, int]) -> str:
    suffix = "" if size == (1920, 1080) else f"-{size[0]}x{size[1]}"
    return f"display-{sample}{suffix}.png"


def draw(sample: str, size: tuple[int, int]) -> tuple[pygame.Surface, Renderer]:
    surface, renderer = pygame.Surface(size), Renderer(size, sample_settings())
    state = sample_state(sample)
    renderer.draw(surface, state, sample_now(sample), 1.0)
    return surface, renderer


@pytest.mark.parametrize(("sample", "size"), list(itertools.product(SAMPLES, SIZES)))
def test_each_screen_is_drawn_and_saved_with_every_number_in_full(sample: str, size: tuple[int, int],
                                                                   out_dir: Path) -> None:
    surface = render_sample(sample, size)
    path = out_dir / shot_name(sample, size)
    pygame.image.save(surface, str(path))
    assert pygame.image.load(str(path)).get_size() == size
    _, renderer = draw(sample, size)
    state = sample_state(sample)
    numbers = {c.number for c in state.calls} | {c.number for c in state.counters if c.number}
    assert not numbers & renderer.fonts.overflowed  # a ticket number is never cut with "…"


def test_drawing_every_screen_again_opens_no_font_file() -> None:
    for sample in SAMPLES:
        render_sample(sample)
    opened = text.load_font.cache_info().misses
    for sample in SAMPLES:
        render_sample(sample)  # a new Renderer: only the shared toolkit remembers the fonts
    assert text.load_font.cache_info().misses == opened


def test_the_calling_screen_shows_the_fresh_call_in_yellow_and_differs_from_the_empty_one() -> None:
    calling, empty = render_sample("calling"), render_sample("empty")
    panel = compute_layout((1920, 1080), 14).calling
    assert calling.get_at((panel.x + 30, panel.bottom - 30))[:3] == FLASH
    assert pygame.image.tobytes(calling.subsurface(panel), "RGB") != pygame.image.tobytes(
        empty.subsurface(panel), "RGB")


def test_the_disconnected_screen_differs_from_the_connected_one_only_by_the_header_mark() -> None:
    offline, renderer = draw("disconnected", (1920, 1080))
    online = pygame.Surface((1920, 1080))
    connected = replace(sample_state("disconnected"), connected=True)
    Renderer((1920, 1080), sample_settings()).draw(online, connected, SAMPLE_NOW, 1.0)
    layout = renderer.layout
    for name, rect in layout.panels.items():
        same = pygame.image.tobytes(offline.subsurface(rect), "RGB") == pygame.image.tobytes(
            online.subsurface(rect), "RGB")
        assert same == (name != "header"), name


def test_a_busy_mpp_fits_all_44_counters_on_one_page_with_readable_tiles() -> None:
    state = sample_state("busy")
    for size in SIZES:
        _, renderer = draw("busy", size)
        look = Look(renderer.layout, renderer.fonts, "id", False, False)
        pages = counter_pages(state, look)
        assert len(pages) == 1 and len(pages[0]) == 44
        rows = 6
        tile_h = (renderer.layout.counters.height - (rows - 1) * renderer.layout.px(12)) / rows
        assert tile_h >= renderer.layout.px(MIN_TILE_H)


def test_many_agencies_page_through_the_waiting_panel() -> None:
    state = sample_state("busy")
    _, renderer = draw("busy", (1366, 768))
    look = Look(renderer.layout, renderer.fonts, "id", False, False)
    by, pages = waiting_pages(state, look, "service")
    assert by == "service" and len(pages) > 1
    assert sum(len(p) for p in pages) == len(state.waiting)
    by, pages = waiting_pages(state, look, "auto")
    assert by == "agency"


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768), (1280, 1024), (800, 480), (3840, 2160)])
def test_panels_never_overlap_and_stay_on_screen(size: tuple[int, int]) -> None:
    for counters in (14, 44):
        layout = compute_layout(size, counters)
        screen = pygame.Rect((0, 0), size)
        rects = list(layout.panels.values())
        assert all(screen.contains(r) and r.width > 0 and r.height > 0 for r in rects)
        assert not any(a.colliderect(b) for a, b in itertools.combinations(rects, 2))
