"""The four content panels of the TV: now calling, riwayat panggilan, the loket grid and people waiting."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

import pygame

from display import draw
from display.draw import Fonts, blit_aligned
from display.layout import Layout, fit_grid, rows_that_fit
from display.names import fitting_name, short_forms
from display.state import Call, Counter, DisplayState, service_name, visible_counters, visible_services
from display.texts import format_call_time, label, priority_label

# Design px: a loket tile holds its name at the minimum text size above a number a little larger; smaller tiles
# would cut "Loket 12" or shrink the number, so the grid pages instead.
MIN_TILE_H = 96
MIN_TILE_W = 180
MAX_TILE_H = 150
WAITING_ROW_H = 44
HISTORY_ROW_H = 66


@dataclass(frozen=True, slots=True)
class Look:
    """What a panel needs besides the state: layout, fonts, language and the animation of the moment."""

    layout: Layout
    fonts: Fonts
    language: str
    flashing: bool  # a call came in a few seconds ago
    bright: bool  # the flash's current phase
    priorities: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # the server's priority labels
    short_names: Mapping[str, str] = field(default_factory=dict)  # agency code -> the installer's short name


def _priority_text(look: Look, priority: str | None) -> str:
    kind = priority_label(look.priorities, look.language, priority) if priority else ""
    return f"{label(look.language, 'priority')} · {kind}" if kind else label(look.language, "priority")


# ---------------------------------------------------------------------------------------------- now calling
def draw_calling(surface: pygame.Surface, state: DisplayState, look: Look, opening: str = "") -> None:
    """The big panel: number, loket and layanan of the newest call; yellow while a call is fresh. Without a call,
    `opening` (when service starts, while everything is closed) or "Belum ada panggilan"."""
    rect, px, fonts = look.layout.calling, look.layout.px, look.fonts
    bright = look.flashing and look.bright
    draw.panel(surface, rect, draw.FLASH if bright else draw.CALLING, px(22))
    ink = draw.INK_DARK if bright else draw.INK
    soft = draw.INK_DARK if bright else draw.MUTED
    call = state.current
    inner = rect.inflate(-2 * px(34), -2 * px(26))
    title = fonts.render(label(look.language, "now_calling"), px(34), soft, bold=True)
    blit_aligned(surface, title, pygame.Rect(inner.x, inner.y, inner.width, title.get_height()), valign="top")
    if call is None:
        _draw_no_call(surface, inner, look, ink, soft, opening)
        return
    _draw_call_badges(surface, call, inner, look)
    _draw_call_body(surface, state, call, inner, look, ink, soft)


def _draw_no_call(surface: pygame.Surface, inner: pygame.Rect, look: Look, ink: draw.Color,
                  soft: draw.Color, opening: str = "") -> None:
    px, fonts = look.layout.px, look.fonts
    main = fonts.fitted(opening or label(look.language, "no_calls"), px(76), ink, inner.width, bold=True)
    hint = fonts.fitted(label(look.language, "opens_hint" if opening else "no_calls_hint"), px(36), soft,
                        inner.width)
    middle = inner.centery + px(10)
    blit_aligned(surface, main, pygame.Rect(inner.x, middle - main.get_height(), inner.width, main.get_height()),
                 align="center")
    blit_aligned(surface, hint, pygame.Rect(inner.x, middle + px(16), inner.width, hint.get_height()),
                 align="center", valign="top")


def _draw_call_badges(surface: pygame.Surface, call: Call, inner: pygame.Rect, look: Look) -> None:
    px, right = look.layout.px, inner.right
    if call.priority:
        right = draw.badge(surface, look.fonts, _priority_text(look, call.priority), (right, inner.y),
                           px(28), draw.PRIORITY, anchor="right").left - px(12)
    if call.recall:
        draw.badge(surface, look.fonts, label(look.language, "recall"), (right, inner.y), px(28), draw.INK,
                   draw.INK_DARK, anchor="right")


def _draw_call_body(surface: pygame.Surface, state: DisplayState, call: Call, inner: pygame.Rect, look: Look,
                    ink: draw.Color, soft: draw.Color) -> None:
    px, fonts = look.layout.px, look.fonts
    service = fonts.fitted(service_name(state, call.service), px(40), soft, inner.width)
    body = pygame.Rect(inner.x, inner.y + px(56), inner.width, inner.height - px(56) - service.get_height() - px(14))
    split = inner.x + round(inner.width * 0.56)
    number_box = pygame.Rect(inner.x, body.y, split - inner.x - px(24), body.height)
    size = min(px(250), round(body.height * 1.05))
    number = fonts.fitted(call.number, size, ink, number_box.width, bold=True, min_size=px(60))
    blit_aligned(surface, number, number_box, align="center")
    pygame.draw.line(surface, soft, (split, body.y + px(24)), (split, body.bottom - px(24)), max(1, px(3)))
    counter_box = pygame.Rect(split + px(24), body.y, inner.right - split - px(24), body.height)
    go_to = fonts.fitted(label(look.language, "go_to"), px(40), soft, counter_box.width)
    size = min(px(118), body.height // 2)
    lines = draw.two_lines(call.counter_name, size, counter_box.width, bold=True)
    if len(lines) > 1:  # "Loket 2 Sempaja Selatan": two readable lines beat one tiny one
        size = min(size * 2 // 3, (body.height - go_to.get_height()) // 2)
    names = [fonts.fitted(line, size, ink, counter_box.width, bold=True, min_size=px(30)) for line in lines]
    top = counter_box.centery - (go_to.get_height() + sum(n.get_height() for n in names)) // 2
    blit_aligned(surface, go_to, pygame.Rect(counter_box.x, top, counter_box.width, go_to.get_height()),
                 align="center")
    top += go_to.get_height()
    for name in names:
        blit_aligned(surface, name, pygame.Rect(counter_box.x, top, counter_box.width, name.get_height()),
                     align="center")
        top += name.get_height()
    blit_aligned(surface, service, pygame.Rect(inner.x, body.bottom + px(14), inner.width, service.get_height()),
                 align="center", valign="top")


# ---------------------------------------------------------------------------------------------- riwayat
def draw_history(surface: pygame.Surface, state: DisplayState, look: Look) -> None:
    """The calls before the current one, newest first: number, loket, time."""
    rect, px, fonts = look.layout.history, look.layout.px, look.fonts
    draw.panel(surface, rect, draw.PANEL, px(18))
    inner = _inner(rect, look)
    body = _panel_title(surface, inner, label(look.language, "history"), look)
    calls = state.calls[1:]
    if not calls:
        empty = fonts.fitted(label(look.language, "history_empty"), px(30), draw.MUTED, body.width)
        blit_aligned(surface, empty, body, align="center")
        return
    row_h = body.height / max(1, rows_that_fit(body.height, px(HISTORY_ROW_H)))
    for index, call in enumerate(calls[: rows_that_fit(body.height, px(HISTORY_ROW_H))]):
        row = pygame.Rect(body.x, round(body.y + index * row_h), body.width, math.floor(row_h))
        _draw_history_row(surface, call, row, look, shaded=index % 2 == 0)


def _inner(rect: pygame.Rect, look: Look) -> pygame.Rect:
    return rect.inflate(-2 * look.layout.px(26), -2 * look.layout.px(18))


def _panel_body(inner: pygame.Rect, look: Look) -> pygame.Rect:
    """The part of a panel below its title and rule."""
    px = look.layout.px
    line_y = inner.y + look.fonts.font(px(32), True).get_height() + px(10)
    return pygame.Rect(inner.x, line_y + px(8), inner.width, inner.bottom - line_y - px(8))


def _panel_title(surface: pygame.Surface, inner: pygame.Rect, text: str, look: Look, note: str = "") -> pygame.Rect:
    """Draw a panel's title and rule; returns the rectangle left for the body."""
    px, fonts = look.layout.px, look.fonts
    body = _panel_body(inner, look)
    title_box = pygame.Rect(inner.x, inner.y, inner.width, body.y - px(18) - inner.y)
    small = fonts.render(note, px(26), draw.MUTED) if note else None
    room = inner.width - (small.get_width() + px(16) if small else 0)
    title = fonts.fitted(text, px(32), draw.INK, room, bold=True)
    blit_aligned(surface, title, title_box, valign="top")
    if small:
        blit_aligned(surface, small, title_box, align="right")
    line_y = body.y - px(8)
    pygame.draw.line(surface, draw.PANEL_LINE, (inner.x, line_y), (inner.right, line_y), max(1, px(2)))
    return body


