"""End to end in headless Chromium against a real server: the booking flow (place → service → date → session and
applicant → confirmation with QR), find / reschedule / cancel, and the live ticket status page following a clerk's
calls. The sample site on the screenshot day (site_day); booking-* and status-1..5 screenshots. (A clerk's Lapor
Hadir is the counter terminal's: tests/counter.)"""

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from browser_kit import chromium, new_page
from browser_kit import shot as save_shot
from playwright.sync_api import expect
from site_day import SHOT_DAY, faketime_env, sample_config

from support import Api, ServerProcess

pytestmark = pytest.mark.screenshots
NIK = "6472055203900002"
WAIT_MS = 10_000
HOLIDAY = SHOT_DAY.replace(day=24)  # the sample's "Cuti bersama Natal", inside the 14-day window


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    server = ServerProcess(tmp_path_factory.mktemp("booking-e2e"), sample_config(), env=faketime_env())
    with chromium() as browser, ThreadPoolExecutor(2) as pool:
        started = pool.submit(server.start)  # the server and the browser start side by side
        try:
            started.result()
            device = pool.submit(server.add_device, "kiosk-sidodadi", "kiosk")
            server.add_clerk("sari", "SDD1")
            yield server, browser, device.result(), SHOT_DAY
        finally:
            server.stop()


@pytest.fixture
def page(env, tmp_path):
    context = env[1].new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, locale="id-ID")
    page = context.new_page()
    page.errors = []
    page.shots = tmp_path
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    assert page.errors == []
    context.close()


def shot(page, name):
    save_shot(page, f"{name}.png", page.shots, full_page=True)


def book_by_api(server, today, nik, service="SDD-DOMISILI", name="Rahmat Hidayat"):
    r = Api(server.url).post("/bookings", {"service": service, "date": today.isoformat(), "session": "siang",
                                           "name": name, "nik": nik, "phone": "0812 5555 1234", "consent": True})
    assert r.status_code == 201, r.text
    return r.json()["code"]


def test_a_citizen_books_a_kelurahan_appointment_and_gets_a_code_and_qr(env, page):
    server, _, _, today = env
    page.goto(f"{server.url}/booking")
    expect(page.locator("h1")).to_have_text("Pilih tempat layanan")
    shot(page, "booking-1-places")
    page.get_by_text("Kelurahan Sidodadi", exact=True).click()
    expect(page.locator("h1")).to_have_text("Pilih layanan")
    shot(page, "booking-2-services")
    expect(page.locator("header .site")).to_have_text("Kelurahan Sidodadi")  # the place booked, not the MPP
    expect(page.locator("footer")).to_contain_text("Kelurahan Sidodadi")
    expect(page.locator("footer")).not_to_contain_text("Mal Pelayanan Publik")
    page.locator(".card", has_text="Surat Keterangan Domisili").get_by_role("link", name="Pilih").click()
    expect(page.get_by_text("Surat pengantar RT/RW")).to_be_visible()
    assert page.locator(".day.off").count() >= 6  # two weekends and two holidays
    expect(page.locator(f'.day.off[data-date="{HOLIDAY.isoformat()}"]')).to_contain_text("Cuti bersama Natal")
    shot(page, "booking-3-dates")
    page.locator(f'a.day[data-date="{today.isoformat()}"]').click()
    expect(page.locator("h2").first).to_have_text("Pilih sesi")
    expect(page.locator(".slot").first).to_contain_text("08.00\u201310.00")  # the sample's kelurahan sessions
    assert "hash" not in page.locator("form").inner_text()
    shot(page, "booking-4-form")

    page.fill("#name", "Siti Aminah")
    page.get_by_role("button", name="Pesan Antrean").click()  # no session chosen
    expect(page.locator("#session-error")).to_have_text("Pilih sesi terlebih dahulu.")
    assert page.input_value("#name") == "Siti Aminah" and page.locator("#form-error").count() == 0

    page.locator("input[name=session]:not([disabled])").first.check()
    page.fill("#nik", "6472 0552 0390")  # too short: the server refuses, the NIK must be typed again
    expect(page.locator("#nik-warn")).to_contain_text("16 angka")
    page.fill("#phone", "0812-3456-7890")
    page.check("input[name=consent]")
    page.get_by_role("button", name="Pesan Antrean").click()
    expect(page.locator("#form-error")).to_contain_text("NIK harus tepat 16 angka")
    assert page.input_value("#name") == "Siti Aminah" and page.input_value("#nik") == ""
    shot(page, "booking-4b-form-error")

    page.fill("#nik", NIK)
    page.check("input[name=consent]")
    page.get_by_role("button", name="Pesan Antrean").click()
    expect(page.locator(".alert.ok")).to_contain_text("Booking berhasil")
    code = page.locator("#booking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{6}", code)
    assert page.locator(".qr svg path").count() == 1
    content = page.content()
    assert "6472********0002" in content and NIK not in content and NIK not in page.url
    expect(page.locator("header .site")).to_have_text("Kelurahan Sidodadi")
    expect(page.locator("#place-address")).to_have_text("Kec. Samarinda Ulu, Kota Samarinda")
    expect(page.locator("#place-hours")).to_contain_text("08.00\u201316.00")
    expect(page.locator("footer")).to_contain_text("Kelurahan Sidodadi")
    shot(page, "booking-5-confirmation")
    looked_up = Api(server.url).post("/bookings/lookup", {"code": code, "nik_last4": "0002"}).json()
    assert looked_up["service"] == "SDD-DOMISILI" and looked_up["phone_masked"] == "+62812*****890"


