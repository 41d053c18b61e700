"""The counter screen's *Janji Temu Hari Ini* panel in headless Chromium: a kelurahan clerk checks citizens in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from counter_kit import landed, login, new_page, open_counter, page_token, seed_accounts, shot, view
from playwright.sync_api import Browser, Page
from site_day import SHOT_DAY, faketime_env, sample_config

from support import Api, ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.screenshots]



@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    # The sample site on the screenshot day (09.30): the kelurahan's Pagi session (08.00-10.00) is open for Lapor Hadir.
    proc = ServerProcess(tmp_path_factory.mktemp("counter-appts"), sample_config(), env=faketime_env()).start()
    seed_accounts(proc, {"sari": ["SDD1"], "budi": ["L04"]}, "kios-appts")
    yield proc
    proc.stop()




def book(server: ServerProcess, service: str, name: str, nik: str) -> dict[str, Any]:
    r = Api(server.url).post("/bookings", {
        "service": service, "date": SHOT_DAY.isoformat(), "session": "pagi",
        "name": name, "nik": nik, "phone": "0812 5555 1234", "consent": True})
    assert r.status_code == 201, r.text
    return r.json()


def signed_in(browser: Browser, server: ServerProcess, clerk: str, counter: str) -> Page:
    page = new_page(browser)
    login(page, server.url, clerk)
    landed(page)
    open_counter(page, server.url, counter)
    return page


def row(page: Page, code: str) -> str:
    return f"#appts-list li[data-code='{code}']"


def test_the_clerk_checks_citizens_in_by_button_and_by_code_and_sees_the_tickets_in_line(
        browser: Browser, server: ServerProcess, tmp_path: Path) -> None:
    first = book(server, "SDD-DOMISILI", "Rahmat Hidayat", "6472055203900002")
    second = book(server, "SDD-SKU", "Siti Aminah Lestari", "6472054107850003")
    page = signed_in(browser, server, "sari", "SDD1")
    page.wait_for_selector("#appointments:not([hidden])")
    page.wait_for_selector(row(page, second["code"]))
    assert page.text_content("#appts-heading").strip().startswith("Janji Temu Hari Ini")
    assert page.inner_text("#appts-count") == "2"
    text = page.inner_text(row(page, first["code"]))
    assert "Rahmat H." in text and "Hidayat" not in text, "the name is shown shortened"
    assert "terjadwal" in text and ("Pagi" in text or "Sore" in text)
    assert re.search(r"\d\d\.\d\d\u2013\d\d\.\d\d", text), text  # 08.00–10.00, as on the citizen's pages
    assert "6472055203900002" not in page.content()

    # Each waiting row as it is drawn (observer callbacks run once the render's own code is done, before a tick).
    page.evaluate("""() => { window.drawnWaits = []; new MutationObserver((changes) => changes.forEach((c) =>
        c.addedNodes.forEach((li) => window.drawnWaits.push(li.querySelector('.waited').textContent)))
      ).observe(document.getElementById('waiting-list'), {childList: true}); }""")
    page.click(f"{row(page, first['code'])} button.appt-checkin")
    page.wait_for_selector(f"{row(page, first['code'])}[data-status=checked_in]")
    message = page.inner_text("#appts-message")
    assert message.startswith("Lapor hadir berhasil: nomor antrean ")
    number = message.rsplit(" ", 1)[1]
    assert number in page.inner_text(row(page, first["code"]))
    assert "sudah hadir" in page.inner_text(row(page, first["code"]))
    # The new ticket reaches the waiting line through the counter's live updates.
    page.wait_for_selector(f"#waiting-list li[data-number='{number}']")
    assert number in [w["number"] for w in view(page)["waiting"]]
    drawn = page.evaluate("window.drawnWaits")
    assert drawn and all(re.fullmatch(r"\d+ mnt", text) for text in drawn), drawn  # never an empty wait cell
    # A long service name wraps in full (never "Surat Keterangan T…") and its full name is on hover (issue 18: 11).
    svc = page.locator(f"#waiting-list li[data-number='{number}'] .svc")
    assert svc.inner_text() == "Surat Keterangan Domisili" and svc.get_attribute("title") == svc.inner_text()
    assert svc.evaluate("(n) => n.scrollWidth <= n.clientWidth && getComputedStyle(n).textOverflow !== 'ellipsis'")
    shot(page, "appointments", tmp_path)

    page.fill("#appts-code", second["code"].lower())
    page.press("#appts-code", "Enter")
    page.wait_for_selector(f"{row(page, second['code'])}[data-status=checked_in]")
    page.wait_for_function("(n) => { const m = document.getElementById('appts-message').textContent;"
                           " return m.includes('berhasil') && !m.endsWith(n); }", arg=number)
    second_number = page.inner_text("#appts-message").rsplit(" ", 1)[1]
    page.wait_for_selector(f"#waiting-list li[data-number='{second_number}']")
    assert page.input_value("#appts-code") == "", "the box is ready for the next scan"
    assert page.inner_text("#appts-count") == "2"

    # An unknown code: the server's own message, and the typed code stays for correcting.
    expected = Api(server.url, page_token(page)).post("/bookings/ZZZ999/check-in", {}).json()["error"]["message"]
    page.fill("#appts-code", "ZZZ999")
    page.press("#appts-code", "Enter")
    page.wait_for_selector("#appts-message[data-kind=error]")
    assert page.inner_text("#appts-message") == expected
    assert page.input_value("#appts-code") == "ZZZ999"

    page.click("#lang-toggle")
    assert page.text_content("#appts-heading").strip().startswith("Today's appointments")
    assert "checked in" in page.inner_text(row(page, first["code"]))
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_an_mpp_counter_without_appointments_shows_no_panel(browser: Browser, server: ServerProcess) -> None:
    page = signed_in(browser, server, "budi", "L04")
    page.wait_for_function("() => window.antreAppointments && window.antreAppointments.loaded")
    assert page.is_hidden("#appointments")
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()
