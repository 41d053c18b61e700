"""Screenshots of the TV's states (empty, calling, busy, disconnected, before opening) at 1920x1080 and 1366x768, with checks.

Set ANTRE_UPDATE_SCREENSHOTS=1 to write them to docs/screenshots/ (otherwise into a temporary folder).
"""

import itertools
from dataclasses import replace
from pathlib import Path

import pygame
import pytest
from browser_kit import DOCS_SHOTS, UPDATE_SHOTS
from site_day import BEFORE_OPENING, SHOT_TIME

from display.draw import FLASH, MIN_TEXT_PX
from display.layout import compute_layout
from display.panels import MIN_TILE_H, MIN_TILE_W, Look, counter_pages, counter_tiles, waiting_pages
from display.render import Renderer
from display.samples import SAMPLE_NOW, SAMPLES, render_sample, sample_now, sample_settings, sample_state
from hardware.screen import text

pytestmark = pytest.mark.screenshots
SIZES = [(1920, 1080), (1366, 768)]


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if UPDATE_SHOTS:
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        return DOCS_SHOTS
    return tmp_path_factory.mktemp("screens")


def test_the_sample_screens_show_the_screenshot_day_of_every_other_picture() -> None:
    assert (sample_now("calling"), sample_now("before-opening")) == (SHOT_TIME, BEFORE_OPENING)


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
                                                                   out_dir: Path, tmp_path: Path) -> None:
    surface = render_sample(sample, size)
    # "large" (44 loket) is not the sample site: it is checked, not pictured in the docs.
    path = (tmp_path if sample == "large" else out_dir) / shot_name(sample, size)
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


def test_the_sample_mpp_shows_its_14_loket_on_one_page() -> None:
    state = sample_state("busy")
    for size in SIZES:
        _, renderer = draw("busy", size)
        look = Look(renderer.layout, renderer.fonts, "id", False, False)
        assert [len(page) for page in counter_pages(state, look)] == [14]


@pytest.mark.parametrize("size", SIZES)
def test_a_large_mpp_pages_its_44_loket_in_tiles_big_enough_for_the_minimum_text(size: tuple[int, int]) -> None:
    state = sample_state("large")
    _, renderer = draw("large", size)
    look = Look(renderer.layout, renderer.fonts, "id", False, False)
    pages = counter_pages(state, look)
    shown = [c.code for page in pages for c in page]
    assert len(pages) > 1 and len(shown) == len(set(shown))
    assert {c.code for c in state.counters if c.status != "closed" or c.number} <= set(shown)
    for page in range(len(pages)):
        for _counter, rect, _key in counter_tiles(state, look, page):
            assert rect.height >= renderer.layout.px(MIN_TILE_H) and rect.width >= renderer.layout.px(MIN_TILE_W)
    assert not {c.name for c in state.counters} & renderer.fonts.overflowed  # "Loket 12" is never cut


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


class RecordingFont:
    """A font that notes the size of every text drawn with it (and measures like the real one)."""

    def __init__(self, real: pygame.font.Font, size: int, drawn: list[tuple[int, str]]) -> None:
        self.real, self.px, self.drawn = real, size, drawn

    def render(self, line: str, *args: object) -> pygame.Surface:
        self.drawn.append((self.px, line))
        return self.real.render(line, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768), (1280, 720), (3840, 2160)])
def test_no_text_on_the_tv_is_smaller_than_the_minimum_for_its_screen(size: tuple[int, int],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Walks every text actually drawn on every sample screen: none below 28 px at 1080 lines (20 px at 768)."""
    drawn: list[tuple[int, str]] = []
    real = text.load_font
    monkeypatch.setattr(text, "load_font", lambda path, px, bold: RecordingFont(real(path, px, bold), px, drawn))
    text.render.cache_clear()  # cached images would skip the font
    text.fit_line.cache_clear()
    for sample in SAMPLES:
        render_sample(sample, size)
    text.render.cache_clear()  # do not leave recorded fonts' images behind for other tests
    floor = compute_layout(size).px(MIN_TEXT_PX)
    assert floor >= (20 if size[1] >= 768 else 18)
    too_small = sorted({(px, line) for px, line in drawn if px < floor and line.strip()})
    assert drawn and not too_small, f"below {floor} px: {too_small[:10]}"
