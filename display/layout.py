"""Where each panel of the TV goes, for any screen size (designed at 1920x1080, scaled proportionally)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

DESIGN_SIZE = (1920, 1080)
MANY_COUNTERS = 20  # above this the loket grid gets more of the screen than the now-calling panel


@dataclass(frozen=True, slots=True)
class Layout:
    """Panel rectangles of one screen size; `scale` turns design pixels (at 1920x1080) into real ones."""

    size: tuple[int, int]
    scale: float
    margin: int
    header: pygame.Rect
    calling: pygame.Rect
    history: pygame.Rect
    counters: pygame.Rect
    waiting: pygame.Rect
    ticker: pygame.Rect

    def px(self, design: float) -> int:
        """A design length in real pixels (at least 1)."""
        return max(1, round(design * self.scale))

    @property
    def panels(self) -> dict[str, pygame.Rect]:
        """Every panel by name, in drawing order."""
        return {"header": self.header, "calling": self.calling, "history": self.history,
                "counters": self.counters, "waiting": self.waiting, "ticker": self.ticker}


def compute_layout(size: tuple[int, int], counters: int = 0) -> Layout:
    """Split the screen: header, now-calling + loket grid on the left, riwayat + menunggu on the right, ticker."""
    width, height = size
    scale = min(width / DESIGN_SIZE[0], height / DESIGN_SIZE[1])
    margin = max(4, round(18 * scale))
    header_h = round(112 * scale)
    ticker_h = round(68 * scale)
    header = pygame.Rect(0, 0, width, header_h)
    ticker = pygame.Rect(0, height - ticker_h, width, ticker_h)
    top = header_h + margin
    body_h = ticker.top - margin - top
    left_w = round((width - 3 * margin) * 0.62)
    right_x = margin * 2 + left_w
    right_w = width - margin - right_x
    calling_share = 0.38 if counters > MANY_COUNTERS else 0.54
    calling_h = round((body_h - margin) * calling_share)
    calling = pygame.Rect(margin, top, left_w, calling_h)
    counter_rect = pygame.Rect(margin, calling.bottom + margin, left_w, body_h - calling_h - margin)
    history_h = round((body_h - margin) * 0.46)
    history = pygame.Rect(right_x, top, right_w, history_h)
    waiting = pygame.Rect(right_x, history.bottom + margin, right_w, body_h - history_h - margin)
    return Layout(size, scale, margin, header, calling, history, counter_rect, waiting, ticker)


def fit_grid(count: int, area: pygame.Rect, gap: int, aspect: float, max_tile_h: int) -> list[pygame.Rect]:
    """Tiles for count items filling area row by row: the column count that gives the largest tiles.

    A tile is at least `aspect` times as wide as tall (text sits in it side by side) and at most max_tile_h tall.
    """
    if count <= 0 or area.width <= 0 or area.height <= 0:
        return []
    best_cols, best_h = 1, -1.0
    for cols in range(1, count + 1):
        rows = math.ceil(count / cols)
        tile_w = (area.width - (cols - 1) * gap) / cols
        tile_h = (area.height - (rows - 1) * gap) / rows
        usable = min(tile_h, tile_w / aspect, max_tile_h)
        if usable > best_h + 0.5:  # on a tie keep fewer columns: wider tiles hold longer names
            best_cols, best_h = cols, usable
    cols = best_cols
    rows = math.ceil(count / cols)
    tile_w = (area.width - (cols - 1) * gap) / cols
    tile_h = min((area.height - (rows - 1) * gap) / rows, max_tile_h)
    return [pygame.Rect(round(area.x + (i % cols) * (tile_w + gap)), round(area.y + (i // cols) * (tile_h + gap)),
                        math.floor(tile_w), math.floor(tile_h)) for i in range(count)]


def rows_that_fit(area_h: int, row_h: int) -> int:
    """How many rows of row_h fit in area_h (at least 1)."""
    return max(1, area_h // max(1, row_h))