def _draw_history_row(surface: pygame.Surface, call: Call, row: pygame.Rect, look: Look, shaded: bool) -> None:
    px, fonts = look.layout.px, look.fonts
    if shaded:
        pygame.draw.rect(surface, draw.TILE_IDLE, row, border_radius=px(10))
    if call.priority:
        bar = pygame.Rect(row.x, row.y + px(8), px(8), row.height - px(16))
        pygame.draw.rect(surface, draw.PRIORITY, bar, border_radius=px(4))
    size = min(px(44), round(row.height * 0.66))
    number_w = round(row.width * 0.34)
    time_w = round(row.width * 0.2)
    number = fonts.fitted(call.number, size, draw.INK, number_w - px(24), bold=True)
    blit_aligned(surface, number, pygame.Rect(row.x + px(24), row.y, number_w - px(24), row.height))
    where = fonts.fitted(f"→ {call.counter_name}", round(size * 0.8), draw.INK,
                         row.width - number_w - time_w - px(12), min_size=round(size * 0.6))
    blit_aligned(surface, where, pygame.Rect(row.x + number_w, row.y, row.width - number_w - time_w, row.height))
    at = fonts.render(format_call_time(call.at), round(size * 0.66), draw.MUTED)
    blit_aligned(surface, at, pygame.Rect(row.right - time_w, row.y, time_w - px(16), row.height), align="right")


