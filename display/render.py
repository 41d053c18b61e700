"""Draws the whole TV screen from a DisplayState: header, panels and ticker, redrawing only what changed."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pygame

from display import draw
from display.draw import MIN_TEXT_PX, Fonts, blit_aligned
from display.layout import Layout, compute_layout
from display.panels import (
    Look,
    TileKey,
    counter_pages,
    counter_tiles,
    draw_calling,
    draw_history,
    draw_tile,
    draw_waiting,
    waiting_pages,
)
from display.settings import DisplaySettings
from display.state import DisplayState, first_opening, visible_counters
from display.texts import format_datetime, format_opening, label, priority_labels

FLASH_SECS = 8.0  # how long a new call keeps drawing the eye
FLASH_PERIOD_SECS = 0.5  # the now-calling panel turns yellow and back at this pace
PAGE_SECS = 8.0  # a page of loket or menunggu rows stays this long when they do not fit at once
TICKER_PX_PER_SEC = 120  # design px: readable from a chair, calm enough not to distract
TICKER_GAP = 240  # design px between the end of the text and its next pass
TICKER_CHUNK_CHARS = 60  # long texts are rendered in pieces: SDL surfaces have a maximum width


@dataclass(frozen=True, slots=True)
class Frame:
    """What one call to Renderer.draw did: the rectangles that changed (empty: nothing to show)."""

    dirty: list[pygame.Rect]


class Renderer:
    """Keeps what each region showed last and redraws a region only when its inputs change."""

    def __init__(self, size: tuple[int, int], settings: DisplaySettings, fonts: Fonts | None = None) -> None:
        self.size = size
        self.settings = settings
        self.office_ticker = ""
        self.fonts = fonts or Fonts()
        self.layout: Layout = compute_layout(size)
        self.fonts.floor = self.layout.px(MIN_TEXT_PX)
        self._keys: dict[str, Hashable] = {}
        self._tiles: dict[str, TileKey] = {}  # what each loket tile shows: one call repaints one tile
        self._seen_calls: int | None = None
        self._flash_from = -1e9
        self._ticker_chunks: list[pygame.Surface] | None = None
        self._ticker_size: tuple[int, int] = (0, 0)
        self._logo: pygame.Surface | None = None
        self._logo_loaded = False
        self.priorities: dict[str, dict[str, str]] = {}  # the server's labels: {code: {"id": …, "en": …}}

    # ------------------------------------------------------------------ animation
    def _note_calls(self, state: DisplayState, mono: float) -> None:
        if self._seen_calls is not None and state.call_count != self._seen_calls:
            self._flash_from = mono  # a live call (or recall) arrived: the panel flashes
        self._seen_calls = state.call_count

    def flashing(self, mono: float) -> bool:
        """Whether a fresh call is being highlighted."""
        return 0 <= mono - self._flash_from < FLASH_SECS

    def animating(self, mono: float) -> bool:
        """Whether the next frame differs without any new event (flash or running text)."""
        return self.flashing(mono) or bool(self.ticker)

    def set_priorities(self, items: Any) -> None:
        """Take the priority labels of `GET /api/v1/priorities`; a changed table repaints everything."""
        table = priority_labels(items)
        if table and table != self.priorities:
            self.priorities = table
            self.invalidate()

    @property
    def ticker(self) -> str:
        """The running text: the office's (from the server) if it set one, else this TV's own."""
        return self.office_ticker or self.settings.ticker

    def set_ticker(self, text: str) -> None:
        """Take the office's running text from a snapshot; a change redraws the strip."""
        if text != self.office_ticker:
            self.office_ticker, self._ticker_chunks = text, None
            self.invalidate()

    def invalidate(self) -> None:
        """Forget what was drawn: the next draw repaints everything."""
        self._keys.clear()
        self._tiles.clear()

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface, state: DisplayState, now: datetime, mono: float) -> Frame:
        """Bring surface up to date with state at wall time now (site zone) and monotonic time mono."""
        self._note_calls(state, mono)
        layout = compute_layout(surface.get_size(), len(visible_counters(state)))
        if layout != self.layout:
            self.layout, self.size = layout, surface.get_size()
            self.fonts.floor = layout.px(MIN_TEXT_PX)
            self.invalidate()
        full = not self._keys
        if full:
            surface.fill(draw.BACKGROUND)
        flashing = self.flashing(mono)
        look = Look(layout, self.fonts, self.settings.language, flashing,
                    int((mono - self._flash_from) / FLASH_PERIOD_SECS) % 2 == 0, self.priorities,
                    dict(self.settings.agency_short_names))
        page = int(mono / PAGE_SECS)
        dirty = [self._region(surface, name, key, painter) for name, key, painter in
                 self._regions(state, now, look, page)]
        dirty.extend(self._draw_tiles(surface, state, look, page))
        if self.ticker or full:
            dirty.append(self._draw_ticker(surface, mono))
        rects = [r for r in dirty if r is not None]
        return Frame([surface.get_rect()] if full else rects)

    def _regions(self, state: DisplayState, now: datetime, look: Look,
                 page: int) -> list[tuple[str, Hashable, Callable[[pygame.Surface], None]]]:
        clock = format_datetime(now, self.settings.language)
        counter_page = page % len(counter_pages(state, look))
        waiting_page = page % len(waiting_pages(state, look, self.settings.waiting_by)[1])
        services = tuple(state.services.items())
        opens = None if state.calls else first_opening(state)
        opening = format_opening(opens, now, self.settings.language) if opens is not None and opens > now else ""
        return [
            ("header", (clock, state.connected, state.error, state.site),
             lambda s: self._draw_header(s, state, clock)),
            ("calling", (state.calls[:1], look.flashing and look.bright, services, opening),
             lambda s: draw_calling(s, state, look, opening)),
            ("history", state.calls[1:], lambda s: draw_history(s, state, look)),
            ("counters", (counter_page, len(counter_pages(state, look)[counter_page])),
             lambda s: self._tiles.clear()),
            ("waiting", (tuple(state.waiting.items()), waiting_page, services),
             lambda s: draw_waiting(s, state, look, self.settings.waiting_by, waiting_page)),
        ]

    def _region(self, surface: pygame.Surface, name: str, key: Hashable,
                painter: Callable[[pygame.Surface], None]) -> pygame.Rect | None:
        if self._keys.get(name, object()) == key:
            return None
        rect = self.layout.panels[name]
        surface.fill(draw.BACKGROUND, rect)
        clip = surface.get_clip()
        surface.set_clip(rect)  # a panel never paints over its neighbours
        try:
            painter(surface)
        finally:
            surface.set_clip(clip)
        self._keys[name] = key
        return rect

    def _draw_tiles(self, surface: pygame.Surface, state: DisplayState, look: Look, page: int) -> list[pygame.Rect]:
        """Repaint the loket tiles whose content changed (all of them after the grid itself changed)."""
        pages = len(counter_pages(state, look))
        changed = []
        for counter, rect, key in counter_tiles(state, look, page % pages):
            if self._tiles.get(counter.code) == key:
                continue
            surface.fill(draw.BACKGROUND, rect)
            draw_tile(surface, counter, rect, look, key[1])
            self._tiles[counter.code] = key
            changed.append(rect)
        # Within the grid's own region, one rectangle is cheaper to present than dozens.
        return [changed[0].unionall(changed[1:])] if changed else []

    # ------------------------------------------------------------------ header
    def _draw_header(self, surface: pygame.Surface, state: DisplayState, clock: str) -> None:
        rect, px, fonts = self.layout.header, self.layout.px, self.fonts
        pygame.draw.line(surface, draw.PANEL_LINE, (0, rect.bottom - px(3)), (rect.right, rect.bottom - px(3)),
                         max(1, px(3)))
        inner = rect.inflate(-2 * self.layout.margin, -2 * px(14))
        logo = pygame.Rect(inner.x, inner.y, inner.height, inner.height)
        self._draw_logo(surface, logo)
        when = fonts.render(clock, px(38), draw.INK, bold=True)
        text_x = logo.right + px(22)
        text_w = inner.right - text_x - when.get_width() - px(40)
        site = state.site or self.settings.site_name or "Antre"
        title = fonts.fitted(site, px(40), draw.INK, text_w, bold=True, min_size=px(22))
        second = self.settings.title
        top = inner.y + (px(6) if second else (inner.height - title.get_height()) // 2)
        surface.blit(title, (text_x, top))
        if second:
            surface.blit(fonts.fitted(second, px(28), draw.MUTED, text_w), (text_x, top + title.get_height()))
        # The clock sits in the middle of the header, or moves up to make room for the reconnecting mark.
        clock_top = inner.centery - when.get_height() // 2 if state.connected else inner.y + px(4)
        blit_aligned(surface, when, pygame.Rect(inner.x, clock_top, inner.width, when.get_height()),
                     align="right", valign="top")
        if not state.connected:
            self._draw_reconnecting(surface, state, inner, when.get_height())

    def _draw_reconnecting(self, surface: pygame.Surface, state: DisplayState, inner: pygame.Rect,
                           clock_h: int) -> None:
        """The discreet mark that the screen shows the last known state while the link is down."""
        px = self.layout.px
        text = label(self.settings.language, "reconnecting")
        if state.error:
            text += f" ({label(self.settings.language, 'refused')})"
        mark = self.fonts.render(text, px(24), draw.MUTED)
        box = pygame.Rect(0, 0, mark.get_width() + px(48), mark.get_height() + px(8))
        box.topright = (inner.right, inner.y + clock_h + px(10))
        pygame.draw.rect(surface, draw.PANEL, box, border_radius=box.height // 2)
        pygame.draw.circle(surface, draw.WARN, (box.x + px(18), box.centery), px(7))
        surface.blit(mark, (box.x + px(34), box.y + px(4)))

    def _draw_logo(self, surface: pygame.Surface, box: pygame.Rect) -> None:
        logo = self._load_logo()
        if logo is not None:
            scaled = pygame.transform.smoothscale_by(logo, min(box.width / logo.get_width(),
                                                               box.height / logo.get_height()))
            blit_aligned(surface, scaled, box, align="center")
            return
        # No logo file: an emblem with the site's short name, so the header never looks unfinished.
        draw.panel(surface, box, draw.FLASH, self.layout.px(18))
        initials = emblem_text(self.settings.site_short_name or self.settings.site_name)
        text = self.fonts.fitted(initials, box.height // 3, draw.INK_DARK, box.width - self.layout.px(12), bold=True)
        blit_aligned(surface, text, box, align="center")

    def _load_logo(self) -> pygame.Surface | None:
        if not self._logo_loaded:
            self._logo_loaded = True
            path = Path(self.settings.logo) if self.settings.logo else None
            if path is not None and path.is_file():
                try:
                    self._logo = pygame.image.load(str(path))
                except (pygame.error, OSError):
                    self._logo = None  # a broken logo file must not take the screen down
        return self._logo

    # ------------------------------------------------------------------ ticker
    def _draw_ticker(self, surface: pygame.Surface, mono: float) -> pygame.Rect:
        rect, px = self.layout.ticker, self.layout.px
        chunks = self._chunks()
        surface.fill(draw.TICKER_BG if chunks else draw.BACKGROUND, rect)
        if not chunks:
            return rect
        total = sum(c.get_width() for c in chunks) + px(TICKER_GAP)
        offset = int(mono * TICKER_PX_PER_SEC * self.layout.scale) % total
        x = rect.right - offset
        while x > rect.left:  # start from the pass that is partly off the left edge
            x -= total
        while x < rect.right:  # the text repeats: draw passes until the strip is full
            for chunk in chunks:
                if x + chunk.get_width() > rect.left and x < rect.right:
                    surface.blit(chunk, (x, rect.centery - chunk.get_height() // 2))
                x += chunk.get_width()
            x += px(TICKER_GAP)
        return rect

    def _chunks(self) -> list[pygame.Surface]:
        if self._ticker_chunks is None or self._ticker_size != self.layout.size:
            words, pieces, line = self.ticker.split(), [], ""
            for word in words:
                line = f"{line} {word}" if line else word
                if len(line) >= TICKER_CHUNK_CHARS:
                    pieces.append(line + " ")
                    line = ""
            if line:
                pieces.append(line)
            size = self.layout.px(34)
            self._ticker_chunks = [self.fonts.font(size, True).render(p, True, draw.TICKER_INK) for p in pieces]
            self._ticker_size = self.layout.size
        return self._ticker_chunks


def emblem_text(name: str) -> str:
    """"MPP Samarinda" -> "MPP"; "Kantor Kelurahan Sidodadi" -> "KKS": a short mark for the logo box."""
    words = name.split()
    if not words:
        return "A"
    first = words[0]
    if first.isupper() and len(first) <= 4:
        return first
    return "".join(w[0] for w in words[:3]).upper()