def test_a_citizen_finds_reschedules_and_cancels_a_booking_with_code_and_last_four_digits(env, page):
    server, _, _, today = env
    code = book_by_api(server, today, "6472051203900011", service="SDD-SKU")
    page.goto(f"{server.url}/booking/manage")
    page.fill("#code", code.lower())
    page.fill("#last4", "9999")
    page.get_by_role("button", name="Cari booking").click()
    expect(page.locator(".alert.err")).to_contain_text("tidak cocok")
    page.fill("#last4", "0011")
    page.get_by_role("button", name="Cari booking").click()
    expect(page.locator(".code")).to_have_text(code)
    expect(page.locator(".badge")).to_have_text("terjadwal")
    shot(page, "booking-6-manage")

    page.get_by_role("link", name="Ubah jadwal").click()
    expect(page.locator("a.day.current")).to_have_attribute("data-date", today.isoformat())
    expect(page.locator(".current-booking")).to_contain_text("Jadwal Anda sekarang")
    page.locator("a.day.current").click()
    expect(page.locator(".slot", has=page.locator(".badge.current"))).to_have_count(1)  # the session held now
    page.go_back()
    next_open = page.locator("a.day").nth(1)
    new_day = next_open.get_attribute("data-date")
    next_open.click()
    page.locator("input[name=session]:not([disabled])").first.check()
    page.get_by_role("button", name="Simpan jadwal baru").click()
    expect(page.locator(".alert.ok")).to_contain_text("Jadwal booking sudah diubah")
    shot(page, "booking-7-rescheduled")
    assert Api(server.url).post("/bookings/lookup", {"code": code, "nik_last4": "0011"}).json()["date"] == new_day

    page.locator("summary", has_text="Batalkan booking").click()
    page.get_by_role("button", name="Ya, batalkan booking ini").click()
    expect(page.locator(".alert.ok")).to_contain_text("Booking dibatalkan")
    expect(page.locator(".badge")).to_have_text("dibatalkan")
    shot(page, "booking-8-cancelled")
    slots = Api(server.url).get(f"/booking/slots?service=SDD-SKU&date={new_day}").json()
    assert all(s["remaining"] == s["quota"] for s in slots)


def test_a_date_out_of_the_window_returns_to_the_form_with_what_was_typed_and_the_message(env, page):
    server, _, _, today = env
    page.goto(f"{server.url}/booking/service/SDD-SKU/{today.isoformat()}")
    page.locator("input[name=session]:not([disabled])").first.check()
    page.fill("#name", "Budi Santoso")
    page.fill("#phone", "0812 1111 2222")
    far = (today + timedelta(days=60)).isoformat()  # the window moved on while the form was open
    page.evaluate(f"document.querySelector('form').action = '/booking/service/SDD-SKU/{far}'")
    page.get_by_role("button", name="Pesan Antrean").click()
    expect(page.locator("#day-error")).to_contain_text("Tanggal harus antara")
    assert page.input_value("#name") == "Budi Santoso" and page.input_value("#phone") == "0812 1111 2222"
    page.locator("#day-error").get_by_role("link", name="Pilih tanggal lain").click()
    expect(page.locator("h2")).to_have_text("Pilih tanggal")


