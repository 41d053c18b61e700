"""The admin console in a browser against a real server: an admin builds an agency, a service and a counter and
assigns a clerk; bad input is told next to its field and changes nothing; retiring asks first; a device's token is
shown once with a QR; a supervisor sees only their agency; a clerk is turned away politely."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from browser_kit import new_page
from console_kit import TABLET, add_users, field_error, login, no_horizontal_overflow, site_version
from playwright.sync_api import Browser, Page
from realtime_client import Recorder

from support import Api, ServerProcess, site_config

pytestmark = pytest.mark.slow  # real servers and a browser

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("console"), site_config()).start()
    add_users(proc, [{"username": "rina", "role": "clerk"},
                     {"username": "joko", "role": "clerk", "counters": ["L04"]},
                     {"username": "kepala", "role": "supervisor", "agencies": ["DUKCAPIL"]}])
    yield proc
    proc.stop()
    assert "Traceback" not in proc.log()


@pytest.fixture
def admin(browser: Browser, server: ServerProcess) -> Iterator[Page]:
    page = new_page(browser)
    login(page, server.url, "admin", server.admin_password())
    yield page
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f"#f-{name}", value)


def test_an_admin_creates_an_agency_a_service_and_a_counter_and_assigns_a_clerk(admin: Page,
                                                                             server: ServerProcess) -> None:
    base = server.url
    # A kiosk and a TV (Socket.IO clients, as the real ones) hear of each change within 2 s, with no restart.
    kiosk = Recorder(base, "/kiosk", {"token": server.add_device("kiosk-console", "kiosk")}).connect()
    tv = Recorder(base, "/display", {"token": server.add_device("tv-console", "display")}).connect()
    kiosk.wait_for("services")
    tv.wait_for("snapshot")
    admin.goto(f"{base}/admin/agencies/new")
    fill(admin, {"code": "DISHUB", "name": "Dinas Perhubungan", "floor": "2"})
    admin.click("#save")
    admin.wait_for_selector('#table-agencies tr[data-key="DISHUB"]')
    assert "Data baru tersimpan." in admin.inner_text("main")

    admin.goto(f"{base}/admin/services/new")
    fill(admin, {"code": "KIR", "name": "Uji KIR Kendaraan", "prefix": "R", "open": "08:00", "close": "15:00",
                 "daily_quota": "40", "requirements": "STNK\nBuku uji lama"})
    admin.select_option("#f-agency", "DISHUB")
    admin.click("#save")
    admin.wait_for_selector('#table-services tr[data-key="KIR"]')
    assert kiosk.wait_for("services", lambda items: "KIR" in {s["code"] for s in items}, timeout=2)
    assert "KIR" in {s["code"] for s in requests.get(f"{base}/api/v1/services", timeout=10).json()}

    admin.goto(f"{base}/admin/")
    assert "KIR · Uji KIR Kendaraan" in admin.inner_text(".attention")  # a service no counter calls yet

    admin.goto(f"{base}/admin/counters/new")
    fill(admin, {"code": "L15", "name": "Loket 15"})
    admin.fill("input[data-filter='#checks-services']", "KIR")
    admin.check("#checks-services input[value=KIR]")
    admin.click("#save")
    admin.wait_for_selector('#table-counters tr[data-key="L15"]')
    tv.wait_for("snapshot", lambda snap: any(c["code"] == "L15" for c in snap["counters"]), timeout=2)
    kiosk.close()
    tv.close()

    rina = next(u for u in Api(base).login("admin", server.admin_password()).get("/users").json()
                if u["username"] == "rina")
    admin.goto(f"{base}/admin/users/{rina['id']}/edit")
    admin.check("#checks-counters input[value=L15]")
    admin.click("#save")
    admin.wait_for_selector(f"#user-{rina['id']}")
    assert "L15" in admin.inner_text(f"#user-{rina['id']}")
    admin.goto(f"{base}/admin/counters")
    assert "rina" in admin.inner_text('#table-counters tr[data-key="L15"]')
    admin.goto(f"{base}/admin/")
    attention = admin.inner_text("main")
    assert "KIR · Uji KIR Kendaraan" not in attention and "L15 · Loket 15" not in attention
    assert "rina" not in attention  # no longer a clerk without a counter

    admin.goto(f"{base}/admin/services")
    admin.click('#table-services tr[data-key="KIR"] a.history')
    admin.wait_for_selector('#table-audit tr[data-object="service:KIR"]')
    assert "dibuat" in admin.inner_text("#table-audit") and "admin" in admin.inner_text("#table-audit")


@pytest.mark.parametrize("form, values, field", [
    ("services", {"code": "DUPLIK", "name": "Prefiks ganda", "prefix": "A", "open": "08:00", "close": "15:00"},
     "prefix"),
    ("services", {"code": "TERBALIK", "name": "Tutup sebelum buka", "prefix": "W", "open": "15:00",
                  "close": "08:00"}, "close"),
    ("services", {"code": "KUOTA", "name": "Kuota bukan angka", "prefix": "W", "open": "08:00", "close": "15:00",
                  "daily_quota": "banyak"}, "daily_quota"),
    ("counters", {"code": "L99", "name": "Loket tanpa layanan"}, "services"),
    ("agencies", {"code": "DUKCAPIL", "name": "Kode yang sudah dipakai"}, "code"),
    ("holidays", {"date": "25-12-2026", "name": "Natal"}, "date"),
])
def test_bad_form_input_shows_the_message_next_to_the_field_and_changes_nothing(
        admin: Page, server: ServerProcess, form: str, values: dict[str, str], field: str) -> None:
    before = site_version(server)
    admin.goto(f"{server.url}/admin/{form}/new")
    fill(admin, values)
    with admin.expect_response(lambda r: r.request.method == "POST") as answer:
        admin.click("#save")
    assert answer.value.status in (409, 422)
    message = field_error(admin, field)
    assert message, f"a message next to {field}"
    assert admin.locator(".field-error").count() == 1  # only that field is marked
    assert admin.input_value("#f-name") == values["name"]  # what was typed is kept
    assert site_version(server) == before


def test_a_form_posted_without_its_csrf_token_is_refused_and_changes_nothing(server: ServerProcess) -> None:
    s = requests.Session()
    token = CSRF.search(s.get(f"{server.url}/admin/login", timeout=10).text).group(1)
    s.post(f"{server.url}/admin/login", data={"csrf_token": token, "username": "admin",
                                              "password": server.admin_password()}, timeout=10)
    before = site_version(server)
    r = s.post(f"{server.url}/admin/agencies/new", data={"code": "TANPA", "name": "Tanpa token"}, timeout=10)
    assert r.status_code == 400 and "kedaluwarsa" in r.text
    assert site_version(server) == before


def test_retiring_asks_for_confirmation_first_and_keeps_the_row_with_its_history(admin: Page,
                                                                                server: ServerProcess) -> None:
    base = server.url
    admin.goto(f"{base}/admin/counters")
    admin.click('#table-counters tr[data-key="L14"] a.retire')
    admin.wait_for_selector("#confirm")
    assert "L14" in admin.inner_text("#confirm")
    admin.click("#confirm-no")
    assert admin.locator('#table-counters tr[data-key="L14"]:not(.retired)').count() == 1

    admin.click('#table-counters tr[data-key="L14"] a.retire')
    admin.click("#confirm-yes")
    admin.wait_for_selector('#table-counters tr[data-key="L14"].retired', state="hidden")
    admin.check("input.show-retired")
    assert admin.locator('#table-counters tr[data-key="L14"].retired').is_visible()
    admin.goto(f"{base}/admin/audit?object=counter:L14")
    assert "dipensiunkan" in admin.inner_text("#table-audit")


def test_a_new_devices_token_is_shown_once_with_a_qr_code_and_works(admin: Page, server: ServerProcess) -> None:
    admin.goto(f"{server.url}/admin/devices/new")
    admin.fill("#f-name", "kios-lobi")
    admin.select_option("#f-kind", "kiosk")
    admin.click("#save")
    token = admin.inner_text("#device-token").strip()
    assert admin.locator("#device-qr svg").count() == 1
    me = Api(server.url, token).get("/auth/me")
    assert me.status_code == 200 and me.json()["name"] == "kios-lobi"
    admin.click("#token-done")
    admin.wait_for_selector('#table-devices tr[data-key="kios-lobi"]')
    assert token not in admin.content()  # never shown again


def test_a_supervisor_of_one_agency_does_not_see_another_agencys_objects(browser: Browser,
                                                                         server: ServerProcess) -> None:
    page = new_page(browser)
    login(page, server.url, "kepala")
    page.goto(f"{server.url}/admin/services")
    keys = set(page.eval_on_selector_all("#table-services tbody tr", "rows => rows.map(r => r.dataset.key)"))
    assert keys and keys <= {"KTP", "KK", "AKTA"}
    page.goto(f"{server.url}/admin/agencies")
    assert page.eval_on_selector_all("#table-agencies tbody tr", "rows => rows.map(r => r.dataset.key)") == ["DUKCAPIL"]
    other = page.goto(f"{server.url}/admin/services/PASPOR/edit")
    assert other is not None and other.status == 403
    assert "tidak berwenang" in page.inner_text("#problem")
    assert page.locator("#nav-holidays").count() == 0
    page.context.close()


def test_a_clerk_is_turned_away_with_a_friendly_page(browser: Browser, server: ServerProcess) -> None:
    page = new_page(browser)
    login(page, server.url, "joko")
    answer = page.goto(f"{server.url}/admin/")
    assert answer is not None and answer.status == 403
    assert "Konsol ini untuk admin dan supervisor" in page.inner_text("#refused")
    assert page.locator("#refused a").get_attribute("href") == "/counter/"
    # No menu for a clerk: the card takes the page's width, not the empty menu column, and holds its button.
    card, button = page.locator("#refused").bounding_box(), page.locator("#refused a").bounding_box()
    assert card is not None and button is not None and card["width"] > 400
    assert button["x"] + button["width"] <= card["x"] + card["width"]
    page.context.close()


def test_the_search_box_keeps_only_matching_rows(admin: Page, server: ServerProcess) -> None:
    admin.goto(f"{server.url}/admin/services")
    admin.fill("#search", "paspor")
    visible = admin.eval_on_selector_all("#table-services tbody tr:not([hidden])",
                                         "rows => rows.map(r => r.dataset.key)")
    assert visible == ["PASPOR"]


def test_the_console_switches_to_english_and_fits_a_tablet(browser: Browser, server: ServerProcess) -> None:
    page = new_page(browser, TABLET)
    login(page, server.url, "admin", server.admin_password())
    page.goto(f"{server.url}/admin/services?lang=en")
    assert page.inner_text("h1") == "Services" and page.inner_text("#logout") == "Log out"
    page.goto(f"{server.url}/admin/counters")  # the choice is remembered
    assert page.inner_text("h1") == "Counters"
    for path in ("", "services", "services/KTP/edit", "users", "audit"):
        page.goto(f"{server.url}/admin/{path}")
        assert no_horizontal_overflow(page), path
    page.context.close()


def test_signing_out_ends_the_console_session(browser: Browser, server: ServerProcess) -> None:
    page = new_page(browser)
    login(page, server.url, "admin", server.admin_password())
    page.click("#logout")
    page.wait_for_selector("#notice")
    page.goto(f"{server.url}/admin/users")
    assert page.url.startswith(f"{server.url}/admin/login")
    page.context.close()


def test_booking_sessions_a_break_and_the_ticker_are_changed_from_the_console(admin: Page,
                                                                              server: ServerProcess) -> None:
    base = server.url
    root = Api(base).login("admin", server.admin_password())
    admin.goto(f"{base}/admin/sessions/service:PASPOR/edit")
    admin.fill("#f-sessions", "Pagi, 08:00, 10:00, 12\nSiang, 10:00, 12:00")
    admin.click("#save")
    assert field_error(admin, "sessions")  # a line without its quota is told next to the box
    admin.fill("#f-sessions", "Pagi, 08:00, 10:00, 12\nSiang, 10:00, 12:00, 8")
    admin.click("#save")
    admin.wait_for_selector("#table-sessions")
    sessions = root.get("/booking-sessions/service:PASPOR").json()
    assert [s["quota"] for s in sessions["sessions"]] == [12, 8]

    admin.goto(f"{base}/admin/breaks/new")
    fill(admin, {"name": "Istirahat siang", "start": "12:00", "end": "13:00"})
    admin.click("#save")
    admin.click('#table-breaks tr[data-key="Istirahat siang"] a.edit')
    admin.fill("#f-end", "13:15")
    admin.click("#save")
    admin.wait_for_selector("#table-breaks")
    assert "12.00–13.15" in admin.inner_text('#table-breaks tr[data-key="Istirahat siang"]')

    admin.goto(f"{base}/admin/ticker")
    admin.fill("#f-ticker", "Hari ini layanan KTP buka sampai pukul 15.00.")
    admin.click("#save")
    admin.wait_for_selector(".flash.ok")
    assert root.get("/display/ticker").json()["ticker"] == "Hari ini layanan KTP buka sampai pukul 15.00."


def test_a_lokets_working_hours_are_set_from_the_console_and_checked(admin: Page, server: ServerProcess) -> None:
    """The hours the call projection plans a loket by (issue 15) are edited where the loket is; a span that ends
    before it starts is told next to the box and changes nothing."""
    base = server.url
    root = Api(base).login("admin", server.admin_password())
    admin.goto(f"{base}/admin/counters/L02/edit")
    before = site_version(server)
    admin.fill("#f-hours", "12:00-08:00")
    with admin.expect_response(lambda r: r.request.method == "POST") as answer:
        admin.click("#save")
    assert answer.value.status == 422
    assert "berurutan" in field_error(admin, "hours")
    assert site_version(server) == before
    admin.fill("#f-hours", "08:00-12:00\n13.00–16.00")  # the dotted Indonesian form and an en dash are accepted
    admin.click("#save")
    admin.wait_for_selector("#table-counters")
    assert root.get("/site/counters/L02").json()["hours"] == [["08:00", "12:00"], ["13:00", "16:00"]]
    assert "08.00–12.00, 13.00–16.00" in admin.inner_text('#table-counters tr[data-key="L02"]')
    admin.goto(f"{base}/admin/counters/L02/edit")
    assert admin.input_value("#f-hours") == "08:00-12:00\n13:00-16:00"
    admin.fill("#f-hours", "")  # empty: no hours, the loket works whenever its clerk opens it
    admin.click("#save")
    admin.wait_for_selector("#table-counters")
    assert "hours" not in root.get("/site/counters/L02").json()
