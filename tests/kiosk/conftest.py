"""Kiosk test fixtures: one test site server for every kiosk test module, and `make_kiosk` (started kiosks with
a manual clock, stopped after the test)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from kiosk_driver import KioskDriver, ManualClock

from kiosk.app import KioskApp
from kiosk.config import KioskConfig
from support import ALL_DAYS, ServerProcess, site_config

QUOTA_OF_ONE = ("SIM", "KK")  # a second ticket is refused with quota_exhausted
CLOSED_TODAY = "AKTA"  # shown as Layanan Tutup


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """The Samarinda test site, open all day, except: SIM and KK take one ticket a day, AKTA is closed today.
    Each test module uses its own services and kiosks, so the modules do not disturb each other."""
    raw = site_config()
    today = ALL_DAYS[datetime.now(ZoneInfo(raw["site"]["timezone"])).weekday()]
    for service in raw["service"]:
        if service["code"] in QUOTA_OF_ONE:
            service["daily_quota"] = 1
        if service["code"] == CLOSED_TODAY:
            service["days"] = [day for day in ALL_DAYS if day != today]
    process = ServerProcess(tmp_path_factory.mktemp("kiosk-site"), raw).start()
    yield process
    process.stop()


@pytest.fixture
def make_kiosk() -> Iterator[Callable[..., KioskDriver]]:
    """Build started kiosks (stopped after the test): make_kiosk(cfg, size=..., realtime=..., printer=...)."""
    apps: list[KioskApp] = []

    def build(cfg: KioskConfig, **options: Any) -> KioskDriver:
        clock = ManualClock()
        app = KioskApp(cfg, clock=clock, **options)
        apps.append(app)
        app.start()
        return KioskDriver(app, clock)

    yield build
    for app in apps:
        app.stop()