def test_an_unknown_service_returns_to_the_first_step_with_the_message(env, page):
    response = page.goto(f"{env[0].url}/booking/service/NO-SUCH/2026-01-01")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Pilih tempat layanan")
    expect(page.locator(".alert.err")).to_contain_text("tidak melayani antrean online")


def test_the_english_pages_translate_sessions_and_priorities_with_one_time_format(env, page):
    server, _, _, today = env
    page.goto(f"{server.url}/booking/service/SDD-SKU/{today.isoformat()}?lang=en")
    expect(page.locator(".slot").first).to_contain_text("Morning")
    expect(page.locator(".slot").first).to_contain_text("08.00\u201310.00")
    assert page.locator("#priority option").all_inner_texts() == ["None", "Elderly", "Disability", "Pregnant",
                                                                   "With a toddler"]
    assert "Pagi" not in page.locator("form").inner_text()


def test_the_booking_pages_switch_to_english(env, page):
    page.goto(f"{env[0].url}/booking?lang=en")
    expect(page.locator("h1")).to_have_text("Choose where to go")
    page.get_by_text("Kelurahan Sempaja Selatan", exact=True).click()
    expect(page.locator("h1")).to_have_text("Choose a service")  # the choice is remembered in a cookie
    page.goto(f"{env[0].url}/booking?lang=en")
    shot(page, "booking-9-places-en")


def test_the_status_page_follows_the_ticket_live_and_alerts_when_it_is_called(env, page):
    server, _, kiosk, today = env
    clerk = Api(server.url).login("sari", "rahasia-123")
    for counter in ("SDD1",):
        clerk.post(f"/counters/{counter}/open")
    while clerk.post("/counters/SDD1/call-next").status_code == 200:  # empty the line left by earlier tests
        clerk.post("/counters/SDD1/skip")
    kiosk_api = Api(server.url, kiosk)
    first = kiosk_api.post("/tickets", {"service": "SDD-LEGALISIR"}).json()
    mine = kiosk_api.post("/tickets", {"service": "SDD-LEGALISIR"}).json()
    page.add_init_script("window.__vibrations = []; navigator.vibrate = function (p) { "
                         "window.__vibrations.push(p); return true; };")
    page.goto(mine["status_url"])
    expect(page.locator("#number")).to_have_text(mine["number"])
    expect(page.locator("#live")).to_have_class(re.compile(r"\bon\b"))
    expect(page.locator("#ahead")).to_have_text("1")
    page.get_by_role("button", name="Aktifkan suara & getar").click()
    shot(page, "status-1-waiting")

    assert clerk.post("/counters/SDD1/call-next").json()["ticket"]["number"] == first["number"]
    expect(page.locator("#ahead")).to_have_text("0", timeout=WAIT_MS)
    clerk.post("/counters/SDD1/skip")
    assert clerk.post("/counters/SDD1/call-next").json()["ticket"]["number"] == mine["number"]
    expect(page.locator("#call")).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("#counter")).to_have_text("Loket 1 Sidodadi")
    expect(page.locator("#state")).to_have_text("dipanggil")
    assert page.evaluate("window.__vibrations.length") >= 2  # the tap on the button, then the call
    shot(page, "status-2-called")

    clerk.post("/counters/SDD1/start")
    clerk.post("/counters/SDD1/finish")
    expect(page.locator("#note-text")).to_have_text("Layanan selesai. Terima kasih.", timeout=WAIT_MS)
    shot(page, "status-3-done")
    assert "Rahmat" not in page.content() and "NIK" not in page.content()


