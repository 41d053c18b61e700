"""The kiosk program: the pygame frame loop, touch and keyboard input, and the threads that talk and print."""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pygame

from hardware.health import Heartbeat
from hardware.printing import TicketPrinter, make_printer
from kiosk import catalog
from kiosk.api import ApiRefused, ApiUnavailable, KioskApi
from kiosk.config import PORTRAIT, KioskConfig
from kiosk.desk import Reporter, TicketDesk
from kiosk.flow import Flow, KioskState, Screen
from kiosk.realtime import KioskSocket
from kiosk.ui.draw import Painter
from kiosk.ui.frame import ViewContext
from kiosk.ui.qr import qr_surface
from kiosk.ui.screens import render
from kiosk.worker import Msg, Worker

logger = logging.getLogger(__name__)

FPS = 30
BACKGROUND_POLL_SECS = 15.0  # reports retried and the services board refreshed at least this often
SERVICES_REFRESH_SECS = 60.0  # opening hours and quotas change with the clock, not only with events
PRINTER_POLL_SECS = 30.0  # while the printer is known bad, look again this often
ANIMATED = (Screen.PRINTING, Screen.LOADING)
# The spinner moves at 10 frames a second: a full-screen redraw costs milliseconds of the CPU (and the GIL)
# that the ticket worker needs at exactly that moment.
ANIMATION_FRAME_SECS = 0.1


