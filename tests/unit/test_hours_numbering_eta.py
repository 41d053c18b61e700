"""Opening hours, breaks, holidays, quota, cutoff; number format; estimated waits."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from server.domain.errors import Refused
from server.domain.eta import average_service_minutes, estimate_wait_minutes
from server.domain.hours import availability, require_open
from server.domain.numbering import format_number, valid_prefix
from server.domain.site import Break, QueueRules, Service, Site

WITA = ZoneInfo("Asia/Makassar")
KTP = Service("KTP", "DUKCAPIL", "KTP", "A", time(8), time(15), ("mon", "tue", "wed", "thu", "fri"), daily_quota=3)
SITE = Site("MPP", WITA, {}, {"KTP": KTP}, {}, QueueRules(ticket_cutoff_minutes=30),
            breaks=(Break(("fri",), time(11, 30), time(13), "Istirahat salat Jumat"),),
            holidays={date(2026, 12, 25): "Natal"})


def at(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=WITA)


@pytest.mark.parametrize("moment, code", [
    (at(2026, 11, 30, 7, 59), "service_closed"),    # Monday, before opening
    (at(2026, 11, 30, 8, 0), None),                  # opening minute
    (at(2026, 11, 30, 14, 29), None),                # just before the cutoff
    (at(2026, 11, 30, 14, 30), "service_closed"),    # cutoff: 30 min before 15.00
    (at(2026, 11, 28, 10, 0), "service_closed"),     # Saturday
    (at(2026, 12, 25, 10, 0), "service_closed"),     # Christmas (a Friday)
    (at(2026, 12, 4, 12, 0), "service_break"),       # Friday prayer
    (at(2026, 12, 4, 13, 0), None),                  # break over
])
def test_availability_follows_hours_cutoff_days_holidays_and_breaks(moment, code):
    assert availability(SITE, KTP, moment, issued_today=0).code == code


def test_the_quota_refuses_the_ticket_after_the_last_one():
    monday = at(2026, 11, 30, 9)
    require_open(SITE, KTP, monday, issued_today=2)
    with pytest.raises(Refused) as err:
        require_open(SITE, KTP, monday, issued_today=3)
    assert err.value.code == "quota_exhausted" and "Kuota habis" in err.value.message


def test_messages_say_when_the_service_opens_again():
    state = availability(SITE, KTP, at(2026, 12, 4, 12, 0), 0)
    assert "13.00" in state.message


def test_numbers_have_three_digits_and_stop_at_999():
    assert format_number("A", 7) == "A007" and format_number("AB", 999) == "AB999"
    with pytest.raises(Refused):
        format_number("A", 1000)


@pytest.mark.parametrize("prefix, ok", [("A", True), ("HJ", True), ("I", False), ("O", False), ("a", False),
                                        ("A1", False), ("ABC", False)])
def test_prefixes_never_use_i_or_o(prefix, ok):
    assert valid_prefix(prefix) is ok


def test_eta_uses_the_default_before_any_data_and_divides_by_open_counters():
    assert average_service_minutes([], 8) == 8
    assert average_service_minutes([300, 900], 8) == 10
    assert estimate_wait_minutes(0, 10, 2) == 0
    assert estimate_wait_minutes(5, 10, 2) == 25
    assert estimate_wait_minutes(3, 10, 0) == 30  # no counter open yet: assume one