def test_a_visitor_gives_up_a_waiting_ticket_on_the_status_page_after_confirming(env, page):
    server, _, kiosk, _ = env
    mine = Api(server.url, kiosk).post("/tickets", {"service": "SDD-LEGALISIR"}).json()
    page.goto(mine["status_url"])
    expect(page.locator("#live")).to_have_class(re.compile(r"\bon\b"))
    expect(page.locator("header #place")).to_have_text("Kelurahan Sidodadi")
    page.get_by_role("button", name="Batalkan antrean").click()
    expect(page.locator("#cancel-confirm")).to_be_visible()
    page.get_by_role("button", name="Tidak jadi").click()  # changing one's mind keeps the place
    expect(page.locator("#cancel-confirm")).to_be_hidden()
    page.get_by_role("button", name="Batalkan antrean").click()
    shot(page, "status-4-cancel-confirm")
    page.get_by_role("button", name="Ya, batalkan antrean").click()
    expect(page.locator("#state")).to_have_text("dibatalkan", timeout=WAIT_MS)
    expect(page.locator("#note-text")).to_have_text("Nomor antrean ini sudah tidak berlaku.")
    expect(page.locator("#giveup")).to_be_hidden()  # a cancelled ticket cannot be given up again
    shot(page, "status-5-cancelled")
    assert Api(server.url).get(f"/tickets/{mine['token']}").json()["status"] == "cancelled"


def test_a_finished_ticket_offers_no_cancel(env, page):
    server, _, kiosk, _ = env
    clerk = Api(server.url).login("sari", "rahasia-123")
    clerk.post("/counters/SDD1/open")
    while clerk.post("/counters/SDD1/call-next").status_code == 200:
        clerk.post("/counters/SDD1/skip")
    mine = Api(server.url, kiosk).post("/tickets", {"service": "SDD-LEGALISIR"}).json()
    clerk.post("/counters/SDD1/call-next")
    clerk.post("/counters/SDD1/start")
    page.goto(mine["status_url"])
    expect(page.locator("#state")).to_have_text("sedang dilayani")
    expect(page.locator("#giveup")).to_be_hidden()
    clerk.post("/counters/SDD1/finish")


def test_the_front_page_leads_with_the_citizen_and_follows_a_ticket_by_its_printed_number(env, tmp_path):
    server, _, kiosk, _ = env
    mine = Api(server.url, kiosk).post("/tickets", {"service": "KTP"}).json()
    page = new_page(env[1])
    page.goto(f"{server.url}/")
    expect(page.locator("h1")).to_have_text("Mal Pelayanan Publik Kota Samarinda")
    expect(page.locator("p.about")).to_contain_text("11 instansi \u00b7 34 layanan \u00b7 20 loket")  # the sample
    # What a citizen came for, first and large: book, check a booking, follow a ticket; staff links after, small.
    cards = page.locator("section.citizen .card")
    expect(cards).to_have_count(3)
    expect(cards.nth(0)).to_have_attribute("href", "/booking")
    expect(cards.nth(1)).to_have_attribute("href", "/booking/manage")
    expect(cards.nth(2)).to_contain_text("Lacak Nomor Antrean")
    staff = page.locator("nav.staff a")
    expect(staff).to_have_text(["Loket Petugas", "Konsol Admin", "Papan Supervisi", "API"])
    assert page.locator("nav.staff").bounding_box()["y"] > cards.nth(2).bounding_box()["y"]
    assert "python -m" not in page.locator("body").inner_text()
    save_shot(page, "home.png", tmp_path)
    page.locator("#nomor").fill(mine["number"].lower())
    page.get_by_role("button", name="Lacak").click()
    expect(page.locator(".ticket .number")).to_have_text(mine["number"])
    expect(page.locator("#state")).to_contain_text("menunggu")
    assert mine["token"] not in page.content()  # the number alone never hands over the ticket's own page
    save_shot(page, "home-track.png", tmp_path)
    page.locator("#nomor").fill("Z999")
    page.get_by_role("button", name="Lacak").click()
    expect(page.locator("#none")).to_contain_text("Z999")
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_an_unknown_ticket_token_gets_a_clear_page(env, page):
    response = page.goto(f"{env[0].url}/t/no-such-token")
    assert response.status == 404
    expect(page.locator("p").first).to_contain_text("Tiket tidak ditemukan")
