"""Drawing primitives for the TV: colours, badges, panels, and text through the shared toolkit (hardware.screen)."""

from __future__ import annotations

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame  # noqa: E402

from hardware.screen import text  # noqa: E402

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


MIN_TEXT_PX = 28  # design px at 1080 lines: the smallest text still read from 4-5 m; scaled with the screen


class Fonts:
    """The shared text toolkit for one screen: no text smaller than `floor` px (the one place the TV's minimum
    text size is enforced), and which texts it had to cut with "…"."""

    def __init__(self, floor: int = 0) -> None:
        self.overflowed: set[str] = set()  # texts cut with "…" because they did not fit even at min size
        self.floor = floor  # px; the renderer sets it from MIN_TEXT_PX and the screen's scale

    def size(self, px: float) -> int:
        """`px` raised to the floor."""
        return max(int(px), self.floor)

    def font(self, size: float, bold: bool = False) -> pygame.font.Font:
        return text.font(self.size(size), bold)

    def render(self, line: str, size: float, color: Color, bold: bool = False) -> pygame.Surface:
        return text.render(line, self.size(size), color, bold)

    def fit_size(self, line: str, size: float, max_w: int, bold: bool = False, min_size: float = 10) -> int:
        return text.fit_size(line, self.size(size), max_w, bold, self.size(min_size))

    def fits(self, line: str, size: float, max_w: int, bold: bool = False) -> bool:
        """Whether `line` is at most max_w wide at `size` (raised to the floor)."""
        return text.width(line, self.size(size), bold) <= max_w

    def fitted(self, line: str, size: float, color: Color, max_w: int, *, bold: bool = False,
               min_size: float = 10) -> pygame.Surface:
        """`line` shrunk (down to min_size, never below the floor) and then ellipsized to be at most max_w wide."""
        shown, fitted_size = text.fit_line(line, self.size(size), max_w, bold, self.size(min_size))
        if shown != line:
            self.overflowed.add(line)
        return text.render(shown, fitted_size, color, bold)


def two_lines(line: str, size: int, max_w: int, bold: bool = False) -> list[str]:
    """`line` as one line if it fits at 3/4 of size or more, else two lines.

    A loket's number ends the first line ("Loket 2" / "Sungai Keledang"); other texts split where the two lines
    are the most even.
    """
    words = line.split()
    if len(words) < 2 or text.width(line, size, bold) * 3 // 4 <= max_w:
        return [line]
    numbered = [i for i, word in enumerate(words[:-1]) if any(ch.isdigit() for ch in word)]
    if numbered:
        cut = numbered[-1] + 1
    else:
        cut = min(range(1, len(words)), key=lambda i: max(text.width(" ".join(words[:i]), size, bold),
                                                          text.width(" ".join(words[i:]), size, bold)))
    return [" ".join(words[:cut]), " ".join(words[cut:])]


def blit_aligned(target: pygame.Surface, source: pygame.Surface, box: pygame.Rect, align: str = "left",
                 valign: str = "center") -> pygame.Rect:
    """Blit source inside box: align left/center/right, valign top/center/bottom; returns where it went."""
    rect = source.get_rect()
    rect.x = {"left": box.left, "center": box.centerx - rect.width // 2, "right": box.right - rect.width}[align]
    rect.y = {"top": box.top, "center": box.centery - rect.height // 2, "bottom": box.bottom - rect.height}[valign]
    return target.blit(source, rect)


def badge(target: pygame.Surface, fonts: Fonts, label_text: str, topleft: tuple[int, int], size: int,
          background: Color, color: Color = INK, anchor: str = "left") -> pygame.Rect:
    """A rounded label like "PANGGILAN ULANG"; anchor "right" puts topleft's x at its right edge."""
    label = fonts.render(label_text, size, color, bold=True)
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
