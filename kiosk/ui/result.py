"""The screens after the confirm tap: printing, the number, the number with its QR when printing failed,
the server unavailable, a refusal, and loading."""

from __future__ import annotations

import math
from typing import Any

import pygame

from hardware.screen.text import width as text_width
from kiosk.flow import KioskState, Screen
from kiosk.i18n import printer_text, priority_text, t, wait_text
from kiosk.ui.draw import (
    AMBER,
    AMBER_BG,
    GO,
    PRIMARY,
    PRIMARY_DARK,
    SOFT_BLUE,
    TEXT,
    WARN,
    WARN_BG,
    WHITE,
    Painter,
    Stack,
    columns,
    rows,
)
from kiosk.ui.frame import ViewContext, frame, notice

SPINNER_DOTS = 12
QR_MAX_SIDE = 460  # design pixels: big enough for any phone camera at arm's length


def loading(p: Painter, s: KioskState, ctx: ViewContext) -> None:
    body = frame(p, s, ctx, t(s.lang, "title"), t(s.lang, "loading"), footer=False)
    _spinner(p, body.center, p.px(90))


def printing(p: Painter, s: KioskState, ctx: ViewContext) -> None:
    waiting_for_code = s.retry is not None and s.retry[0] == "check_in" and s.ticket is None
    title = t(s.lang, "checking" if waiting_for_code else "printing")
    body = frame(p, s, ctx, title, t(s.lang, "please_wait"), footer=False, language=False)
    number, spinner, _ = rows(body, [p.px(420), p.px(260), -1], p.px(20))
    if s.ticket:
        p.text(str(s.ticket.get("number", "")), number, 300, bold=True, color=PRIMARY_DARK)
    _spinner(p, spinner.center, p.px(80))


def done(p: Painter, s: KioskState, ctx: ViewContext) -> None:
    body = frame(p, s, ctx, t(s.lang, "your_number"), "", footer=False)
    ticket = s.ticket or {}
    button_h = p.px(130)
    if p.portrait:
        number, info, take, _, button = rows(body, [p.px(480), p.px(240), p.px(200), -1, button_h], p.px(32))
    else:
        left, right = columns(body, [1.1, 1], p.px(48))
        number = left
        info, take, _, button = rows(right, [p.px(300), p.px(170), -1, button_h], p.px(20))
    p.fill(WHITE, number, 28, SOFT_BLUE, 6)
    p.text(str(ticket.get("number", "")), number.inflate(-p.px(40), -p.px(40)), 320, bold=True,
           color=PRIMARY_DARK, min_size=120)
    _ticket_info(p, info, ticket, s)
    # A plain instruction, not a button: no fill, the words and an arrow down to the printer's slot.
    words = take.inflate(-2 * p.px(110), 0)
    wide, one_line = p.fitting(t(s.lang, "take_ticket"), words.size, 58, bold=True, min_size=46)
    if not one_line:
        wide, _ = p.fitting(t(s.lang, "take_ticket"), words.size, 58, bold=True, lines=2, min_size=36)
    used = min(words.width, text_width(t(s.lang, "take_ticket"), p.px(wide), True))
    words = pygame.Rect(0, take.top, used, take.height)
    words.centerx = take.centerx
    p.text(t(s.lang, "take_ticket"), words, wide, bold=True, color=GO, lines=2, min_size=wide)
    for side in (words.left - p.px(100), words.right):
        _down_arrow(p, pygame.Rect(side, take.top, p.px(100), take.height), GO)
    p.button(button, ("home",), t(s.lang, "done"), style="secondary", size=44)


def print_failed(p: Painter, s: KioskState, ctx: ViewContext) -> None:
    body = frame(p, s, ctx, printer_text(s.lang, s.printer_error), t(s.lang, "note_number"), footer=False,
                 title_color=WARN)
    ticket = s.ticket or {}
    rest, button = rows(body, [-1, p.px(130)], p.px(24))
    if p.portrait:
        number, info, qr_area = rows(rest, [p.px(380), p.px(170), -1], p.px(20))
    else:
        left, qr_area = columns(rest, [1.3, 1], p.px(40))
        number, info = rows(left, [-1, p.px(170)], p.px(16))
    p.fill(WHITE, number, 28, SOFT_BLUE, 6)
    p.text(str(ticket.get("number", "")), number.inflate(-p.px(30), -p.px(30)), 280, bold=True,
           color=PRIMARY_DARK, min_size=100)
    _ticket_info(p, info, ticket, s)
    hint_h = p.px(110)
    side = max(p.px(100), min(qr_area.width, qr_area.height - hint_h, p.px(QR_MAX_SIDE)))
    url = str(ticket.get("status_url") or "")
    if url:
        image = ctx.qr(url, side)
        spot = image.get_rect(midtop=(qr_area.centerx, qr_area.top))
        p.surface.blit(image, spot)
        hint = pygame.Rect(qr_area.left, spot.bottom + p.px(8), qr_area.width, hint_h)
        p.text(t(s.lang, "qr_hint"), hint, 30, color=TEXT, lines=2, min_size=20)
    p.button(button, ("home",), t(s.lang, "done"), style="secondary", size=44)


