"""Shared test setup: headless SDL drivers, the test site (open every day, all day), service availability and a
headless Chromium for the browser tests."""

import os
from collections.abc import Iterator

# Before anything imports pygame: no window, no sound card.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402
from browser_kit import chromium  # noqa: E402
from playwright.sync_api import Browser  # noqa: E402

from support import pg_admin_url, redis_url, require_service  # noqa: E402


@pytest.fixture(scope="session")
def pg_url() -> str:
    """Admin URL of a reachable PostgreSQL (skips locally, fails under CI when there is none)."""
    return require_service("PostgreSQL", pg_admin_url())


@pytest.fixture(scope="session")
def redis() -> str:
    return require_service("Redis", redis_url())


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test module (the admin console's and the counter terminal's browser tests)."""
    with chromium() as b:
        yield b
