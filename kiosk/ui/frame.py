"""What every screen shares: the header (site, clock, language), the title, the footer buttons and notices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pygame

from kiosk.flow import KioskState
from kiosk.i18n import t
from kiosk.ui.draw import AMBER, AMBER_BG, BG, HEADER, MUTED, TEXT, WHITE, Painter, columns, rows

HEADER_H, TITLE_H, FOOTER_H, MARGIN = 120, 150, 150, 40


@dataclass(frozen=True, slots=True)
class ViewContext:
    """What the screens need besides the state: the site's name, the local time, a QR code maker."""

    site_name: str
    now: datetime
    qr: Callable[[str, int], pygame.Surface]


def title_band(p: Painter) -> pygame.Rect:
    """Where a screen's title and subtitle go, below the header."""
    return pygame.Rect(p.px(MARGIN), p.px(HEADER_H) + p.px(16), p.width - 2 * p.px(MARGIN), p.px(TITLE_H))


def frame(p: Painter, s: KioskState, ctx: ViewContext, title: str, subtitle: str = "", *,
          footer: bool = True, language: bool = True, title_color: tuple[int, int, int] = TEXT,
          aside: int = 0) -> pygame.Rect:
    """Clear the screen, draw header, title and (optionally) the back/home footer; return the body's rect.
    `aside` design pixels at the right of the title band are left free (for a button drawn there)."""
    p.fill(BG)
    header = pygame.Rect(0, 0, p.width, p.px(HEADER_H))
    p.fill(HEADER, header)
    inner = header.inflate(-2 * p.px(MARGIN), -p.px(24))
    right = inner.right
    if language:
        lang_rect = pygame.Rect(0, inner.top, p.px(270), inner.height)
        lang_rect.right = right
        p.button(lang_rect, ("lang",), t(s.lang, "language"), style="header", size=30, radius=16)
        right = lang_rect.left - p.px(28)
    clock = pygame.Rect(0, inner.top, p.px(130), inner.height)
    clock.right = right
    p.text(f"{ctx.now:%H.%M}", clock, 44, bold=True, color=WHITE, align="right")  # Indonesian: 08.15
    name = pygame.Rect(inner.left, inner.top, clock.left - p.px(24) - inner.left, inner.height)
    p.text(ctx.site_name, name, 34, bold=True, color=WHITE, align="left", lines=2, min_size=22)
    full = title_band(p)
    band = full.copy()
    if aside:
        band.width -= p.px(aside) + p.px(32)
    if subtitle:
        top, bottom = rows(band, [-1, p.px(52)], 0)
        p.text(title, top, 56, bold=True, color=title_color, align="left", min_size=30)
        p.text(subtitle, bottom, 34, color=MUTED, align="left", valign="top", min_size=24)
    else:
        p.text(title, band, 56, bold=True, color=title_color, align="left", lines=2, min_size=30)
    bottom = p.height - (p.px(FOOTER_H) if footer else 0)
    body = pygame.Rect(p.px(MARGIN), full.bottom + p.px(16), p.width - 2 * p.px(MARGIN),
                       bottom - full.bottom - p.px(32))
    if footer:
        footer_buttons(p, s)
    return body


def footer_buttons(p: Painter, s: KioskState) -> None:
    """"Kembali" and "Beranda": the two ways out of every screen but home."""
    band = pygame.Rect(p.px(MARGIN), p.height - p.px(FOOTER_H) + p.px(20), p.width - 2 * p.px(MARGIN),
                       p.px(FOOTER_H) - p.px(40))
    back, _, home = columns(band, [1, 0.6 if p.portrait else 1.6, 1], p.px(20))
    p.button(back, ("back",), "‹ " + t(s.lang, "back"), style="secondary", size=40)
    p.button(home, ("home",), "⌂ " + t(s.lang, "home"), style="secondary", size=40)


def notice(p: Painter, rect: pygame.Rect, text: str, color: tuple[int, int, int] = AMBER,
           background: tuple[int, int, int] = AMBER_BG) -> None:
    """A full-width coloured band with one message (printer warnings, refusals)."""
    p.fill(background, rect, 16)
    p.text(text, rect.inflate(-p.px(40), -p.px(12)), 34, bold=True, color=color, lines=2, min_size=24)


def toast(p: Painter, s: KioskState) -> None:
    """A short message at the bottom (e.g. a reprint in progress), on top of whatever screen is shown."""
    if not s.toast:
        return
    key, values, _ = s.toast
    rect = pygame.Rect(0, 0, min(p.width - 2 * p.px(MARGIN), p.px(1000)), p.px(96))
    rect.midbottom = (p.width // 2, p.height - p.px(FOOTER_H) - p.px(16))
    p.fill((40, 48, 60), rect, 20)
    p.text(t(s.lang, key, **values), rect.inflate(-p.px(40), -p.px(10)), 32, bold=True, color=WHITE, lines=2)
