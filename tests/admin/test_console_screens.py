"""Every page of the admin console on the sample config.toml site at 1366×768 (and a tablet): each answers 200,
fits the window without sideways scrolling, raises no JS error, and is saved as docs/screenshots/admin-*.png with
ANTRE_UPDATE_SCREENSHOTS=1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_kit import new_page
from console_kit import TABLET, add_users, login, no_horizontal_overflow, shot
from playwright.sync_api import Browser, Page
from site_day import faketime_env, sample_config

from support import Api, ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.screenshots]  # real servers and a browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    # the sample site as shipped (real hours and holidays) on the screenshot day
    proc = ServerProcess(tmp_path_factory.mktemp("console-screens"), sample_config(), env=faketime_env()).start()
    root = add_users(proc, [{"username": "siti", "role": "clerk", "counters": ["L04"]},
                            {"username": "budi", "role": "clerk", "counters": ["L11", "L12"]},
                            {"username": "andi", "role": "clerk", "counters": ["L05"]},
                            {"username": "dewi", "role": "clerk"},
                            {"username": "kepala.dukcapil", "role": "supervisor", "agencies": ["DUKCAPIL"]}])
    tokens = {}
    for name, kind, counter in (("kios-lobi", "kiosk", None), ("tv-lantai-1", "display", None),
                                ("survei-l04", "survey", "L04"), ("kios-lama", "kiosk", None)):
        r = root.post("/devices", {"name": name, "kind": kind, "counter": counter})
        assert r.status_code == 201, r.text
        tokens[name] = (r.json()["id"], r.json()["token"])
    # The lobby kiosk is online and out of paper; the old kiosk was stolen and revoked; andi left.
    assert Api(proc.url, tokens["kios-lobi"][1]).post("/devices/me/state", {"printer": "paper_out"}).ok
    assert root.s.delete(f"{root.base}/devices/{tokens['kios-lama'][0]}", timeout=10).status_code in (200, 204)
    andi = next(u for u in root.get("/users").json() if u["username"] == "andi")
    assert root.post(f"/users/{andi['id']}/disable").ok
    yield proc
    proc.stop()
    assert "Traceback" not in proc.log()


@pytest.fixture(scope="module")
def admin(browser: Browser, server: ServerProcess) -> Iterator[Page]:
    page = new_page(browser)
    login(page, server.url, "admin", server.admin_password())
    # A few changes made through the console, so the audit trail has something to show.
    page.goto(f"{server.url}/admin/ticker")
    page.fill("#f-ticker", "Selamat datang di MPP Kota Samarinda. Layanan gratis kecuali yang tertera tarifnya. "
                           "Jumat 11.30-13.00 istirahat salat Jumat.")
    page.click("#save")
    page.goto(f"{server.url}/admin/services/KTP/edit")
    page.fill("#f-daily_quota", "160")
    page.click("#save")
    page.goto(f"{server.url}/admin/holidays/new")
    page.fill("#f-date", "2026-12-31")
    page.fill("#f-name", "Cuti bersama akhir tahun")
    page.click("#save")
    yield page
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


PAGES = [
    ("02-home", ""), ("03-agencies", "agencies"), ("04-agency-form", "agencies/DUKCAPIL/edit"),
    ("05-services", "services"), ("06-service-form", "services/KTP/edit"), ("08-counters", "counters"),
    ("09-counter-form", "counters/L04/edit"), ("10-users", "users"), ("11-user-new", "users/new"),
    ("12-devices", "devices"), ("13-device-form", "devices/new"), ("15-holidays", "holidays"),
    ("16-holiday-form", "holidays/new"), ("17-breaks", "breaks"), ("18-break-form", "breaks/new"),
    ("19-sessions", "sessions"), ("20-session-form", "sessions/service:PASPOR/edit"), ("21-ticker", "ticker"),
    ("22-audit", "audit"), ("23-audit-object", "audit?object=service:KTP"), ("24-confirm-retire",
                                                                         "counters/L14/retire"),
    ("25-password", "password"),
]


@pytest.mark.parametrize("name, path", PAGES)
def test_every_console_page_answers_and_fits_the_window(admin: Page, server: ServerProcess, name: str, path: str,
                                                         tmp_path: Path) -> None:
    answer = admin.goto(f"{server.url}/admin/{path}")
    assert answer is not None and answer.status == 200
    assert no_horizontal_overflow(admin)
    assert admin.locator("h1").count() == 1
    shot(admin, name, tmp_path)


def test_the_login_page(browser: Browser, server: ServerProcess, tmp_path: Path) -> None:
    page = new_page(browser)
    page.goto(f"{server.url}/admin/")
    assert page.url.startswith(f"{server.url}/admin/login")
    assert page.inner_text("h1") == "Masuk Konsol Admin"
    shot(page, "01-login", tmp_path)
    page.context.close()


def test_the_home_page_lists_what_needs_attention(admin: Page, server: ServerProcess) -> None:
    admin.goto(f"{server.url}/admin/")
    text = admin.inner_text(".attention")
    assert "dewi" in text  # a clerk with no counter
    assert "L01 · Loket 1" in text  # a counter no clerk is assigned to
    assert "kios-lobi · kertas habis" in text and "kios-lama" in text


def test_a_rejected_service_form(admin: Page, server: ServerProcess, tmp_path: Path) -> None:
    admin.goto(f"{server.url}/admin/services/new")
    for name, value in {"code": "SIUP", "name": "Surat Izin Usaha", "prefix": "A", "open": "15:00",
                        "close": "08:00", "daily_quota": "lima puluh"}.items():
        admin.fill(f"#f-{name}", value)
    admin.click("#save")
    admin.wait_for_selector(".field-error")
    assert admin.locator('.field[data-field="daily_quota"] .field-error').count() == 1
    shot(admin, "07-service-form-error", tmp_path)
    admin.fill("#f-daily_quota", "50")
    admin.click("#save")
    admin.wait_for_selector(".field-error")
    assert admin.locator(".field-error").count() == 1  # the service's first objection, next to its field
    shot(admin, "07b-service-form-error-rule", tmp_path)


def test_a_new_device_token_page(admin: Page, server: ServerProcess, tmp_path: Path) -> None:
    admin.goto(f"{server.url}/admin/devices/new")
    admin.fill("#f-name", "kios-lantai-2")
    admin.click("#save")
    assert admin.locator("#device-qr svg").count() == 1 and len(admin.inner_text("#device-token")) > 30
    shot(admin, "14-device-token", tmp_path)


def test_a_clerk_and_a_supervisor_see_their_own_pages(browser: Browser, server: ServerProcess,
                                                      tmp_path: Path) -> None:
    clerk = new_page(browser)
    login(clerk, server.url, "siti")
    assert clerk.goto(f"{server.url}/admin/").status == 403  # type: ignore[union-attr]
    shot(clerk, "26-clerk-refused", tmp_path)
    clerk.context.close()
    boss = new_page(browser)
    login(boss, server.url, "kepala.dukcapil")
    boss.goto(f"{server.url}/admin/")
    assert boss.locator("#nav-holidays").count() == 0
    shot(boss, "27-supervisor-home", tmp_path)
    boss.goto(f"{server.url}/admin/services")
    assert set(boss.eval_on_selector_all("#table-services tbody tr", "r => r.map(x => x.dataset.key)")) <= {
        "KTP", "KK", "AKTA"}
    shot(boss, "28-supervisor-services", tmp_path)
    boss.context.close()


def test_english_and_tablet(browser: Browser, server: ServerProcess, tmp_path: Path) -> None:
    page = new_page(browser)
    login(page, server.url, "admin", server.admin_password())
    page.goto(f"{server.url}/admin/?lang=en")
    assert page.inner_text("h1") == "What needs attention"
    shot(page, "29-home-english", tmp_path)
    page.context.close()
    tablet = new_page(browser, TABLET)
    login(tablet, server.url, "admin", server.admin_password())
    for name, path in (("30-tablet-services", "services"), ("31-tablet-service-form", "services/KTP/edit")):
        tablet.goto(f"{server.url}/admin/{path}")
        assert no_horizontal_overflow(tablet)
        shot(tablet, name, tmp_path)
    tablet.context.close()
