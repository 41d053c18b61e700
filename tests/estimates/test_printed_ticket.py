"""The kiosk's printed ticket and its screen follow the API's `no_counter_open`: no "0 menit" promise."""

from zoneinfo import ZoneInfo

from hardware.printing.layout import paper_for, ticket_blocks
from hardware.printing.ticket import ticket_from_api
from kiosk.i18n import wait_text

WITA = ZoneInfo("Asia/Makassar")
DATA = {"number": "A001", "ahead": 0, "eta_minutes": None, "eta_seconds": None, "no_counter_open": True,
        "issued_at": "2026-12-02T09:05:00+08:00", "status_url": "http://127.0.0.1:5000/t/tok"}


def _text(data):
    ticket = ticket_from_api(data, site_name="MPP", agency_name="Disdukcapil", service_name="KTP Elektronik", tz=WITA)
    return "\n".join(getattr(b, "text", "") for b in ticket_blocks(ticket, paper_for("TM-T20II")))


def test_a_ticket_without_an_open_loket_prints_why_there_is_no_estimate():
    text = _text(DATA)
    assert "Perkiraan tunggu: setelah loket dibuka" in text
    assert "Belum ada loket yang melayani KTP Elektronik" in text and "segera" not in text
    usual = _text(DATA | {"eta_minutes": 12, "eta_seconds": 700, "no_counter_open": False})
    assert "Perkiraan tunggu: 12 menit" in usual and "Belum ada loket" not in usual


def test_the_kiosk_screen_says_it_too():
    assert wait_text("id", None, True) == "setelah loket dibuka"
    assert wait_text("id", None) == "segera" and wait_text("en", 25) != wait_text("en", 25, True)
