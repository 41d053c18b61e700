"""Helpers of the admin console's browser tests: a real server, headless Chromium, signing in, reading the store."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, Playwright

from support import ROOT, Api, ServerProcess

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1366, "height": 768}
TABLET = {"width": 800, "height": 1280}
PASSWORD = "rahasia-123"
WAIT_MS = 10_000
# The committed screenshots are rewritten only on request, so a test run leaves the working tree clean.
UPDATE_SHOTS = os.environ.get("ANTRE_UPDATE_SCREENSHOTS") == "1"
DOCS_SHOTS = ROOT / "docs" / "screenshots"


def launch(p: Playwright) -> Browser:
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def new_page(browser: Browser, viewport: dict[str, int] = DESKTOP) -> Page:
    page = browser.new_context(viewport=viewport, locale="id-ID").new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    return page


def shot(page: Page, name: str, tmp: Path, full_page: bool = False) -> Path:
    """Save `admin-<name>.png` (into docs/screenshots with ANTRE_UPDATE_SCREENSHOTS=1)."""
    folder = DOCS_SHOTS if UPDATE_SHOTS else tmp
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"admin-{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def login(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/admin/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_load_state()


def add_users(server: ServerProcess, users: list[dict[str, Any]]) -> Api:
    """Create users through the REST API as the first admin; returns the admin's API client."""
    root = Api(server.url).login("admin", server.admin_password())
    for body in users:
        r = root.post("/users", body | {"password": PASSWORD})
        assert r.status_code == 201, r.text
    return root


def site_version(server: ServerProcess) -> int:
    """The newest version of the site document in the server's database (a change stores a new one)."""
    from server.storage.database import make_engine
    from server.storage.uow import UnitOfWork

    engine = make_engine(f"sqlite:///{server.workdir / 'antre.db'}")
    try:
        with UnitOfWork(engine, ZoneInfo("Asia/Makassar")) as uow:
            latest = uow.site.latest()
        assert latest is not None
        return latest[0]
    finally:
        engine.dispose()


def field_error(page: Page, name: str) -> str:
    """The message shown next to form field `name` ('' when there is none)."""
    box = page.locator(f'.field[data-field="{name}"] .field-error')
    return box.inner_text().strip() if box.count() else ""


def no_horizontal_overflow(page: Page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"))
