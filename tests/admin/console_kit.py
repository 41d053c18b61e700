"""Helpers of the admin console's browser tests: signing in, admin-* screenshots, users, reading the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from browser_kit import shot as save_shot
from browser_kit import sign_in
from playwright.sync_api import Page

from support import PASSWORD, Api, ServerProcess

TABLET = {"width": 800, "height": 1280}


def shot(page: Page, name: str, tmp: Path, full_page: bool = False) -> Path:
    """Save `admin-<name>.png` (into docs/screenshots with ANTRE_UPDATE_SCREENSHOTS=1)."""
    return save_shot(page, f"admin-{name}.png", tmp, full_page)


def login(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    sign_in(page, f"{base}/admin/login", username, password)
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
