"""Pure booking rules (window, closed days, breaks, check-in window, expiry, which walk-in rules a booked visit
skips) and the `[booking]` config parser."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from server.config import ConfigError, config_from_dict
from server.domain.booking import (
    BookingRules,
    Session,
    booking_days,
    check_bookable,
    check_checkin_time,
    checkin_window,
    expiry_time,
    sessions_on,
)
from server.domain.errors import DomainError
from server.domain.hours import BOOKED_VISIT, WALK_IN, availability
from support import site_config

WITA = ZoneInfo("Asia/Makassar")
PAGI = Session("pagi", "Pagi", time(8), time(10), 20)
RULES = BookingRules(window_days=14, checkin_before_minutes=60, checkin_grace_minutes=30)
MONDAY = date(2026, 11, 30)


def site_with(**service_changes):
    raw = site_config()
    raw["service"][3].update(service_changes)  # KTP
    raw["holiday"] = [{"date": "2026-12-25", "name": "Natal"}]
    raw["break"] = [{"days": ["fri"], "start": "11:30", "end": "13:00", "name": "Istirahat salat Jumat"}]
    return config_from_dict(raw).site


def at(day, hh, mm=0):
    return datetime.combine(day, time(hh, mm), tzinfo=WITA)


def refused(fn, *args):
    with pytest.raises(DomainError) as err:
        fn(*args)
    return err.value.code


def test_the_window_runs_from_today_and_marks_holidays_and_closed_weekdays():
    site = site_with(days=["mon", "tue", "wed", "thu", "fri"])
    days = booking_days(site, site.services["KTP"], date(2026, 12, 21), RULES)
    assert days[0].day == date(2026, 12, 21) and days[-1].day == date(2027, 1, 4) and len(days) == 15
    closed = {d.day: d.reason for d in days if not d.open}
    assert closed[date(2026, 12, 25)].startswith("Hari libur: Natal")
    assert closed[date(2026, 12, 26)] == "Layanan tutup pada hari ini"  # Saturday
    assert date(2026, 12, 24) not in closed


def test_booking_is_refused_outside_the_window_on_closed_days_and_after_the_session():
    site = site_with(days=["mon", "tue", "wed", "thu", "fri"])
    ktp, now = site.services["KTP"], at(MONDAY, 9)
    assert refused(check_bookable, site, ktp, PAGI, date(2026, 11, 29), now, RULES) == "date_outside_window"
    assert refused(check_bookable, site, ktp, PAGI, date(2026, 12, 15), now, RULES) == "date_outside_window"
    assert refused(check_bookable, site, ktp, PAGI, date(2026, 12, 5), now, RULES) == "date_closed"
    assert refused(check_bookable, site, ktp, PAGI, MONDAY, at(MONDAY, 10), RULES) == "session_over"
    check_bookable(site, ktp, PAGI, MONDAY, at(MONDAY, 9, 59), RULES)
    check_bookable(site, ktp, PAGI, date(2026, 12, 14), now, RULES)  # the last day of the window


def test_a_session_wholly_inside_the_friday_prayer_break_is_not_held_that_day():
    site = site_with()
    prayer = Session("jumat", "Jumat", time(11, 45), time(12, 45), 5)
    sessions = (PAGI, prayer)
    assert sessions_on(site, sessions, date(2026, 12, 4)) == [PAGI]            # Friday
    assert sessions_on(site, sessions, date(2026, 12, 3)) == [PAGI, prayer]    # Thursday


def test_check_in_opens_before_the_session_and_closes_after_it_plus_grace():
    opens, closes = checkin_window(PAGI, MONDAY, WITA, RULES)
    assert (opens, closes) == (at(MONDAY, 7), at(MONDAY, 10, 30))
    assert expiry_time(PAGI, MONDAY, WITA, RULES) == closes
    assert refused(check_checkin_time, PAGI, MONDAY, at(MONDAY, 6, 59), RULES) == "checkin_too_early"
    check_checkin_time(PAGI, MONDAY, at(MONDAY, 7), RULES)
    check_checkin_time(PAGI, MONDAY, at(MONDAY, 10, 29), RULES)
    assert refused(check_checkin_time, PAGI, MONDAY, at(MONDAY, 10, 30), RULES) == "checkin_too_late"
    assert refused(check_checkin_time, PAGI, MONDAY, at(date(2026, 11, 29), 9), RULES) == "checkin_too_early"


def test_the_message_outside_the_window_says_when_lapor_hadir_opens():
    with pytest.raises(DomainError) as err:
        check_checkin_time(PAGI, MONDAY, at(MONDAY, 6), RULES)
    assert "07.00" in err.value.message and "Pagi" in err.value.message


@pytest.mark.parametrize("moment, issued, walk_in", [
    (at(MONDAY, 7, 30), 0, "service_closed"),                   # before opening
    (at(MONDAY, 14, 45), 0, "service_closed"),                  # after the cutoff
    (at(date(2026, 12, 25), 9), 0, "service_closed"),            # a holiday
    (at(date(2026, 12, 4), 12), 0, "service_break"),             # Friday prayer break
    (at(MONDAY, 9), 5, "quota_exhausted"),                       # the daily quota is used up
])
def test_a_booked_visit_is_admitted_where_a_walk_in_is_refused(moment, issued, walk_in):
    site = site_with(open="08:00", close="15:00", cutoff_minutes=30, daily_quota=5)
    ktp = site.services["KTP"]
    assert availability(site, ktp, moment, issued, WALK_IN).code == walk_in
    assert availability(site, ktp, moment, issued, BOOKED_VISIT).open


def test_a_session_ending_at_midnight_is_understood():
    late = Session("malam", "Malam", time(20), None, 5)
    assert late.ends(MONDAY, WITA) == at(date(2026, 12, 1), 0) and late.hours == "20.00-24.00"


def test_the_sample_config_has_the_mpp_and_three_kelurahan_with_their_services():
    config = config_from_dict(site_config())
    cfg, site = config.booking, config.site
    kelurahan = [p for p in cfg.places if p.kind == "kelurahan"]
    assert cfg.places[0].code == "MPP" and len(kelurahan) >= 3
    for place in kelurahan:
        names = " ".join(s.name for s in cfg.services_at(site, place))
        for word in ("Pengantar", "Domisili", "SKTM", "Usaha", "Nikah", "Kematian", "Legalisasi"):
            assert word in names, (place.code, word)
        assert all(s.requirements for s in cfg.services_at(site, place))
    assert not cfg.bookable("PENGADUAN") and cfg.bookable("KTP")
    assert [s.quota for s in cfg.sessions["PASPOR"]] == [10, 10]
    assert [s.code for s in cfg.sessions["SDD-NIKAH"]] == ["pagi", "siang", "sore"]


@pytest.mark.parametrize("booking, message", [
    ({"window_days": -1}, "'window_days' must be a whole number"),
    ({"rate_limit": "lots"}, "bad rate_limit"),
    ({"sessions": []}, "'sessions' must be a non-empty list"),
    ({"sessions": [{"name": "Pagi", "start": "10:00", "end": "09:00", "quota": 5}]}, "must end after it starts"),
    ({"sessions": [{"name": "Pagi", "start": "8:00", "end": "09:00", "quota": 5}]}, "bad time"),
    ({"sessions": [{"name": "Pagi", "start": "08:00", "end": "09:00", "quota": 0}]}, "'quota' must be"),
    ({"sessions": [{"name": "Pagi", "start": "08:00", "end": "09:00", "quota": 5}] * 2}, "share the code"),
    ({"services": {"NOPE": {"enabled": False}}}, "unknown service 'NOPE'"),
    ({"places": {"kecamatan": {"sessions": []}}}, "no place or place kind"),
    ({"checkin": {"grace_minutes": "30"}}, "'grace_minutes' must be a whole number"),
])
def test_a_bad_booking_config_is_one_clear_line(booking, message):
    raw = site_config()
    raw["booking"].update(booking)
    with pytest.raises(ConfigError) as err:
        config_from_dict(raw)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_sessions_must_lie_inside_the_service_hours():
    raw = site_config()
    raw["service"][3].update(open="08:00", close="09:30")
    with pytest.raises(ConfigError) as err:
        config_from_dict(raw)
    assert "outside the hours of service KTP" in str(err.value)
