"""Shared fixtures of the counter terminal's browser tests: one headless Chromium per test module."""

from collections.abc import Iterator

import pytest
from counter_kit import launch
from playwright.sync_api import Browser, sync_playwright


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
