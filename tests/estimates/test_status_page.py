"""The live status page of a ticket whose service no loket serves yet: it says so instead of "0 menit", and shows
the estimate as soon as a clerk opens a loket (headless Chromium against the sample site on the screenshot day).
Screenshots status-6-no-counter.png and status-7-estimate.png."""

import re

import pytest
from browser_kit import chromium, shot
from playwright.sync_api import expect
from site_day import faketime_env, sample_config

from support import Api, ServerProcess

pytestmark = pytest.mark.screenshots
WAIT_MS = 10_000


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    server = ServerProcess(tmp_path_factory.mktemp("status-eta"), sample_config(), env=faketime_env())
    server.start()
    try:
        kiosk = server.add_device("kiosk-1", "kiosk")
        server.add_clerk("budi", "L05")
        with chromium() as browser:
            yield server, browser, kiosk
    finally:
        server.stop()


def test_the_status_page_says_no_loket_serves_the_service_yet(env, tmp_path):
    server, browser, kiosk = env
    mine = Api(server.url, kiosk).post("/tickets", {"service": "KTP"}).json()
    assert mine["no_counter_open"] is True and mine["eta_minutes"] is None and mine["eta_seconds"] is None
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, locale="id-ID")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(mine["status_url"])
    expect(page.locator("#live")).to_have_class(re.compile(r"\bon\b"))
    notice = page.locator("#no-counter")
    expect(notice).to_be_visible()
    expect(notice).to_have_text(re.compile(r"^Belum ada loket yang melayani .+; perkiraan setelah loket dibuka\.$"))
    expect(page.locator("#eta")).to_have_text("—")
    shot(page, "status-6-no-counter.png", tmp_path, full_page=True)

    clerk = Api(server.url).login("budi", "rahasia-123")
    assert clerk.post("/counters/L05/open").status_code == 200
    expect(notice).to_be_hidden(timeout=WAIT_MS)  # the queue_changed of the opening carries the estimate
    expect(page.locator("#eta")).to_have_text(re.compile(r"^\d+ menit$"))
    shot(page, "status-7-estimate.png", tmp_path, full_page=True)
    assert errors == []
    context.close()
