"""Helpers of the counter terminal's browser tests: headless Chromium, login, waiting on the page's own state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser_kit import new_page as new_page  # the counter tests take it from here with the rest
from browser_kit import shot as save_shot
from browser_kit import sign_in
from playwright.sync_api import Page

from support import PASSWORD, Api, ServerProcess


def shot(page: Page, name: str, tmp: Path) -> Path:
    """Save a screenshot `counter-<name>.png` (into docs/screenshots with ANTRE_UPDATE_SCREENSHOTS=1)."""
    return save_shot(page, f"counter-{name}.png", tmp)


def login(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    sign_in(page, f"{base}/counter/login", username, password)


def landed(page: Page) -> None:
    """Wait until a login has left the login page: the list of lokets, or the working screen of a clerk with one."""
    page.wait_for_url(lambda url: "/counter/" in url and "/counter/login" not in url)


def open_counter(page: Page, base: str, code: str) -> None:
    """Go to the working screen of `code` and wait until it is connected and shows the server's state."""
    page.goto(f"{base}/counter/{code}")
    wait_ready(page)


def wait_ready(page: Page) -> None:
    page.wait_for_selector("#conn-state[data-state=online]")
    page.wait_for_function("() => window.antreCounter && window.antreCounter.view !== null")
    page.wait_for_function("() => !window.antreCounter.inFlight")


def view(page: Page) -> dict[str, Any]:
    """The counter state the page itself holds (what it draws)."""
    return page.evaluate("() => window.antreCounter.view")


def wait_current(page: Page, status: str | None) -> dict[str, Any] | None:
    """Wait until the page shows a current ticket in `status` (None: no current ticket) and return it."""
    if status is None:
        page.wait_for_selector("#current[data-status=none]")
    else:
        page.wait_for_selector(f"#current[data-status={status}]")
    page.wait_for_function("() => !window.antreCounter.inFlight")
    return view(page)["current"]


def wait_enabled(page: Page, action: str) -> None:
    page.wait_for_selector(f"#btn-{action}:not([disabled])")


def page_token(page: Page) -> str:
    return page.evaluate("() => JSON.parse(document.getElementById('counter-config').textContent).token")


def issue(kiosk: Api, service: str, priority: str | None = None) -> dict[str, Any]:
    r = kiosk.post("/tickets", {"service": service, "priority": priority})
    assert r.status_code == 201, r.text
    return r.json()


def open_counter_status(page: Page) -> None:
    """Make sure the counter is open (a fresh counter starts closed)."""
    if view(page)["status"] != "open":
        wait_enabled(page, "open")
        page.click("#btn-open")
        page.wait_for_selector("#counter-status[data-status=open]")
        page.wait_for_function("() => !window.antreCounter.inFlight")


def seed_accounts(proc: ServerProcess, clerks: dict[str, list[str]], kiosk: str) -> str:
    """Create clerks and a kiosk in the server's database through the same use cases as the CLI, in-process
    (a CLI process start costs ~2 s each); returns the kiosk's device token."""
    from server.config import load_config
    from server.services import accounts
    from server.services.context import Context
    from server.storage.database import make_engine

    config = load_config(proc.config_path)
    engine = make_engine(config.database_url)
    try:
        ctx = Context(site=config.site, engine=engine, booking=config.booking)
        for name, counters in clerks.items():
            accounts.create_user(ctx, name, "clerk", PASSWORD, counters)
        return accounts.create_device(ctx, kiosk, "kiosk")
    finally:
        engine.dispose()
