"""Unit tests of the ticket model and its ASCII-safe wording."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardware.printing.fake import example_ticket
from hardware.printing.ticket import format_issued_at, format_wait, ticket_from_api, to_ascii

WITA = ZoneInfo("Asia/Makassar")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Kecamatan Sungai Kunjang – Loket 3", "Kecamatan Sungai Kunjang - Loket 3"),
        ("Paspor — Imigrasi", "Paspor - Imigrasi"),
        ("• KTP · KK", "- KTP - KK"),
        ("Café Señor Ünal", "Cafe Senor Unal"),
        ("‘SIM’ “A”", "'SIM' \"A\""),
        ("Layanan…", "Layanan..."),
        ("日本 Pajak", "Pajak"),
        ("Nama\x1b@\x1dV\x00 Jahat", "Nama@V Jahat"),
        ("  Dua\n baris\t ", "Dua baris"),
    ],
)
def test_to_ascii_keeps_the_meaning_and_drops_what_a_printer_cannot_print(raw, expected):
    assert to_ascii(raw) == expected


@given(st.text())
def test_to_ascii_always_returns_printable_ascii(raw):
    result = to_ascii(raw)
    assert all(" " <= ch <= "~" for ch in result)


def test_issued_at_is_printed_in_the_site_zone_with_its_abbreviation():
    utc_time = datetime(2026, 11, 28, 0, 15, tzinfo=UTC)
    assert format_issued_at(example_ticket(issued_at=utc_time)) == "28/11/2026 08:15 WITA"


def test_a_zone_without_an_abbreviation_prints_its_utc_offset():
    fixed = timezone(timedelta(hours=8))
    ticket = example_ticket(tz=fixed)
    assert format_issued_at(ticket) == "16/12/2026 09:30 UTC+08:00"


@pytest.mark.parametrize(
    ("minutes", "words"), [(0, "segera"), (7, "7 menit"), (60, "1 jam"), (80, "1 jam 20 menit")]
)
def test_wait_is_written_in_hours_and_minutes(minutes, words):
    assert format_wait(minutes) == words


def test_a_naive_issue_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        example_ticket(issued_at=datetime(2026, 11, 28, 8, 15))


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        example_ticket(people_ahead=-1)


def test_a_ticket_from_the_rest_api_keeps_number_counts_time_and_priority_label():
    data = {
        "id": 7, "number": "B014", "service": "KK", "status": "waiting", "priority": "ibu_hamil",
        "priority_label": "Label dari server", "ahead": 3, "eta_minutes": 24,
        "issued_at": "2026-11-28T09:05:00+08:00", "token": "tok", "status_url": "http://127.0.0.1:5000/t/tok",
    }
    ticket = ticket_from_api(
        data, site_name="MPP", agency_name="Disdukcapil", service_name="Kartu Keluarga", tz=WITA, reprint=True
    )
    assert (ticket.number, ticket.people_ahead, ticket.wait_minutes) == ("B014", 3, 24)
    assert ticket.priority == "Label dari server"  # the server's words, not a table of the printer's own
    assert ticket.reprint is True
    assert format_issued_at(ticket) == "28/11/2026 09:05 WITA"


def test_a_ticket_without_a_priority_label_prints_its_priority_code():
    data = {"number": "B015", "priority": "ibu_hamil", "issued_at": "2026-11-28T09:05:00+08:00"}
    ticket = ticket_from_api(data, site_name="MPP", agency_name="Disdukcapil", service_name="KK", tz=WITA)
    assert ticket.priority == "ibu hamil"
    assert ticket_from_api(data | {"priority": None}, site_name="MPP", agency_name="Disdukcapil",
                           service_name="KK", tz=WITA).priority is None
