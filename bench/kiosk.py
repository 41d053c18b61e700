"""Kiosk benchmark: from the confirm tap to the last byte at a network printer, over a real server (SQLite)."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # before pygame is imported anywhere
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pygame  # noqa: E402

from hardware.printing import make_printer  # noqa: E402
from hardware.printing.fake import FakeNetworkPrinter  # noqa: E402
from kiosk.app import FPS, KioskApp  # noqa: E402
from kiosk.config import config_from_dict  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support import ServerProcess, site_config  # noqa: E402

from .stats import ms, percentile  # noqa: E402

TICKETS = 30
PROFILES = ("TM-T20II", "POS-5890")
DEADLINE_SECS = 15.0


class _Clock:
    """The kiosk's monotonic clock, moved one second per tap so the touch debounce never drops a tap."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _tap(app: KioskApp, clock: _Clock, action: tuple[Any, ...]) -> None:
    assert app.painter is not None and app.surface is not None
    button = next(b for b in app.painter.buttons if b.action == action)
    width, height = app.surface.get_size()
    clock.now += 1.0
    pygame.event.post(pygame.event.Event(pygame.FINGERDOWN, x=button.rect.centerx / width,
                                         y=button.rect.centery / height, dx=0.0, dy=0.0, touch_id=1,
                                         finger_id=0, pressure=1.0))
    app.step()


def _pump(app: KioskApp, view: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECS
    while app.state.view != view:
        if time.monotonic() > deadline:
            raise RuntimeError(f"kiosk stuck on {app.state.view}, expected {view}")
        app.step(wait=0.01)
    app.step()


def _one_ticket(app: KioskApp, clock: _Clock, profile: str) -> tuple[float, float]:
    """(confirm tap → last byte at the printer, confirm tap → number on screen), in seconds."""
    with FakeNetworkPrinter("paper_ok") as printer:
        app.desk.printer = make_printer({"type": "network", "host": printer.host, "port": printer.port,
                                         "profile": profile})
        _pump(app, "home")
        for action in (("agency", "DUKCAPIL"), ("service", "KTP"), ("priority", None)):
            _tap(app, clock, action)
        last_byte: list[float] = []
        watcher = threading.Thread(target=lambda: printer.wait_idle(DEADLINE_SECS) and
                                   last_byte.append(time.perf_counter()))
        watcher.start()
        started = time.perf_counter()
        _tap(app, clock, ("confirm",))
        ticker = pygame.time.Clock()
        while app.state.view != "done":  # the frame loop keeps drawing "Mencetak…" as the real kiosk does
            app.step()
            ticker.tick(FPS)
        on_screen = time.perf_counter() - started
        watcher.join(DEADLINE_SECS)
        if not last_byte:
            raise RuntimeError("the printer never received the whole job")
        _tap(app, clock, ("home",))
        return last_byte[0] - started, on_screen


def main() -> str:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(Path(tmp) / "server", site_config()).start()
        try:
            token = server.add_device("bench-kiosk", "kiosk")
            raw = site_config()
            raw["kiosk"].update(server=server.url, token=token)
            raw["kiosk"]["printer"] = {"type": "dummy", "folder": str(Path(tmp) / "tickets")}
            clock = _Clock()
            app = KioskApp(config_from_dict(raw), clock=clock, realtime=False).start()
            try:
                for profile in PROFILES:
                    runs = [_one_ticket(app, clock, profile) for _ in range(TICKETS)]
                    printed, shown = [r[0] for r in runs], [r[1] for r in runs]
                    rows.append(f"| {profile}, image QR | {TICKETS} | {ms(percentile(printed, 50))} | "
                                f"{ms(percentile(printed, 99))} | {ms(percentile(shown, 50))} | "
                                f"{ms(percentile(shown, 99))} |")
            finally:
                app.stop()
        finally:
            server.stop()
    return "\n".join([
        "## Kiosk: confirm tap → printed ticket",
        "",
        "| printer | tickets | tap → last byte p50 (ms) | p99 (ms) | tap → number on screen p50 (ms) | p99 (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        "Method: the real kiosk (pygame, dummy video driver, frame loop at 30 fps) taps through home → agency → "
        "service → priority with synthetic touch events, then the clock starts at the confirm tap: "
        "`POST /tickets` to a server subprocess on SQLite (the embedded default), the paper-sensor query and the "
        "ESC/POS job to a loopback `FakeNetworkPrinter`, until that printer has received the last byte and the "
        "connection closed. Target: under 300 ms.",
    ])


if __name__ == "__main__":
    print(main())
