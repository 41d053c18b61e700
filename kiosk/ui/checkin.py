"""The Lapor Hadir screen: a booking code typed on an on-screen keypad, a keyboard or a USB QR scanner."""

from __future__ import annotations

import pygame

from kiosk.flow import CODE_ALPHABET, KioskState, booking_code
from kiosk.i18n import t
from kiosk.ui.draw import MUTED, PRIMARY, SOFT_BLUE, TEXT, WARN, WARN_BG, WHITE, Painter, columns, grid, rows
from kiosk.ui.frame import ViewContext, frame, notice

KEYPAD_COLUMNS = 8
KEY_ROWS = -(-len(CODE_ALPHABET) // KEYPAD_COLUMNS)
GAP = 16


def checkin(p: Painter, s: KioskState, ctx: ViewContext) -> None:
    body = frame(p, s, ctx, t(s.lang, "checkin_title"), t(s.lang, "checkin_sub"))
    if p.portrait:
        keys_h = KEY_ROWS * p.px(150) + (KEY_ROWS - 1) * p.px(GAP)
        code, message, keypad, actions, _ = rows(body, [p.px(160), p.px(110), keys_h, p.px(140), -1], p.px(24))
    else:
        left, keypad = columns(body, [1, 1.5], p.px(40))
        code, message, _, actions = rows(left, [p.px(160), p.px(150), -1, p.px(140)], p.px(24))
    _code_box(p, code, s)
    if s.message:
        notice(p, message, s.message, WARN, WARN_BG)
    _keypad(p, keypad)
    delete, send = columns(actions, [1, 1.4], p.px(24))
    p.button(delete, ("del",), "⌫ " + t(s.lang, "delete"), style="secondary", size=40)
    ready = bool(booking_code(s.code))
    p.button(send, ("submit",) if ready else None, t(s.lang, "send"), style="go" if ready else "off", size=44)


def _code_box(p: Painter, rect: pygame.Rect, s: KioskState) -> None:
    p.fill(SOFT_BLUE if s.code_selected else WHITE, rect, 20, PRIMARY, 5)
    code = booking_code(s.code)
    inner = rect.inflate(-p.px(40), -p.px(20))
    if code:
        p.text(" ".join(code), inner, 72, bold=True, color=TEXT, min_size=36)
    else:
        p.text(t(s.lang, "checkin_sub"), inner, 30, color=MUTED, lines=2, min_size=20)


def _keypad(p: Painter, area: pygame.Rect) -> None:
    cells = grid(area, KEYPAD_COLUMNS, KEY_ROWS, p.px(GAP), p.px(150))
    for cell, char in zip(cells, CODE_ALPHABET, strict=False):
        p.button(cell, ("key", char), char, style="key", size=52, radius=14)