def _ticket_info(p: Painter, area: pygame.Rect, ticket: dict[str, Any], s: KioskState) -> None:
    lang = s.lang
    stack = Stack(p, area, 14)
    stack.text(str(ticket.get("service_name") or ticket.get("service") or ""), 40, lines=2, bold=True,
               align="center", min_size=26)
    if ticket.get("priority"):
        code = str(ticket["priority"])
        label = priority_text(s.priorities, lang, code)
        if code not in s.priorities and ticket.get("priority_label"):
            label = str(ticket["priority_label"])  # the ticket's own (Indonesian) label until the table arrives
        chip = stack.take(p.px(56))
        width = text_width(label, p.px(30), True) + p.px(28)
        p.chip(label, chip.centerx - width // 2, chip.centery, 30, AMBER_BG, AMBER)
    stack.text(t(lang, "ahead", n=int(ticket.get("ahead") or 0)) + " · "
               + t(lang, "wait", t=wait_text(lang, ticket.get("eta_minutes"), ticket.get("no_counter_open") is True)), 34, lines=2, align="center",
               min_size=22)


def unavailable(p: Painter, s: KioskState, ctx: ViewContext) -> None:
    body = frame(p, s, ctx, t(s.lang, "unavailable"), t(s.lang, "unavailable_sub"), footer=False)
    icon, _, buttons = rows(body, [p.px(360), -1, p.px(150)], p.px(24))
    _warning_icon(p, icon.center, p.px(150))
    if s.screen is Screen.UNAVAILABLE:  # after a request failed; at home it simply waits for the server
        retry, home = columns(buttons, [1.4, 1], p.px(24))
        p.button(home, ("home",), "⌂ " + t(s.lang, "home"), style="secondary", size=42)
    else:
        retry = buttons
    p.button(retry, ("retry",), t(s.lang, "retry"), style="primary", size=48)


def refused(p: Painter, s: KioskState, ctx: ViewContext) -> None:
    body = frame(p, s, ctx, t(s.lang, "refused"), t(s.lang, "refused_hint"))
    message, icon, _ = rows(body, [p.px(220), p.px(400), -1], p.px(24))
    notice(p, message, s.message or "", WARN, WARN_BG)
    _warning_icon(p, icon.center, p.px(130))


def _spinner(p: Painter, center: tuple[int, int], radius: int) -> None:
    lit = (pygame.time.get_ticks() // 90) % SPINNER_DOTS
    for i in range(SPINNER_DOTS):
        angle = 2 * math.pi * i / SPINNER_DOTS
        x = center[0] + radius * math.cos(angle)
        y = center[1] + radius * math.sin(angle)
        shade = PRIMARY if (lit - i) % SPINNER_DOTS < 4 else SOFT_BLUE
        pygame.draw.circle(p.surface, shade, (round(x), round(y)), max(2, radius // 7))


def _warning_icon(p: Painter, center: tuple[int, int], radius: int) -> None:
    pygame.draw.circle(p.surface, WARN, center, radius)
    p.text("!", pygame.Rect(0, 0, radius * 2, radius * 2).move(center[0] - radius, center[1] - radius),
           radius * 1.4 / p.u, bold=True, color=WHITE)


def _down_arrow(p: Painter, rect: pygame.Rect, color: tuple[int, int, int] = WHITE) -> None:
    cx, cy, w = rect.centerx, rect.centery, p.px(34)
    pygame.draw.rect(p.surface, color, (cx - w // 4, cy - w, w // 2, w))
    pygame.draw.polygon(p.surface, color, [(cx - w, cy), (cx + w, cy), (cx, cy + w)])
