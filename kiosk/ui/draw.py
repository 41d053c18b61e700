"""The painter: text fitted into boxes (never cut silently), buttons that remember their actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pygame

from hardware.screen.text import fit_lines, font, render

DESIGN_SHORT_SIDE = 1080  # sizes below are in pixels of a 1080 px short side, scaled to the window

Color = tuple[int, int, int]
BG: Color = (243, 245, 249)
HEADER: Color = (12, 55, 99)
PRIMARY: Color = (21, 101, 192)
PRIMARY_DARK: Color = (13, 71, 161)
GO: Color = (27, 120, 48)
TEXT: Color = (22, 28, 38)
MUTED: Color = (84, 94, 110)
WHITE: Color = (255, 255, 255)
CARD_LINE: Color = (200, 207, 218)
OFF_BG: Color = (224, 227, 233)
OFF_TEXT: Color = (96, 102, 112)
WARN: Color = (183, 28, 28)
WARN_BG: Color = (255, 235, 238)
AMBER: Color = (173, 81, 0)
AMBER_BG: Color = (255, 243, 224)
SOFT_BLUE: Color = (200, 222, 250)

BUTTON_STYLES: dict[str, tuple[Color, Color, Color | None]] = {  # background, text, border
    "primary": (PRIMARY, WHITE, None),
    "go": (GO, WHITE, None),
    "secondary": (WHITE, PRIMARY_DARK, PRIMARY),
    "header": (HEADER, WHITE, WHITE),
    "off": (OFF_BG, OFF_TEXT, None),
    "key": (WHITE, TEXT, CARD_LINE),
    "priority": (AMBER_BG, AMBER, AMBER),
}


@dataclass(frozen=True, slots=True)
class Button:
    """A touch target drawn this frame: tapping inside `rect` performs `action`."""

    rect: pygame.Rect
    action: tuple[Any, ...]
    label: str


class Painter:
    """Draws on one surface for one frame and records its buttons and any text that did not fit."""

    def __init__(self, surface: pygame.Surface) -> None:
        self.surface = surface
        self.width, self.height = surface.get_size()
        self.u = min(self.width, self.height) / DESIGN_SHORT_SIDE
        self.portrait = self.height > self.width
        self.buttons: list[Button] = []
        self.overflow: list[str] = []

    def px(self, design: float) -> int:
        """A design size (1080 px short side) in this window's pixels."""
        return max(1, round(design * self.u))

    def fill(self, color: Color, rect: pygame.Rect | None = None, radius: float = 0, border: Color | None = None,
             width: float = 3) -> None:
        target = rect or self.surface.get_rect()
        pygame.draw.rect(self.surface, color, target, border_radius=self.px(radius))
        if border is not None:
            pygame.draw.rect(self.surface, border, target, self.px(width), border_radius=self.px(radius))

    def text(self, text: str, rect: pygame.Rect, size: float, *, bold: bool = False, color: Color = TEXT,
             align: str = "center", valign: str = "center", lines: int = 1, min_size: float | None = None) -> int:
        """Fit `text` into `rect` in at most `lines` lines, shrinking down to `min_size`; returns the height used."""
        if not text:
            return 0
        px, floor = self.px(size), self.px(min_size if min_size is not None else size * 0.7)
        wrapped, px, fits = fit_lines(text, px, floor, rect.size, lines, bold)
        if not fits:
            self.overflow.append(text)
        return self._blit_lines(wrapped, rect, px, bold, color, align, valign)

    def fitting(self, text: str, box: tuple[int, int], size: float, *, bold: bool = False, lines: int = 1,
                min_size: float | None = None) -> tuple[float, bool]:
        """The design size at which `text` fits `box` in `lines` lines (from `size` down to `min_size`), and
        whether it fits at all: to draw several texts at one common size."""
        floor = self.px(min_size if min_size is not None else size * 0.7)
        _, px, fits = fit_lines(text, self.px(size), floor, box, lines, bold)
        return px / self.u, fits

    def _blit_lines(self, wrapped: list[str], rect: pygame.Rect, px: int, bold: bool, color: Color, align: str,
                    valign: str) -> int:
        line_h = font(px, bold).get_linesize()
        total = line_h * len(wrapped)
        y = {"top": rect.top, "bottom": rect.bottom - total}.get(valign, rect.centery - total // 2)
        for line in wrapped:
            image = render(line, px, color, bold)
            x = {"left": rect.left, "right": rect.right - image.get_width()}.get(
                align, rect.centerx - image.get_width() // 2)
            self.surface.blit(image, (x, y))
            y += line_h
        return total

    def button(self, rect: pygame.Rect, action: tuple[Any, ...] | None, label: str, *, style: str = "primary",
               size: float = 44, sub: str | None = None, radius: float = 22, lines: int = 2) -> None:
        """A large touch target with a label (and an optional second line); `action=None` draws it disabled."""
        background, color, border = BUTTON_STYLES[style]
        self.fill(background, rect, radius, border)
        pad = self.px(24)
        inner = rect.inflate(-2 * pad, -2 * self.px(12))
        if sub:
            top = inner.copy()
            top.height = int(inner.height * 0.58)
            bottom = pygame.Rect(inner.left, top.bottom, inner.width, inner.bottom - top.bottom)
            self.text(label, top, size, bold=True, color=color, lines=lines, valign="bottom")
            self.text(sub, bottom, size * 0.62, color=color, lines=2, valign="top")
        else:
            self.text(label, inner, size, bold=True, color=color, lines=lines)
        if action is not None:
            self.buttons.append(Button(rect.copy(), action, label))

    def chip(self, text: str, left: int, centery: int, size: float, background: Color, color: Color) -> int:
        """A small rounded label (e.g. "Kuota Habis"); returns its right edge."""
        px = self.px(size)
        image = render(text, px, color, True)
        rect = pygame.Rect(0, 0, image.get_width() + self.px(28), image.get_height() + self.px(10))
        rect.midleft = (left, centery)
        self.fill(background, rect, 14)
        self.surface.blit(image, image.get_rect(center=rect.center))
        return rect.right


class Stack:
    """Lays blocks out top-down in `rect`, each as tall as its content (for screens with optional lines)."""

    def __init__(self, painter: Painter, rect: pygame.Rect, gap: float = 12) -> None:
        self.p, self.rect, self.y, self.gap = painter, rect, rect.top, painter.px(gap)

    def take(self, height: int) -> pygame.Rect:
        """The next `height` pixels (less when the space runs out)."""
        out = pygame.Rect(self.rect.left, self.y, self.rect.width, max(0, min(height, self.rect.bottom - self.y)))
        self.y += height + self.gap
        return out

    def text(self, text: str, size: float, lines: int = 1, **style: Any) -> None:
        """A text block of up to `lines` lines, aligned left unless said otherwise."""
        if not text:
            return
        style.setdefault("align", "left")
        rect = pygame.Rect(self.rect.left, self.y, self.rect.width, max(0, self.rect.bottom - self.y))
        used = self.p.text(text, rect, size, lines=lines, valign="top", **style)
        self.y += used + self.gap


def rows(area: pygame.Rect, heights: list[int], gap: int) -> list[pygame.Rect]:
    """Split `area` top-down into rows of the given heights (-1 = share what is left)."""
    fixed = sum(h for h in heights if h >= 0) + gap * (len(heights) - 1)
    flexible = max(1, heights.count(-1))
    share = max(0, (area.height - fixed) // flexible)
    out, y = [], area.top
    for h in heights:
        height = share if h < 0 else h
        out.append(pygame.Rect(area.left, y, area.width, height))
        y += height + gap
    return out


def columns(area: pygame.Rect, widths: list[float], gap: int) -> list[pygame.Rect]:
    """Split `area` left-right by relative `widths`."""
    usable = area.width - gap * (len(widths) - 1)
    total, out, x = sum(widths), [], area.left
    for w in widths:
        width = int(usable * w / total)
        out.append(pygame.Rect(x, area.top, width, area.height))
        x += width + gap
    return out


def grid(area: pygame.Rect, cols: int, rows_: int, gap: int, max_height: int | None = None) -> list[pygame.Rect]:
    """`cols` x `rows_` cells filling `area` row by row; cells are at most `max_height` tall (top-aligned)."""
    width = (area.width - gap * (cols - 1)) // cols
    height = (area.height - gap * (rows_ - 1)) // rows_
    if max_height:
        height = min(height, max_height)
    return [pygame.Rect(area.left + c * (width + gap), area.top + r * (height + gap), width, height)
            for r in range(rows_) for c in range(cols)]
