"""Drawing primitives for the TV: the bundled DejaVu fonts, cached text that fits its box, colours, badges."""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame  # noqa: E402

FONT_DIR = Path(__file__).resolve().parent.parent / "hardware" / "fonts"
REGULAR, BOLD = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
TEXT_CACHE_SIZE = 1024  # rendered strings kept: a frame redraws the same numbers and names again and again
ELLIPSIS = "…"

Color = tuple[int, int, int]

# High contrast on a dark blue that stays calm in a waiting room; yellow is kept for what just happened.
BACKGROUND: Color = (9, 24, 48)
PANEL: Color = (18, 42, 78)
PANEL_LINE: Color = (38, 70, 118)
TILE: Color = (24, 54, 96)
TILE_IDLE: Color = (17, 36, 64)
CALLING: Color = (14, 80, 150)
FLASH: Color = (255, 204, 51)
INK: Color = (255, 255, 255)
INK_DARK: Color = (9, 24, 48)
MUTED: Color = (150, 172, 204)
DIM: Color = (92, 112, 142)
PRIORITY: Color = (230, 81, 40)
GOOD: Color = (80, 200, 120)
WARN: Color = (255, 160, 60)
TICKER_BG: Color = (255, 204, 51)
TICKER_INK: Color = (9, 24, 48)


class Fonts:
    """Fonts by size and weight, and rendered text surfaces, cached."""

    def __init__(self) -> None:
        if not pygame.font.get_init():
            pygame.font.init()
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}
        self._texts: OrderedDict[tuple[str, int, bool, Color], pygame.Surface] = OrderedDict()
        self._fits: OrderedDict[tuple[str, int, int, bool, int], tuple[str, int]] = OrderedDict()
        self.overflowed: set[str] = set()  # texts cut with "…" because they did not fit even at min size

    def font(self, size: int, bold: bool = False) -> pygame.font.Font:
        """The DejaVu Sans font of size (pixels) and weight."""
        key = (max(6, size), bold)
        if key not in self._fonts:
            self._fonts[key] = pygame.font.Font(str(BOLD if bold else REGULAR), key[0])
        return self._fonts[key]

    def render(self, text: str, size: int, color: Color, bold: bool = False) -> pygame.Surface:
        """text drawn antialiased on a transparent surface."""
        key = (text, size, bold, color)
        surface = self._texts.get(key)
        if surface is None:
            surface = self.font(size, bold).render(text or " ", True, color)
            self._texts[key] = surface
            if len(self._texts) > TEXT_CACHE_SIZE:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(key)
        return surface

    def fit_size(self, text: str, size: int, max_w: int, bold: bool = False, min_size: int = 10) -> int:
        """The largest size up to size at which text is at most max_w wide (never below min_size)."""
        width = self.font(size, bold).size(text)[0]
        while width > max_w and size > min_size:
            # Text width grows about linearly with size: jump close, then step down to be sure.
            size = max(min_size, min(size - 1, int(size * max_w / max(width, 1))))
            width = self.font(size, bold).size(text)[0]
        return size

    def ellipsize(self, text: str, size: int, max_w: int, bold: bool = False) -> str:
        """text, cut with "…" at the end if it is wider than max_w at size."""
        font = self.font(size, bold)
        if font.size(text)[0] <= max_w:
            return text
        self.overflowed.add(text)
        low, high = 0, len(text)
        while low < high:  # the longest prefix that fits with the ellipsis
            mid = (low + high + 1) // 2
            if font.size(text[:mid].rstrip() + ELLIPSIS)[0] <= max_w:
                low = mid
            else:
                high = mid - 1
        return text[:low].rstrip() + ELLIPSIS

    def fitted(self, text: str, size: int, color: Color, max_w: int, *, bold: bool = False,
               min_size: int = 10) -> pygame.Surface:
        """text shrunk (down to min_size) and then ellipsized so that it is at most max_w wide."""
        key = (text, size, max_w, bold, min_size)
        fit = self._fits.get(key)
        if fit is None:  # measuring is most of the cost of a frame that only repeats known texts
            fitted_size = self.fit_size(text, size, max_w, bold, min_size)
            fit = (self.ellipsize(text, fitted_size, max_w, bold), fitted_size)
            self._fits[key] = fit
            if len(self._fits) > TEXT_CACHE_SIZE:
                self._fits.popitem(last=False)
        return self.render(fit[0], fit[1], color, bold)


def two_lines(fonts: Fonts, text: str, size: int, max_w: int, bold: bool = False) -> list[str]:
    """text as one line if it fits at 3/4 of size or more, else two lines.

    A loket's number ends the first line ("Loket 2" / "Sungai Keledang"); other texts split where the two lines
    are the most even.
    """
    words = text.split()
    font = fonts.font(size, bold)
    if len(words) < 2 or font.size(text)[0] * 3 // 4 <= max_w:
        return [text]
    numbered = [i for i, word in enumerate(words[:-1]) if any(ch.isdigit() for ch in word)]
    if numbered:
        cut = numbered[-1] + 1
    else:
        cut = min(range(1, len(words)), key=lambda i: max(font.size(" ".join(words[:i]))[0],
                                                          font.size(" ".join(words[i:]))[0]))
    return [" ".join(words[:cut]), " ".join(words[cut:])]


def blit_aligned(target: pygame.Surface, source: pygame.Surface, box: pygame.Rect, align: str = "left",
                 valign: str = "center") -> pygame.Rect:
    """Blit source inside box: align left/center/right, valign top/center/bottom; returns where it went."""
    rect = source.get_rect()
    rect.x = {"left": box.left, "center": box.centerx - rect.width // 2, "right": box.right - rect.width}[align]
    rect.y = {"top": box.top, "center": box.centery - rect.height // 2, "bottom": box.bottom - rect.height}[valign]
    return target.blit(source, rect)


def badge(target: pygame.Surface, fonts: Fonts, text: str, topleft: tuple[int, int], size: int,
          background: Color, color: Color = INK, anchor: str = "left") -> pygame.Rect:
    """A rounded label like "PRIORITAS · Lansia"; anchor "right" puts topleft's x at its right edge."""
    label = fonts.render(text, size, color, bold=True)
    pad_x, pad_y = max(4, size // 2), max(2, size // 5)
    rect = pygame.Rect(0, 0, label.get_width() + 2 * pad_x, label.get_height() + 2 * pad_y)
    rect.top = topleft[1]
    if anchor == "right":
        rect.right = topleft[0]
    else:
        rect.left = topleft[0]
    pygame.draw.rect(target, background, rect, border_radius=rect.height // 2)
    target.blit(label, (rect.x + pad_x, rect.y + pad_y))
    return rect


def panel(target: pygame.Surface, rect: pygame.Rect, color: Color, radius: int) -> None:
    """A rounded panel background."""
    pygame.draw.rect(target, color, rect, border_radius=radius)
