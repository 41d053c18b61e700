"""Shared test setup: headless SDL drivers, the test site (open every day, all day) and service availability."""

import os

# Before anything imports pygame: no window, no sound card.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402

from support import pg_admin_url, redis_url, require_service  # noqa: E402


@pytest.fixture(scope="session")
def pg_url() -> str:
    """Admin URL of a reachable PostgreSQL (skips locally, fails under CI when there is none)."""
    return require_service("PostgreSQL", pg_admin_url())


@pytest.fixture(scope="session")
def redis() -> str:
    return require_service("Redis", redis_url())
