"""When a closed service opens next: later today, after a break, the next working day, past a holiday."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from server.domain.hours import next_opening
from server.domain.site import Break, QueueRules, Service, Site

WITA = ZoneInfo("Asia/Makassar")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
KTP = Service("KTP", "DUKCAPIL", "KTP", "A", time(8), time(15), WEEKDAYS)
NIGHT = Service("NIGHT", "DUKCAPIL", "Malam", "N", time(18), None, ("sat",))
SITE = Site("MPP", WITA, {}, {"KTP": KTP, "NIGHT": NIGHT}, {}, QueueRules(ticket_cutoff_minutes=30),
            breaks=(Break(("fri",), time(11, 30), time(13), "Istirahat salat Jumat"),),
            holidays={date(2026, 12, 25): "Natal"})


def at(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=WITA)


@pytest.mark.parametrize("moment, opens", [
    (at(2026, 11, 30, 5, 15), at(2026, 11, 30, 8)),     # Monday before dawn: later today
    (at(2026, 11, 30, 7, 59), at(2026, 11, 30, 8)),     # a minute before opening
    (at(2026, 11, 30, 14, 30), at(2026, 12, 1, 8)),     # Monday after the cutoff: Tuesday morning
    (at(2026, 12, 4, 12, 0), at(2026, 12, 4, 13)),      # Friday prayer: after the break
    (at(2026, 12, 4, 16, 0), at(2026, 12, 7, 8)),       # Friday evening: Monday
    (at(2026, 11, 28, 10, 0), at(2026, 11, 30, 8)),     # Saturday: Monday
    (at(2026, 12, 24, 15, 0), at(2026, 12, 28, 8)),     # Christmas Eve evening: past Christmas and the weekend
])
def test_a_closed_service_opens_at_its_next_opening_time(moment, opens):
    assert next_opening(SITE, KTP, moment) == opens


def test_an_open_service_has_no_next_opening():
    assert next_opening(SITE, KTP, at(2026, 11, 30, 9)) is None


def test_a_service_open_until_midnight_opens_on_its_next_day():
    assert next_opening(SITE, NIGHT, at(2026, 11, 30, 9)) == at(2026, 12, 5, 18)


def test_a_service_closed_for_longer_than_the_horizon_has_no_next_opening():
    closed = Service("X", "DUKCAPIL", "Tutup", "X", time(8), time(15), ())
    assert next_opening(SITE, closed, at(2026, 11, 30, 9)) is None


def test_the_next_opening_keeps_the_site_time_zone():
    assert next_opening(SITE, KTP, at(2026, 11, 30, 5)).isoformat(timespec="minutes") == "2026-11-30T08:00+08:00"
