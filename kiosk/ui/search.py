"""The search screen (Cari layanan): an on-screen keyboard, and the services of every agency that match as the
visitor types (all of them A-Z before the first letter). A service found goes on to the priority choice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pygame

from kiosk import catalog
from kiosk.flow import KioskState
from kiosk.i18n import opening_text, t
from kiosk.ui.choose import _paged, magnifier
from kiosk.ui.draw import (
    CARD_LINE,
    GO,
    MUTED,
    OFF_BG,
    OFF_TEXT,
    PRIMARY,
    TEXT,
    WARN,
    WARN_BG,
    WHITE,
    Button,
    Painter,
    columns,
    rows,
)
from kiosk.ui.frame import ViewContext, frame, notice

KEY_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")  # the layout of every Indonesian keyboard
KEY_GAP = 12
KEY_H = 112  # design px: a fingertip-sized key, like the check-in keypad's
KEY_TEXT = 42
CARD_MIN_H, CARD_MAX_H = 140, 170


def search(p: Painter, s: KioskState, ctx: ViewContext) -> None:
    body = frame(p, s, ctx, t(s.lang, "search_title"), t(s.lang, "search_sub"))
    keys_h = 5 * p.px(KEY_H) + 4 * p.px(KEY_GAP)
    if p.portrait:
        box, info, results, keyboard = rows(body, [p.px(130), p.px(90), -1, keys_h], p.px(20))
    else:
        left, keyboard = columns(body, [1, 1.1], p.px(40))
        box, info, results = rows(left, [p.px(110), p.px(90), -1], p.px(14))
    _query_box(p, box, s)
    _results(p, info, results, s, ctx.now)
    _keyboard(p, keyboard, s.lang)


def _query_box(p: Painter, rect: pygame.Rect, s: KioskState) -> None:
    p.fill(WHITE, rect, 20, PRIMARY, 5)
    icon = pygame.Rect(rect.left + p.px(16), rect.top, p.px(80), rect.height)
    magnifier(p, icon.center, p.px(22), PRIMARY)
    words = pygame.Rect(icon.right + p.px(12), rect.top, rect.right - icon.right - p.px(36), rect.height)
    if s.query:
        p.text(s.query + "|", words, 60, bold=True, color=TEXT, align="left", min_size=30)
    else:
        p.text(t(s.lang, "search_box"), words, 36, color=MUTED, align="left", min_size=24)


def _results(p: Painter, info: pygame.Rect, area: pygame.Rect, s: KioskState, now: datetime) -> None:
    found = catalog.search(s.services, s.query)
    if s.query.strip() and not found:
        band, hint, _ = rows(area, [p.px(110), p.px(130), -1], p.px(16))
        notice(p, band, t(s.lang, "not_found", q=s.query.strip()), WARN, WARN_BG)
        p.text(t(s.lang, "not_found_hint"), hint, 32, color=TEXT, align="left", valign="top", lines=3, min_size=22)
        return
    if not s.query.strip():
        heading = t(s.lang, "all_services")
    else:
        heading = t(s.lang, "found_1") if len(found) == 1 else t(s.lang, "found", n=len(found))
    cells, pages, page = _paged(p, area, len(found), 1, CARD_MIN_H, CARD_MAX_H, s.page)
    if pages > 1:  # the page buttons share the heading's row, so the results keep the room
        info = _page_buttons(p, info, page, pages)
    p.text(heading, info, 32, bold=True, color=PRIMARY, align="left", min_size=24)
    for cell, service in zip(cells, found[page * len(cells):], strict=False):
        _result_card(p, cell, service, s.lang, now)


def _page_buttons(p: Painter, row: pygame.Rect, page: int, pages: int) -> pygame.Rect:
    """‹ 1/5 › at the right of `row`; returns what is left of the row."""
    width = p.px(130)
    nxt = pygame.Rect(row.right - width, row.top, width, row.height)
    label = pygame.Rect(nxt.left - p.px(130), row.top, p.px(120), row.height)
    prev = pygame.Rect(label.left - width - p.px(10), row.top, width, row.height)
    p.button(prev, ("page", page - 1) if page > 0 else None, "‹", style="secondary" if page > 0 else "off",
             size=48, lines=1)
    p.text(f"{page + 1}/{pages}", label, 32, color=MUTED)
    p.button(nxt, ("page", page + 1) if page + 1 < pages else None, "›",
             style="secondary" if page + 1 < pages else "off", size=48, lines=1)
    return pygame.Rect(row.left, row.top, prev.left - row.left - p.px(16), row.height)


def _result_card(p: Painter, cell: pygame.Rect, service: dict[str, Any], lang: str, now: datetime) -> None:
    """One service found: its name and agency, and whether it can be taken now (only open ones are buttons)."""
    state = catalog.service_state(service)
    is_open = state == catalog.OPEN
    p.fill(WHITE if is_open else OFF_BG, cell, 22, CARD_LINE if is_open else None)
    inner = cell.inflate(-2 * p.px(26), -2 * p.px(14))
    words, side = columns(inner, [1, 0.5], p.px(20))
    name, agency = rows(words, [-1, p.px(36)], p.px(4))
    p.text(str(service.get("name", "")), name, 36, bold=True, color=TEXT if is_open else OFF_TEXT, align="left",
           lines=2, min_size=26)
    p.text(str(service.get("agency_name") or service.get("agency") or ""), agency, 26, color=MUTED, align="left",
           min_size=20)
    chip_row, detail = rows(side, [p.px(56), -1], p.px(4))
    p.chip(t(lang, state), chip_row.left, chip_row.centery, 26, GO if is_open else WARN, WHITE)
    opens = catalog.next_open(service)
    if is_open:
        line = t(lang, "waiting", n=int(service.get("waiting") or 0))
    else:  # Kuota Habis says it all; a closed service says when it opens
        line = opening_text(lang, opens, now) if opens is not None and state == catalog.CLOSED else ""
    p.text(line, detail, 26, color=MUTED if is_open else OFF_TEXT, align="left", valign="top", lines=2, min_size=20)
    if is_open:
        p.buttons.append(Button(cell.copy(), ("service", service["code"]), str(service.get("name", ""))))


def _keyboard(p: Painter, area: pygame.Rect, lang: str) -> None:
    """Big letter keys in the usual layout, Hapus, Spasi and Kosongkan; each key is a touch button."""
    gap = p.px(KEY_GAP)
    key_w = (area.width - 9 * gap) // 10
    key_h = min(p.px(KEY_H), (area.height - 4 * gap) // 5)
    top = area.bottom - 5 * key_h - 4 * gap  # the keyboard sits at the bottom, under the thumbs
    for row, chars in enumerate(KEY_ROWS):
        y = top + row * (key_h + gap)
        x = area.left + (10 - len(chars)) * (key_w + gap) // 2 if row < 3 else area.left
        for char in chars:
            _key(p, pygame.Rect(x, y, key_w, key_h), char)
            x += key_w + gap
        if row == 3:  # Hapus fills the rest of the last letter row
            p.button(pygame.Rect(x, y, area.right - x, key_h), ("del",), "⌫ " + t(lang, "delete"),
                     style="secondary", size=34, radius=14)
    y = top + 4 * (key_h + gap)
    space_w = 7 * key_w + 6 * gap
    p.button(pygame.Rect(area.left, y, space_w, key_h), ("space",), t(lang, "space"), style="key", size=36,
             radius=14)
    p.button(pygame.Rect(area.left + space_w + gap, y, area.right - area.left - space_w - gap, key_h), ("clear",),
             t(lang, "clear"), style="secondary", size=34, radius=14)



def _key(p: Painter, rect: pygame.Rect, char: str) -> None:
    """A letter key: every letter at one size (a button would shrink W and M to fit its padding)."""
    p.fill(WHITE, rect, 14, CARD_LINE)
    p.text(char, rect.inflate(-p.px(6), 0), KEY_TEXT, bold=True, color=TEXT, min_size=KEY_TEXT)
    p.buttons.append(Button(rect.copy(), ("key", char), char))