# ---------------------------------------------------------------------------------------------- loket grid
def counter_pages(state: DisplayState, look: Look) -> list[tuple[Counter, ...]]:
    """The loket tiles in pages that fit; closed loket are dropped first when the screen is too small."""
    counters = visible_counters(state)
    area, px = look.layout.counters, look.layout.px
    gap = px(12)
    per_page = max(1, (area.height + gap) // (px(MIN_TILE_H) + gap)) * max(1, (area.width + gap) // (px(MIN_TILE_W) + gap))
    if len(counters) > per_page:
        counters = tuple(c for c in counters if c.status != "closed" or c.number)
    if len(counters) <= per_page:
        return [counters]
    return [counters[i:i + per_page] for i in range(0, len(counters), per_page)]


TileKey = tuple[Counter, bool, tuple[int, int, int, int]]


def counter_tiles(state: DisplayState, look: Look, page: int) -> list[tuple[Counter, pygame.Rect, TileKey]]:
    """The loket tiles of one page: counter, where its tile goes, and what decides how it looks."""
    pages = counter_pages(state, look)
    counters = pages[page % len(pages)]
    area, px = look.layout.counters, look.layout.px
    rects = fit_grid(len(counters), area, px(12), aspect=1.6, max_tile_h=px(MAX_TILE_H))
    current = state.current
    out = []
    for counter, rect in zip(counters, rects, strict=True):
        fresh = look.flashing and current is not None and current.counter == counter.code
        out.append((counter, rect, (counter, fresh, tuple(rect))))
    return out


def draw_tile(surface: pygame.Surface, counter: Counter, tile: pygame.Rect, look: Look, fresh: bool) -> None:
    """One loket: the number it is serving (yellow: just called), or why it is idle."""
    _draw_tile(surface, counter, tile, look, fresh)


def _tile_text(counter: Counter, language: str) -> tuple[str, draw.Color]:
    if counter.number:
        return counter.number, draw.FLASH if counter.ticket_status == "called" else draw.INK
    if counter.status == "paused":
        return label(language, "paused"), draw.WARN
    if counter.status == "closed":
        return label(language, "closed"), draw.DIM
    return label(language, "idle"), draw.MUTED


def _draw_tile(surface: pygame.Surface, counter: Counter, tile: pygame.Rect, look: Look, fresh: bool) -> None:
    px, fonts = look.layout.px, look.fonts
    idle = not counter.number and counter.status != "open"
    draw.panel(surface, tile, draw.TILE_IDLE if idle else draw.TILE, px(12))
    if fresh:
        pygame.draw.rect(surface, draw.FLASH, tile, width=max(2, px(5)), border_radius=px(12))
    if counter.priority and counter.number:
        pygame.draw.rect(surface, draw.PRIORITY, (tile.x, tile.y, px(10), tile.height),
                         border_top_left_radius=px(12), border_bottom_left_radius=px(12))
    text, color = _tile_text(counter, look.language)
    inner = tile.inflate(-2 * px(14), -2 * px(6))
    name_color = draw.DIM if idle else draw.MUTED
    if tile.height >= px(70):  # name above, number large below
        name_size = min(px(26), round(tile.height * 0.26))
        lines = draw.two_lines(counter.name, name_size, inner.width) if tile.height >= px(100) else []
        if len(lines) == 2:  # "Loket 1 Sempaja Selatan": two small lines rather than "Loket 1 S…"
            name_size = round(name_size * 0.85)
        lines = lines if len(lines) == 2 else [counter.name]
        # Both lines at one size: the smallest at which each fits (then "…" as a last resort).
        name_size = min(fonts.fit_size(line, name_size, inner.width, min_size=round(name_size * 0.65))
                        for line in lines)
        top = inner.y
        for line in lines:
            name = fonts.fitted(line, name_size, name_color, inner.width, min_size=name_size)
            blit_aligned(surface, name, pygame.Rect(inner.x, top, inner.width, name.get_height()), align="center")
            top += name.get_height()
        body = pygame.Rect(inner.x, top, inner.width, inner.bottom - top)
        size = min(px(64), round(body.height * 0.92)) if counter.number else min(px(34), round(body.height * 0.6))
        value = fonts.fitted(text, size, color, inner.width, bold=bool(counter.number))
        blit_aligned(surface, value, body, align="center")
        return
    # A low tile (a very small screen): name and number side by side.
    size = min(px(40), round(inner.height * 0.7))
    value = fonts.fitted(text, size, color, round(inner.width * 0.55), bold=bool(counter.number))
    name = fonts.fitted(counter.name, round(size * 0.72), name_color, inner.width - value.get_width() - px(10))
    blit_aligned(surface, name, inner)
    blit_aligned(surface, value, inner, align="right")


# ---------------------------------------------------------------------------------------------- menunggu
def waiting_rows(state: DisplayState, by: str,
                 short_names: Mapping[str, str] | None = None) -> list[tuple[tuple[str, ...], int]]:
    """(the name's forms, longest first; people waiting) per layanan or per instansi, in the site's order."""
    codes = visible_services(state)
    if by == "service":
        return [(tuple(short_forms(service_name(state, code), initials=False)), state.waiting.get(code, 0))
                for code in codes]
    totals: dict[str, int] = {}
    forms: dict[str, tuple[str, ...]] = {}
    for code in codes:
        service = state.services.get(code)
        agency = service.agency if service else code
        if agency not in forms:
            name = (service.agency_name or service.agency) if service else code
            short = (short_names or {}).get(agency) or (service.agency_short_name if service else "")
            forms[agency] = tuple(short_forms(name, short, agency))
        totals[agency] = totals.get(agency, 0) + state.waiting.get(code, 0)
    return [(forms[agency], total) for agency, total in totals.items()]


def waiting_pages(state: DisplayState, look: Look, mode: str) -> tuple[str, list[list[tuple[str, int]]]]:
    """The grouping ("service" or "agency") and its rows in pages that fit the panel."""
    body = _panel_body(_inner(look.layout.waiting, look), look)
    fit = rows_that_fit(body.height, look.layout.px(WAITING_ROW_H))
    by = mode
    if mode == "auto":
        by = "service" if len(visible_services(state)) <= fit or not state.services else "agency"
    rows = waiting_rows(state, by, look.short_names)
    return by, [rows[i:i + fit] for i in range(0, len(rows), fit)] or [[]]


def draw_waiting(surface: pygame.Surface, state: DisplayState, look: Look, mode: str, page: int) -> None:
    """People waiting per layanan (or instansi when they do not fit), paging through when there are many."""
    rect, px, fonts = look.layout.waiting, look.layout.px, look.fonts
    draw.panel(surface, rect, draw.PANEL, px(18))
    inner = _inner(rect, look)
    by, pages = waiting_pages(state, look, mode)
    rows = pages[page % len(pages)]
    note = f"{page % len(pages) + 1}/{len(pages)}" if len(pages) > 1 else ""
    body = _panel_title(surface, inner, label(look.language, f"waiting_{by}"), look, note)
    if not rows:
        empty = fonts.fitted(label(look.language, "waiting_none"), px(30), draw.MUTED, body.width)
        blit_aligned(surface, empty, body, align="center")
        return
    row_h = min(px(WAITING_ROW_H), body.height // max(1, len(rows)))
    for index, (forms, count) in enumerate(rows):
        row = pygame.Rect(body.x, body.y + index * row_h, body.width, row_h)
        if index % 2 == 0:
            pygame.draw.rect(surface, draw.TILE_IDLE, row, border_radius=px(8))
        size = min(px(30), round(row_h * 0.62))
        value = fonts.render(str(count), round(size * 1.15), draw.INK if count else draw.DIM, bold=True)
        room = row.width - value.get_width() - px(48)
        # Rows keep one size (a shrunken row looks like a lesser one): a long name gives way to its short form.
        name = fitting_name(forms, partial(fonts.fits, size=size, max_w=room))
        text = fonts.fitted(name, size, draw.INK if count else draw.MUTED, room, min_size=round(size * 0.9))
        blit_aligned(surface, text, row.inflate(-2 * px(14), 0))
        blit_aligned(surface, value, row.inflate(-2 * px(16), 0), align="right")
