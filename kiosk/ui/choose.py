"""The choosing screens: home (agencies), an agency's services, the priority choice, the confirm screen."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import pygame

from hardware.screen.text import width as text_width
from kiosk import catalog
from kiosk.flow import KioskState
from kiosk.i18n import opening_text, priority_codes, priority_text, t, wait_text
from kiosk.ui.draw import (
    AMBER,
    AMBER_BG,
    CARD_LINE,
    GO,
    MUTED,
    OFF_BG,
    OFF_TEXT,
    PRIMARY,
    PRIMARY_DARK,
    SOFT_BLUE,
    TEXT,
    WARN,
    WHITE,
    Button,
    Painter,
    Stack,
    columns,
    grid,
    rows,
)
from kiosk.ui.frame import ViewContext, frame, notice, title_band

GAP = 28


SEARCH_W, CHECKIN_W = 640, 420  # design px of the search and Lapor Hadir buttons beside the title (landscape)
TILE_TITLE_PX, TILE_TITLE_MIN_PX, TILE_TITLE_LINES = 40, 26, 4
TILE_MAX_H = 400
HINT_PX = 25
TILE_LIGHT: tuple[int, int, int] = (214, 230, 252)  # the services hint on a blue tile: readable, below the name


def home(p: Painter, s: KioskState, ctx: ViewContext) -> None:
    # Landscape has little height: the two ways in besides the tiles sit beside the title, the tiles get the rest.
    body = frame(p, s, ctx, t(s.lang, "title"), t(s.lang, "choose_agency"), footer=False,
                 aside=0 if p.portrait else SEARCH_W + CHECKIN_W + 24)
    if p.portrait:
        search, body = rows(body, [p.px(130), -1], p.px(GAP))
        body, checkin = rows(body, [-1, p.px(150)], p.px(GAP))
        p.button(checkin, ("checkin",), t(s.lang, "checkin"), style="secondary", size=42,
                 sub=t(s.lang, "checkin_hint"))
    else:
        band = title_band(p).inflate(0, -p.px(24))
        checkin = pygame.Rect(band.right - p.px(CHECKIN_W), band.top, p.px(CHECKIN_W), band.height)
        search = pygame.Rect(checkin.left - p.px(24 + SEARCH_W), band.top, p.px(SEARCH_W), band.height)
        p.button(checkin, ("checkin",), t(s.lang, "checkin"), style="secondary", size=40,
                 sub=t(s.lang, "checkin_hint_short"))
    search_button(p, search, s.lang)
    if s.printer in ("paper_out", "offline"):
        band, body = rows(body, [p.px(100), -1], p.px(20))
        notice(p, band, t(s.lang, "paper_out_warning" if s.printer == "paper_out" else "printer_warning"))
    opens = catalog.first_opening(s.services)
    if opens is not None and opens.astimezone(ctx.now.tzinfo).date() == ctx.now.date():
        # Before the building opens a visitor learns at once when, not by opening every agency.
        band, body = rows(body, [p.px(100), -1], p.px(20))
        notice(p, band, t(s.lang, "before_opening", time=f"{opens.astimezone(ctx.now.tzinfo):%H.%M}"),
               PRIMARY_DARK, SOFT_BLUE)
    items = catalog.agencies(s.services)
    cols = 2 if p.portrait else max(3, p.width // p.px(470))
    tiles = body
    cells, pages, page = _paged(p, tiles, len(items), cols, 230, TILE_MAX_H, s.page)
    if pages > 1:  # the pager takes a row of its own, and the tiles are laid out again above it
        tiles, pager_rect = rows(tiles, [-1, p.px(100)], p.px(GAP))
        cells, pages, page = _paged(p, tiles, len(items), cols, 230, TILE_MAX_H, s.page)
        _pager(p, pager_rect, page, pages, s.lang)
    shown = list(zip(cells, items[page * len(cells):], strict=False))
    # One title size for every tile of the page: a short name in huge letters looks more important than a long one.
    size = min((p.fitting(a.name, _tile_parts(p, c)[0].size, TILE_TITLE_PX, bold=True, lines=TILE_TITLE_LINES,
                          min_size=TILE_TITLE_MIN_PX)[0] for c, a in shown), default=TILE_TITLE_PX)
    for cell, agency in shown:
        _agency_tile(p, cell, agency, s.lang, ctx.now, size)


def search_button(p: Painter, rect: pygame.Rect, lang: str) -> None:
    """"Cari layanan": looks like a search box, so a visitor who knows only the service's name starts here."""
    p.fill(WHITE, rect, 22, PRIMARY, 4)
    icon = pygame.Rect(rect.left + p.px(20), rect.top, p.px(86), rect.height)
    magnifier(p, icon.center, p.px(24), PRIMARY)
    words = pygame.Rect(icon.right + p.px(14), rect.top + p.px(8), rect.right - icon.right - p.px(40),
                        rect.height - p.px(16))
    top, bottom = rows(words, [-1, -1], 0)
    p.text(t(lang, "search"), top, 44, bold=True, color=PRIMARY_DARK, align="left", valign="bottom", min_size=30)
    p.text(t(lang, "search_hint"), bottom, 28, color=MUTED, align="left", valign="top", min_size=20)
    p.buttons.append(Button(rect.copy(), ("search",), t(lang, "search")))


