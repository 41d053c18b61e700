"""Issue 17's headers and CSRF findings against a real server subprocess: CSP (self only), frame-ancestors 'none',
nosniff and Referrer-Policy on every page and API answer; `no-store` on the booking confirmation, the manage page
and the status page; a booking cancel without the form's CSRF token is refused and changes nothing; cookies set
over HTTPS are Secure."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests

from server.app import create_app
from server.config import config_from_dict
from support import Api, ServerProcess, site_config

NIK = "6472051203900001"


def booking_site(raw):
    raw["booking"].update(rate_limit="", places={}, services={},
                          sessions=[{"name": "Hari", "start": "00:00", "end": "24:00", "quota": 5}])
    return raw


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    proc = ServerProcess(tmp_path_factory.mktemp("headers"), booking_site(site_config())).start()
    proc.kiosk = proc.add_device("kiosk-1", "kiosk")
    yield proc
    proc.stop()


def today() -> str:
    return datetime.now(ZoneInfo("Asia/Makassar")).date().isoformat()


def csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def book(server, nik: str = NIK) -> tuple[requests.Session, requests.Response]:
    """A citizen books through the pages: form (with its token) → 303 → the confirmation page."""
    s = requests.Session()
    form = s.get(f"{server.url}/booking/service/KTP/{today()}", timeout=10)
    r = s.post(f"{server.url}/booking/service/KTP/{today()}", timeout=10, data={
        "csrf_token": csrf(form.text), "session": "hari", "name": "Budi Santoso", "nik": nik,
        "phone": "081234567890", "consent": "yes"})
    assert r.status_code == 200 and r.url.endswith("/booking/confirmation"), (r.status_code, r.url)
    return s, r


def assert_hardened(r: requests.Response, html: bool) -> None:
    csp = r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "*" not in csp
    assert ("script-src 'self'" in csp) if html else ("default-src 'none'" in csp)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/", "/booking", "/booking/manage", "/booking/service/KTP/2030-01-01",
                                  "/counter/login", "/admin/login", "/t/unknown-token"])
def test_every_page_has_the_csp_and_friends(server, path):
    r = requests.get(server.url + path, timeout=10)
    assert r.status_code in (200, 404, 422)  # 422: a date outside the window, a page all the same
    assert_hardened(r, html=True)
    assert not re.search(r"<script>(?!\s*</script>)|<style|\sstyle=\"|\son(click|submit|load|change)=", r.text), \
        "an inline script or style the CSP would block"


@pytest.mark.parametrize("path", ["/api/v1/services", "/api/v1/openapi.json", "/api/v1/nothing-here"])
def test_every_api_answer_has_them_too_and_is_not_stored(server, path):
    r = requests.get(server.url + path, timeout=10)
    assert_hardened(r, html=False)
    assert r.headers["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(server):
    r = requests.get(f"{server.url}/static/booking/booking.css", timeout=10)
    assert r.status_code == 200 and "no-store" not in r.headers.get("Cache-Control", "")


def test_the_confirmation_manage_and_status_pages_are_not_stored(server):
    s, confirmation = book(server)
    assert confirmation.headers["Cache-Control"] == "no-store" and "Budi Santoso" in confirmation.text
    assert_hardened(confirmation, html=True)
    manage = s.get(f"{server.url}/booking/manage/view", timeout=10)
    assert manage.status_code == 200 and manage.headers["Cache-Control"] == "no-store"
    ticket = Api(server.url, server.kiosk).post("/tickets", {"service": "KK"}).json()
    status = requests.get(ticket["status_url"], timeout=10)
    assert status.status_code == 200 and status.headers["Cache-Control"] == "no-store"
    assert_hardened(status, html=True)


def test_a_booking_cancel_without_the_csrf_token_is_refused_and_changes_nothing(server):
    s, _ = book(server, nik="6472051203900002")
    view = s.get(f"{server.url}/booking/manage/view", timeout=10)
    forged = s.post(f"{server.url}/booking/manage/cancel", timeout=10, allow_redirects=False)
    assert forged.status_code == 400 and "Formulir kedaluwarsa" in forged.text
    wrong = s.post(f"{server.url}/booking/manage/cancel", data={"csrf_token": "x" + csrf(view.text)}, timeout=10,
                   allow_redirects=False)
    assert wrong.status_code == 400
    still = s.get(f"{server.url}/booking/manage/view", timeout=10)
    assert "Booking dibatalkan" not in still.text
    done = s.post(f"{server.url}/booking/manage/cancel", data={"csrf_token": csrf(view.text)}, timeout=10)
    assert done.status_code == 200 and "Booking dibatalkan" in done.text


def test_the_booking_form_and_find_form_need_the_token_too(server):
    plain = requests.post(f"{server.url}/booking/service/KTP/{today()}", timeout=10, data={
        "session": "hari", "name": "Budi", "nik": "6472051203900003", "consent": "yes"})
    assert plain.status_code == 400
    found = requests.post(f"{server.url}/booking/manage", data={"code": "ABCDEF", "last4": "0001"}, timeout=10)
    assert found.status_code == 400


def test_cookies_set_over_https_are_secure(tmp_path):
    raw = booking_site(site_config())
    raw["server"]["async_mode"] = "threading"
    raw["storage"]["url"] = f"sqlite:///{tmp_path / 'antre.db'}"
    app, _ = create_app(config_from_dict(raw))
    secure = app.test_client().get(f"/booking/service/KTP/{today()}", base_url="https://antre.example")
    cookies = secure.headers.getlist("Set-Cookie")
    assert cookies and all("; Secure" in c for c in cookies)
    plain = app.test_client().get(f"/booking/service/KTP/{today()}")
    assert plain.headers.getlist("Set-Cookie") and not any("Secure" in c for c in plain.headers.getlist("Set-Cookie"))
    proxied = app.test_client().get(f"/booking/service/KTP/{today()}", headers={"X-Forwarded-Proto": "https"})
    assert not any("Secure" in c for c in proxied.headers.getlist("Set-Cookie"))  # no [server] proxies: not believed
