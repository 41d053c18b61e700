"""Headless Chromium for the browser tests: one launch recipe, pages that collect their JS errors, screenshots."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from support import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1366, "height": 768}
WAIT_MS = 10_000
# The committed screenshots are rewritten only on request, so a test run leaves the working tree clean.
UPDATE_SHOTS = os.environ.get("ANTRE_UPDATE_SCREENSHOTS") == "1"
DOCS_SHOTS = ROOT / "docs" / "screenshots"


def launch(p: Playwright) -> Browser:
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for as long as the block runs."""
    with sync_playwright() as p:
        browser = launch(p)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Browser, viewport: dict[str, int] = DESKTOP) -> Page:
    """A page in a fresh context (Indonesian locale) whose uncaught JS errors land in `page.js_errors`."""
    page = browser.new_context(viewport=viewport, locale="id-ID").new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    return page


def shot(page: Page, filename: str, tmp: Path, full_page: bool = False) -> Path:
    """Save `filename` into `tmp` (into docs/screenshots with ANTRE_UPDATE_SCREENSHOTS=1)."""
    folder = DOCS_SHOTS if UPDATE_SHOTS else tmp
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    page.screenshot(path=str(path), full_page=full_page)
    return path


def sign_in(page: Page, login_url: str, username: str, password: str) -> None:
    """Fill and send a login form with the #username / #password / #login-submit fields."""
    page.goto(login_url)
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