def magnifier(p: Painter, center: tuple[int, int], radius: int, color: tuple[int, int, int]) -> None:
    """A drawn search glass (the bundled font has no such glyph)."""
    cx, cy = center[0] - radius // 3, center[1] - radius // 3
    pygame.draw.circle(p.surface, color, (cx, cy), radius, max(2, radius // 4))
    reach, end = int(radius * 0.7), int(radius * 1.6)
    pygame.draw.line(p.surface, color, (cx + reach, cy + reach), (cx + end, cy + end), max(3, radius // 3))


def _tile_parts(p: Painter, cell: pygame.Rect) -> list[pygame.Rect]:
    """An agency tile's title, services hint and status line."""
    return rows(cell.inflate(-2 * p.px(22), -2 * p.px(16)), [-1, p.px(66), p.px(34)], p.px(12))


def _agency_tile(p: Painter, cell: pygame.Rect, agency: catalog.Agency, lang: str, now: datetime,
                 title_size: float) -> None:
    on = bool(agency.open_services)
    background, ink, soft = (PRIMARY, WHITE, TILE_LIGHT) if on else (OFF_BG, OFF_TEXT, OFF_TEXT)
    p.fill(background, cell, 22)
    title, hint, status = _tile_parts(p, cell)
    p.text(agency.name, title, title_size, bold=True, color=ink, lines=TILE_TITLE_LINES, min_size=title_size)
    lines = _highlights(p, hint.width, agency, lang)
    if len(lines) == 1 and text_width(lines[0], p.px(HINT_PX)) > hint.width:  # one long name: wrapped by words
        p.text(lines[0], hint, HINT_PX, color=soft, lines=2, min_size=HINT_PX)
        lines = []
    line_h = hint.height // 2
    top = hint.centery - line_h * len(lines) // 2
    for line in lines:
        p.text(line, pygame.Rect(hint.left, top, hint.width, line_h), HINT_PX, color=soft, min_size=HINT_PX)
        top += line_h
    if on:
        count = t(lang, "services_count_1") if agency.services == 1 else t(lang, "services_count", n=agency.services)
        line = f"{count} · {t(lang, 'waiting', n=agency.waiting)}"
    else:  # still tappable: the visitor sees each service's hours there
        line = t(lang, "closed") if agency.opens is None else opening_text(lang, agency.opens, now)
    p.text(line, status, 26, bold=not on, color=ink, min_size=20)
    p.buttons.append(Button(cell.copy(), ("agency", agency.code), agency.name))


def _highlights(p: Painter, width: int, agency: catalog.Agency, lang: str) -> list[str]:
    """The agency's services in at most two lines ("KTP Elektronik · Kartu Keluarga" / "Akta …"): a service is
    never split between lines; those that do not fit become "+2 lainnya"."""
    labels = list(agency.highlights)
    for shown in range(len(labels), 0, -1):
        rest = len(labels) - shown
        items = labels[:shown] + ([t(lang, "more_services", n=rest)] if rest else [])
        lines: list[str] = []
        for item in items:
            joined = f"{lines[-1]} · {item}" if lines else item
            if lines and text_width(joined, p.px(HINT_PX)) <= width:
                lines[-1] = joined
            else:
                lines.append(item)
        if len(lines) <= 2 and all(text_width(line, p.px(HINT_PX)) <= width for line in lines):
            return lines
    return labels[:1]


def _paged(p: Painter, area: pygame.Rect, count: int, cols: int, min_h: int, max_h: int,
           page: int) -> tuple[list[pygame.Rect], int, int]:
    """Cells of one page of tiles, the number of pages and the (clamped) page shown."""
    gap = p.px(GAP)
    fit_rows = max(1, (area.height + gap) // (p.px(min_h) + gap))
    per_page = cols * fit_rows
    pages = max(1, math.ceil(count / per_page))
    page = min(max(0, page), pages - 1)
    needed_rows = fit_rows if pages > 1 else max(1, math.ceil(count / cols))
    return grid(area, cols, needed_rows, gap, p.px(max_h)), pages, page


def _pager(p: Painter, rect: pygame.Rect, page: int, pages: int, lang: str) -> None:
    prev, label, nxt = columns(rect, [1, 0.9, 1], p.px(20))
    p.button(prev, ("page", page - 1) if page > 0 else None, t(lang, "prev"),
             style="secondary" if page > 0 else "off", size=36, lines=1)
    p.text(t(lang, "page", a=page + 1, b=pages), label, 32, color=MUTED, lines=2)
    p.button(nxt, ("page", page + 1) if page + 1 < pages else None, t(lang, "next"),
             style="secondary" if page + 1 < pages else "off", size=36, lines=1)


def services(p: Painter, s: KioskState, ctx: ViewContext) -> None:
    items = catalog.services_of(s.services, s.agency)
    title = items[0].get("agency_name", s.agency) if items else str(s.agency)
    body = frame(p, s, ctx, str(title), t(s.lang, "choose_service"))
    cells, pages, page = _paged(p, body, len(items), 1 if p.portrait else 2, 200, 260, s.page)
    if pages > 1:
        cells_area, pager_rect = rows(body, [-1, p.px(110)], p.px(GAP))
        cells, pages, page = _paged(p, cells_area, len(items), 1 if p.portrait else 2, 200, 260, s.page)
        _pager(p, pager_rect, page, pages, s.lang)
    for cell, service in zip(cells, items[page * len(cells):], strict=False):
        _service_card(p, cell, service, s.lang, ctx.now)


def _service_card(p: Painter, cell: pygame.Rect, service: dict[str, Any], lang: str, now: datetime) -> None:
    state = catalog.service_state(service)
    is_open = state == catalog.OPEN
    p.fill(WHITE if is_open else OFF_BG, cell, 22, CARD_LINE if is_open else None)
    inner = cell.inflate(-2 * p.px(30), -2 * p.px(20))
    if is_open:
        arrow, inner.width = pygame.Rect(inner.right - p.px(60), inner.top, p.px(60), inner.height), inner.width - p.px(70)
        p.text("›", arrow, 90, bold=True, color=PRIMARY)
    name, status = rows(inner, [-1, p.px(64)], p.px(8))
    p.text(str(service.get("name", "")), name, 42, bold=True, color=TEXT if is_open else OFF_TEXT, align="left",
           lines=2, min_size=28)
    chip_colors = {catalog.OPEN: (GO, WHITE), catalog.QUOTA: (WARN, WHITE), catalog.CLOSED: (WARN, WHITE)}[state]
    right = p.chip(t(lang, state), status.left, status.centery, 28, *chip_colors)
    detail = pygame.Rect(right + p.px(20), status.top, status.right - right - p.px(20), status.height)
    p.text(service_detail(service, state, lang, now), detail, 30, color=MUTED if is_open else OFF_TEXT, align="left",
           lines=2, min_size=20)
    if is_open:
        p.buttons.append(Button(cell.copy(), ("service", service["code"]), str(service.get("name", ""))))


def service_detail(service: dict[str, Any], state: str, lang: str, now: datetime) -> str:
    opens = catalog.next_open(service)
    if state == catalog.CLOSED and opens is not None:
        return opening_text(lang, opens, now)
    if state != catalog.OPEN:
        return str(service.get("closed_message") or "")
    parts = [t(lang, "waiting", n=int(service.get("waiting") or 0)),
             t(lang, "eta", t=wait_text(lang, service.get("eta_minutes"), service.get("no_counter_open") is True))]
    if service.get("remaining") is not None:
        parts.append(t(lang, "remaining", n=service["remaining"]))
    return " · ".join(parts)


def priority(p: Painter, s: KioskState, ctx: ViewContext) -> None:
    service = catalog.find(s.services, s.service) or {}
    body = frame(p, s, ctx, t(s.lang, "priority_title"), str(service.get("name", "")))
    note, options = rows(body, [p.px(100), -1], p.px(20))
    p.text(t(s.lang, "priority_note"), note, 30, color=MUTED, align="left", lines=2, min_size=22)
    codes = priority_codes(s.priorities)
    if p.portrait:
        regular, rest = rows(options, [p.px(300), -1], p.px(GAP))
        cells = grid(rest, 2, math.ceil(len(codes) / 2), p.px(GAP), p.px(300))
    else:
        regular, rest = columns(options, [1, 2], p.px(GAP))
        cells = grid(rest, 2, math.ceil(len(codes) / 2), p.px(GAP))
    p.button(regular, ("priority", None), t(s.lang, "regular"), style="primary", size=54,
             sub=t(s.lang, "regular_sub"))
    for cell, code in zip(cells, codes, strict=False):
        p.button(cell, ("priority", code), priority_text(s.priorities, s.lang, code), style="priority", size=44,
                 sub=priority_text(s.priorities, s.lang, code, "hint") or None)


def confirm(p: Painter, s: KioskState, ctx: ViewContext) -> None:
    service = catalog.find(s.services, s.service) or {}
    body = frame(p, s, ctx, t(s.lang, "confirm_title"), str(service.get("agency_name", "")))
    card, action = rows(body, [-1, p.px(170)], p.px(GAP))
    p.fill(WHITE, card, 22, CARD_LINE)
    inner = card.inflate(-2 * p.px(36), -2 * p.px(28))
    if p.portrait:  # requirements follow the service's facts, below a rule
        bottom = _service_info(p, inner, service, s)
        pygame.draw.line(p.surface, CARD_LINE, (inner.left, bottom), (inner.right, bottom), p.px(3))
        reqs = pygame.Rect(inner.left, bottom + p.px(24), inner.width, inner.bottom - bottom - p.px(24))
    else:
        info, reqs = columns(inner, [1, 1], p.px(48))
        _service_info(p, info, service, s)
    _requirements(p, reqs, service, s.lang)
    p.button(action, ("confirm",), t(s.lang, "confirm"), style="go", size=58)


def _service_info(p: Painter, area: pygame.Rect, service: dict[str, Any], s: KioskState) -> int:
    """The service's name, the chosen priority, the line and its published fee and duration; returns the end."""
    stack = Stack(p, area, 16)
    stack.text(str(service.get("name", "")), 48, lines=2, bold=True, min_size=30)
    chip = stack.take(p.px(64))
    label = priority_text(s.priorities, s.lang, s.priority) if s.priority else t(s.lang, "regular")
    p.chip(label, chip.left, chip.centery, 32, *((AMBER_BG, AMBER) if s.priority else (PRIMARY, WHITE)))
    stack.text(" · ".join([t(s.lang, "waiting", n=int(service.get("waiting") or 0)),
                           t(s.lang, "eta", t=wait_text(s.lang, service.get("eta_minutes"),
                                                           service.get("no_counter_open") is True))]), 34, lines=2)
    if service.get("fee"):
        stack.text(f"{t(s.lang, 'fee')}: {service['fee']}", 32, lines=2, color=MUTED, min_size=22)
    if service.get("duration"):
        stack.text(f"{t(s.lang, 'duration')}: {service['duration']}", 32, lines=2, color=MUTED, min_size=22)
    return stack.y


def _requirements(p: Painter, area: pygame.Rect, service: dict[str, Any], lang: str) -> None:
    stack = Stack(p, area, 14)
    stack.text(t(lang, "requirements"), 38, bold=True, color=PRIMARY)
    items = [str(r) for r in service.get("requirements") or []] or [t(lang, "no_requirements")]
    # Long lists shrink to fit instead of being cut: every requirement must be readable before printing.
    size = 36 if len(items) <= 6 else 30
    for item in items:
        row = pygame.Rect(area.left, stack.y, area.width, max(0, area.bottom - stack.y))
        p.text("•", pygame.Rect(row.left, row.top, p.px(40), p.px(50)), size, bold=True, color=PRIMARY, valign="top")
        used = p.text(item, pygame.Rect(row.left + p.px(44), row.top, row.width - p.px(44), row.height), size,
                      align="left", valign="top", lines=2, min_size=20)
        stack.y += used + stack.gap
