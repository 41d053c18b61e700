"""Text on a pygame surface: cached fonts, fitting, wrapping.

The kiosk and the display draw with the bundled DejaVu Sans. A font is opened once per (path, size, bold) and
kept: a frame asks for the same few sizes again and again, and opening the TTF file each time is most of the
cost of a frame.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pygame

FONT_DIR = Path(__file__).resolve().parents[1] / "fonts"
REGULAR = str(FONT_DIR / "DejaVuSans.ttf")
MIN_FONT_PX = 6
FONT_CACHE_SIZE = 256  # one screen size needs a few dozen (size, weight) pairs; each open font holds a file
TEXT_CACHE_SIZE = 2048  # rendered strings: the same numbers and names are redrawn every frame
ELLIPSIS = "…"

Color = tuple[int, int, int]


@lru_cache(maxsize=FONT_CACHE_SIZE)
def load_font(path: str, size: int, bold: bool) -> pygame.font.Font:
    """The font file at `path` opened at `size` px; bold takes the family's "-Bold" file (else a synthetic bold)."""
    if not pygame.font.get_init():
        pygame.font.init()
    face = Path(path)
    heavy = face.with_name(f"{face.stem}-Bold{face.suffix}")
    if bold and heavy.is_file():
        return pygame.font.Font(str(heavy), size)
    font_ = pygame.font.Font(path, size)
    font_.bold = bold
    return font_


def font(size: int, bold: bool = False, path: str = REGULAR) -> pygame.font.Font:
    """DejaVu Sans (or the family at `path`) at `size` px, never smaller than MIN_FONT_PX."""
    return load_font(path, max(MIN_FONT_PX, int(size)), bold)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def render(text: str, size: int, color: Color, bold: bool = False) -> pygame.Surface:
    """`text` drawn antialiased on a transparent surface (an empty text is one space wide)."""
    return font(size, bold).render(text or " ", True, color)


def width(text: str, size: int, bold: bool = False) -> int:
    """How many pixels wide `text` is at `size`."""
    return font(size, bold).size(text)[0]


def fit_size(text: str, size: int, max_w: int, bold: bool = False, min_size: int = 10) -> int:
    """The largest size up to `size` at which `text` is at most `max_w` wide (never below `min_size`)."""
    wide = width(text, size, bold)
    while wide > max_w and size > min_size:
        # Text width grows about linearly with size: jump close, then step down to be sure.
        size = max(min_size, min(size - 1, int(size * max_w / max(wide, 1))))
        wide = width(text, size, bold)
    return size


def cut(text: str, size: int, max_w: int, bold: bool = False) -> str:
    """The longest start of `text` that fits `max_w` with "…" after it (the "…" is always added)."""
    face = font(size, bold)
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if face.size(text[:mid].rstrip() + ELLIPSIS)[0] <= max_w:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS


def ellipsize(text: str, size: int, max_w: int, bold: bool = False) -> str:
    """`text` as it is when it fits `max_w` at `size`, else cut with "…"."""
    return text if width(text, size, bold) <= max_w else cut(text, size, max_w, bold)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def fit_line(text: str, size: int, max_w: int, bold: bool = False, min_size: int = 10) -> tuple[str, int]:
    """`text` shrunk (down to `min_size`), then cut with "…" if still too wide: (what to show, its size).

    Cached: measuring is most of the cost of a frame that only repeats known texts.
    """
    fitted = fit_size(text, size, max_w, bold, min_size)
    return ellipsize(text, fitted, max_w, bold), fitted


def wrap(text: str, size: int, bold: bool, max_w: int) -> list[str]:
    """Greedy word wrap; a single word wider than `max_w` stays on its own line (the caller sees it overflow)."""
    face, lines, line = font(size, bold), [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and face.size(candidate)[0] > max_w:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def fit_lines(text: str, size: int, min_size: int, box: tuple[int, int], lines: int,
              bold: bool = False) -> tuple[list[str], int, bool]:
    """`text` wrapped into a box (width, height) in at most `lines` lines, shrinking from `size` to `min_size`.

    Returns (lines, size, fits); when it does not fit even at `min_size`, the last line kept ends with "…".
    """
    max_w, max_h = box
    while True:
        wrapped = wrap(text, size, bold, max_w)
        widest = max((width(line, size, bold) for line in wrapped), default=0)
        height = font(size, bold).get_linesize() * len(wrapped)
        fits = len(wrapped) <= lines and widest <= max_w and height <= max_h
        if fits or size <= min_size:
            break
        size = max(min_size, int(size * 0.92))
    if not fits:
        kept = wrapped[:lines]
        wrapped = [*kept[:-1], cut(kept[-1], size, max_w, bold)]
    return wrapped, size, fits
