"""What a newcomer sees of `python -m server run --demo` (issue 18: 2): the TV and the supervision board show a
living hall — lokets calling numbers, people waiting — whatever the hour, and an admin watching a loket sees its
simulated clerk at work. Screenshots: demo-tv.png, demo-board.png, demo-counter.png (into docs/screenshots with
ANTRE_UPDATE_SCREENSHOTS=1)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest
from browser_kit import DOCS_SHOTS, UPDATE_SHOTS, new_page, shot, sign_in
from playwright.sync_api import Browser
from realtime_client import Recorder
from site_day import faketime_env, sample_config

from support import ROOT, ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.screenshots]
CALLS_BEFORE_SHOTS = 60  # a hall some minutes into its day: numbers past 001, visitors served
WAIT_SECS = 90.0


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """The shipped sample config on the screenshot day, run as a demo thirty times faster, once sixty calls were
    made."""
    server = ServerProcess(tmp_path_factory.mktemp("demo-screens"), sample_config(), env=faketime_env(),
                           run_args=("--demo", "--demo-speed", "30"))
    server.start()
    display = Recorder(server.url, "/display").connect()
    for _ in range(CALLS_BEFORE_SHOTS):
        display.wait_for("ticket_called", timeout=WAIT_SECS)
    display.close()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return DOCS_SHOTS if UPDATE_SHOTS else tmp_path_factory.mktemp("demo-shots")


def test_the_tv_shows_the_demo_halls_calls(demo: ServerProcess, shots: Path) -> None:
    target = shots / "demo-tv.png"
    # the sample [display]: the hall's agencies; the public TV needs no token
    done = subprocess.run([sys.executable, "-m", "display", "--config", str(demo.config_path), "--server", demo.url,
                           "--screenshot", str(target)], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env=os.environ | demo.env)  # the TV's clock on the screenshot day too
    assert done.returncode == 0, done.stderr
    image = pygame.image.load(str(target))
    assert image.get_size() == (1920, 1080)
    assert len({image.get_at((x, y))[:3] for x in range(0, 1920, 40) for y in range(0, 1080, 40)}) > 8


def minutes(text: str) -> float:
    """"12 mnt" → 12.0; "—" → 0."""
    found = re.match(r"\s*(\d+(?:\.\d+)?)", text)
    return float(found.group(1)) if found else 0.0


def admin_password(demo: ServerProcess) -> str:
    found = re.search(r"kata sandi '([^']+)'", demo.log())
    assert found, "the demo's fresh database prints its first admin's password"
    return found.group(1)


def test_the_board_shows_lokets_serving_and_people_waiting(browser: Browser, demo: ServerProcess,
                                                            shots: Path) -> None:
    page = new_page(browser)
    sign_in(page, f"{demo.url}/admin/login?next=/admin/board", "admin", admin_password(demo))
    page.wait_for_selector("body[data-seq]")
    assert page.locator("#counters li").count() == 20
    assert page.locator("#counters li[data-number]:not([data-number=''])").count() >= 3  # lokets at work
    assert page.locator('#counters li .status:text-is("Buka")').count() >= 10
    # The server's clock runs at the demo's speed: waits read in the hall's minutes, not "0 mnt" everywhere.
    assert max(minutes(text) for text in page.locator("td.longest").all_inner_texts()) >= 2
    shot(page, "demo-board.png", shots)
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_an_admin_watches_a_simulated_clerk_at_a_loket(browser: Browser, demo: ServerProcess, shots: Path) -> None:
    page = new_page(browser)
    sign_in(page, f"{demo.url}/counter/login", "admin", admin_password(demo))
    page.goto(f"{demo.url}/counter/L04")  # KTP and KK: Dukcapil's busiest loket
    page.wait_for_selector("#conn-state[data-state=online]")
    page.wait_for_selector("#current[data-status=serving]", timeout=WAIT_SECS * 1000)  # the clerk serves someone
    assert page.locator("#counter-status[data-status=open]").count() == 1
    # Waits in the hall's minutes: someone in L04's lines has waited 2 of them. Awaited, not read at once: at some
    # moments of the demo's day (a lull, the lunch hour, on a slow machine later in the day) nobody waits there.
    page.wait_for_function("""() => [...document.querySelectorAll('#waiting-list .waited')]
        .some(e => parseFloat(e.textContent) >= 2)""", timeout=WAIT_SECS * 1000)
    assert max(minutes(text) for text in page.locator("#waiting-list .waited").all_inner_texts()) >= 2
    shot(page, "demo-counter.png", shots)
    page.wait_for_selector("#current:not([data-status=serving])", timeout=WAIT_SECS * 1000)  # … and finishes
    # Service times in the hall's minutes (KTP and KK take about 6): not the wall seconds the demo took.
    page.wait_for_function("() => /\\d/.test(document.getElementById('today-avg').textContent)")
    assert minutes(page.inner_text("#today-avg")) >= 1.5
    assert page.js_errors == []  # type: ignore[attr-defined]
