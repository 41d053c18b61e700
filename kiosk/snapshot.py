"""`--screenshot`: render the home screen as the kiosk would show it now (services, printer state) to a PNG."""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pygame

from hardware.printing import PrinterError, make_printer
from kiosk.api import ApiRefused, ApiUnavailable, KioskApi
from kiosk.config import PORTRAIT, KioskConfig
from kiosk.flow import Flow
from kiosk.ui.frame import ViewContext
from kiosk.ui.qr import qr_surface
from kiosk.ui.screens import render
from kiosk.worker import Msg

logger = logging.getLogger(__name__)


class _NoEffects:
    """The screenshot never issues, prints or reloads anything."""

    def issue(self, *_: Any) -> None: ...
    def check_in(self, *_: Any) -> None: ...
    def reprint(self, *_: Any) -> None: ...
    def reload(self) -> None: ...


def save_home_screenshot(cfg: KioskConfig, path: Path, size: tuple[int, int] | None = None) -> int:
    """Load the services, draw the home screen into `path`; exit status 0 when the file was written."""
    flow = Flow(_NoEffects(), lang=cfg.language, idle_seconds=cfg.idle_seconds, shows=cfg.shows)
    api = KioskApi(cfg.server, cfg.token, attempts=1)
    try:
        flow.message(Msg("services", api.services()), 0.0)
    except (ApiUnavailable, ApiRefused) as exc:
        print(f"kiosk: server tidak terjangkau, tangkapan layar menampilkan layar gangguan ({exc})", file=sys.stderr)
        flow.message(Msg("services_failed"), 0.0)
    finally:
        api.close()
    try:
        flow.message(Msg("printer", make_printer(cfg.printer).status().value), 0.0)
    except PrinterError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
    surface = pygame.Surface(size or PORTRAIT)
    render(surface, flow.state, ViewContext(cfg.site_name, datetime.now(cfg.tz), qr_surface))
    try:
        pygame.image.save(surface, str(path))
    except (pygame.error, OSError) as exc:
        print(f"kiosk: tidak dapat menyimpan {path}: {exc}", file=sys.stderr)
        return 1
    print(f"Tangkapan layar disimpan: {path}")
    return 0