class KioskApp:
    """One kiosk: state machine, screens, a ticket worker (issue + print), a background worker, the socket."""

    def __init__(self, cfg: KioskConfig, *, printer: TicketPrinter | None = None,
                 size: tuple[int, int] = PORTRAIT, fullscreen: bool = False,
                 clock: Callable[[], float] = time.monotonic, realtime: bool = True) -> None:
        self.cfg, self.clock, self.size, self.fullscreen = cfg, clock, size, fullscreen
        self.events: queue.Queue[Msg] = queue.Queue()
        self.printer = printer if printer is not None else make_printer(cfg.printer)
        self.background_api = KioskApi(cfg.server, cfg.token)
        self.reporter = Reporter(self.background_api)
        self.background = Worker("background", idle=self._background_idle, idle_secs=BACKGROUND_POLL_SECS)
        self.desk = TicketDesk(KioskApi(cfg.server, cfg.token), self.printer, self.reporter, self.events,
                               site_name=cfg.site_name, tz=cfg.tz,
                               after_report=lambda: self.background.submit(self.reporter.flush))
        self.tickets = Worker("tickets", idle=self.desk.check_if_bad, idle_secs=PRINTER_POLL_SECS)
        self.flow = Flow(self, lang=cfg.language, idle_seconds=cfg.idle_seconds, shows=cfg.shows)
        self.socket = KioskSocket(cfg.server, cfg.token, self.events) if realtime else None
        self.heartbeat = (Heartbeat(self.socket.client, "/kiosk", cfg.token, cfg.server,
                                    connected=self.socket.connected.is_set, state=self.desk.health)
                          if self.socket else None)  # the office sees a silent kiosk or a printer out of paper
        self.surface: pygame.Surface | None = None
        self.painter: Painter | None = None
        self.running = False
        self._dirty = True
        self._drawn_minute = ""
        self._drawn_at = 0.0
        self._last_load = -1e9

    @property
    def state(self) -> KioskState:
        return self.flow.state

    # ------------------------------------------------------------------ life cycle
    def start(self) -> KioskApp:
        """Open the window, start the threads, load the services and ask the printer how it is."""
        pygame.display.init()  # not pygame.init(): the kiosk has no sound, and no sound card is fine
        pygame.font.init()
        if self.fullscreen:
            self.surface = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            pygame.mouse.set_visible(False)  # a touchscreen: no arrow left where the last finger was
        else:
            self.surface = pygame.display.set_mode(self.size, pygame.RESIZABLE)
        pygame.display.set_caption(f"Antre — {self.cfg.site_name}")
        self.background.start()
        self.tickets.start()
        self.reload()
        self.tickets.submit(self.desk.check_printer)
        if self.socket:
            self.socket.start()
        if self.heartbeat:
            self.heartbeat.start()
        self.running = True
        self.step()
        return self

    def run(self) -> None:
        """The frame loop, until the window is closed or Ctrl+Q is pressed."""
        ticker = pygame.time.Clock()
        try:
            while self.running:
                try:
                    self.step()
                except Exception:  # the process loop: a bug must not leave a frozen screen or a traceback
                    logger.exception("kiosk frame failed; back to the home screen")
                    self.flow.recover(self.clock())
                ticker.tick(FPS)
        finally:
            self.stop()

    def stop(self) -> None:
        self.running = False
        if self.heartbeat:
            self.heartbeat.stop()
        if self.socket:
            self.socket.stop()
        self.tickets.stop()
        self.background.stop()

    def step(self, wait: float = 0.0) -> None:
        """One frame: input (against what was on screen), worker messages (waiting up to `wait` s), drawing."""
        now = self.clock()
        for event in pygame.event.get():
            self._handle(event, now)
        self._drain(wait)
        if self.flow.tick(self.clock()):
            self._dirty = True
        self._draw()

    def save_screenshot(self, path: Path) -> None:
        assert self.surface is not None
        pygame.image.save(self.surface, str(path))

    # ------------------------------------------------------------------ Effects of the flow
    def issue(self, job: int, service: str, priority: str | None, key: str) -> None:
        names = catalog.agency_names(self.state.services)
        self.tickets.submit(lambda: self.desk.issue(job, service, priority, key, names))

    def check_in(self, job: int, code: str, key: str) -> None:
        names = catalog.agency_names(self.state.services)
        self.tickets.submit(lambda: self.desk.check_in(job, code, key, names))

    def reprint(self, ticket: dict[str, Any]) -> None:
        names = catalog.agency_names(self.state.services)
        self.tickets.submit(lambda: self.desk.reprint(ticket, names))

    def reload(self) -> None:
        self.background.submit(self._load_services)

    # ------------------------------------------------------------------ internals
    def _load_services(self) -> None:
        self._last_load = time.monotonic()
        try:
            services = self.background_api.services()
        except (ApiUnavailable, ApiRefused) as exc:
            logger.warning("services not loaded: %s", exc)
            self.events.put(Msg("services_failed"))
            return
        self.events.put(Msg("services", services))
        try:
            self.events.put(Msg("priorities", self.background_api.priorities()))
        except (ApiUnavailable, ApiRefused) as exc:  # the buttons show the codes until the next load
            logger.warning("priority labels not loaded: %s", exc)

    def _background_idle(self) -> None:
        self.reporter.flush()
        if not self.state.online or time.monotonic() - self._last_load >= SERVICES_REFRESH_SECS:
            self._load_services()

    def _handle(self, event: pygame.event.Event, now: float) -> None:
        if event.type == pygame.QUIT:
            self.running = False
        elif event.type == pygame.FINGERDOWN:
            assert self.surface is not None
            width, height = self.surface.get_size()
            self._tap((round(event.x * width), round(event.y * height)), now)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and not getattr(event, "touch", False):
            self._tap(event.pos, now)  # SDL also turns every touch into a mouse click: those are skipped
        elif event.type == pygame.TEXTINPUT:
            self._dirty |= self.flow.type_text(event.text, now)
        elif event.type == pygame.KEYDOWN:
            self._key(event, now)
        elif event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            self.surface = pygame.display.get_surface()
            self._dirty = True

    def _key(self, event: pygame.event.Event, now: float) -> None:
        if event.key == pygame.K_q and event.mod & pygame.KMOD_CTRL:
            self.running = False
        elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self._dirty |= self.flow.enter(now)
        elif event.key == pygame.K_BACKSPACE:
            self._dirty |= self.flow.backspace(now)

    def _tap(self, pos: tuple[int, int], now: float) -> None:
        buttons = self.painter.buttons if self.painter else []
        for button in reversed(buttons):  # the last drawn is on top
            if button.rect.collidepoint(pos):
                self._dirty |= self.flow.tap(button.action, now)
                return
        self.flow.last_input = now  # a touch beside the buttons still means someone is there

    def _drain(self, wait: float) -> None:
        try:
            msg = self.events.get(timeout=wait) if wait > 0 else self.events.get_nowait()
        except queue.Empty:
            return
        while True:
            self.flow.message(msg, self.clock())
            self._dirty = True
            try:
                msg = self.events.get_nowait()
            except queue.Empty:
                return

    def _draw(self) -> None:
        if self.surface is None:
            return
        now_local = datetime.now(self.cfg.tz)
        minute = f"{now_local:%H:%M}"
        animate = self.state.view in ANIMATED and time.monotonic() - self._drawn_at >= ANIMATION_FRAME_SECS
        if not (self._dirty or minute != self._drawn_minute or animate):
            return
        ctx = ViewContext(site_name=self.cfg.site_name, now=now_local, qr=qr_surface)
        self.painter = render(self.surface, self.state, ctx)
        pygame.display.flip()
        self._dirty, self._drawn_minute, self._drawn_at = False, minute, time.monotonic()
