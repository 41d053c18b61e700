"""Kiosk test helpers: a manual clock, a driver that taps buttons with synthetic touch/mouse events, kiosk configs
and in-process registration of kiosks and clerks on a test server."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygame
import tomli_w

from kiosk.app import KioskApp
from kiosk.config import KioskConfig, config_from_dict
from kiosk.ui.draw import Button
from support import ROOT, ServerProcess, site_config

PUMP_TIMEOUT_SECS = 15.0


class ManualClock:
    """The kiosk's monotonic clock, moved by hand: debounce and idle timeouts without waiting."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class KioskDriver:
    """Drives a KioskApp like a visitor: synthetic FINGERDOWN / MOUSEBUTTONDOWN events on its drawn buttons."""

    def __init__(self, app: KioskApp, clock: ManualClock) -> None:
        self.app, self.clock = app, clock

    def pump_until(self, done: Callable[[], bool], what: str, timeout: float = PUMP_TIMEOUT_SECS) -> None:
        """Run frames (each waits for worker messages up to 20 ms) until `done()`; fail after `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.app.step(wait=0.02)
            if done():
                self.app.step()  # draw the new state so its buttons can be tapped
                return
        raise AssertionError(f"timed out waiting for {what}; screen is {self.app.state.view}")

    def wait_view(self, view: str, timeout: float = PUMP_TIMEOUT_SECS) -> None:
        self.pump_until(lambda: self.app.state.view == view, f"screen {view!r}", timeout)

    def find(self, action: tuple[Any, ...]) -> Button | None:
        assert self.app.painter is not None
        return next((b for b in self.app.painter.buttons if b.action == action), None)

    def button(self, action: tuple[Any, ...]) -> Button:
        found = self.find(action)
        actions = [b.action for b in self.app.painter.buttons] if self.app.painter else []
        assert found is not None, f"no button {action} on {self.app.state.view}; there are {actions}"
        return found

    def post_touch(self, pos: tuple[int, int]) -> None:
        assert self.app.surface is not None
        width, height = self.app.surface.get_size()
        pygame.event.post(pygame.event.Event(pygame.FINGERDOWN, x=pos[0] / width, y=pos[1] / height,
                                             dx=0.0, dy=0.0, touch_id=1, finger_id=0, pressure=1.0))

    def post_click(self, pos: tuple[int, int]) -> None:
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False))

    def touch(self, action: tuple[Any, ...], *, mouse: bool = False) -> None:
        """Tap the button of `action` (a second later than the last tap, like a person) and run one frame."""
        target = self.button(action).rect.center
        self.clock.advance(1.0)
        (self.post_click if mouse else self.post_touch)(target)
        self.app.step()

    def type(self, text: str) -> None:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
        self.app.step()

    def press(self, key: int) -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
        self.app.step()

    def choose(self, agency: str, service: str, priority: str | None = None, *, mouse: bool = False) -> None:
        """Home → agency → service → priority: ends on the confirm screen."""
        self.wait_view("home")
        self.touch(("agency", agency), mouse=mouse)
        self.touch(("service", service), mouse=mouse)
        self.touch(("priority", priority), mouse=mouse)
        assert self.app.state.view == "confirm"


def register_kiosks(server: ServerProcess, *names: str) -> dict[str, str]:
    """Device tokens for `names`, registered in-process: a CLI subprocess per kiosk costs seconds on a busy CI."""
    from server.cli import main

    tokens = {}
    for name in names:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = main(["device", "add", name, "--kind", "kiosk", "--config", str(server.config_path)])
        assert status == 0, f"device add {name} failed"
        tokens[name] = out.getvalue().strip()
    return tokens


def register_clerk(server: ServerProcess, name: str, *counters: str, password: str = "rahasia-123") -> str:
    """A clerk account, created in-process like `python -m server user add` (the password is read from stdin)."""
    import sys

    from server.cli import main

    args = ["user", "add", name, "--role", "clerk", "--config", str(server.config_path)]
    for counter in counters:
        args += ["--counter", counter]
    saved, sys.stdin = sys.stdin, io.StringIO(password + "\n")
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(args) == 0, f"user add {name} failed"
    finally:
        sys.stdin = saved
    return password


def kiosk_config(server: str, token: str, printer: dict[str, Any], **kiosk: Any) -> KioskConfig:
    raw = site_config()
    raw["kiosk"].update(server=server, token=token, **kiosk)
    raw["kiosk"]["printer"] = printer
    return config_from_dict(raw)


def run_kiosk(tmp_path: Path, *args: str, **kiosk: Any) -> subprocess.CompletedProcess[str]:
    """`python -m kiosk --config <a test config in tmp_path> ARGS` in a subprocess, headless."""
    raw = site_config()
    printer = kiosk.pop("printer", {"type": "dummy", "folder": str(tmp_path / "tickets")})
    raw["kiosk"].update(kiosk)
    raw["kiosk"]["printer"] = printer
    config = tmp_path / "config.toml"
    config.write_text(tomli_w.dumps(raw))
    env = os.environ | {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
