"""The report figures as pure functions: percentiles, the hand-built day, WITA hour buckets across midnight, closed
days (issue 13)."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
from day_kit import CLERK_ROW, DAYS, EXPECTED, HEAT, THU, WED, records  # noqa: E402

from server.config import config_from_dict  # noqa: E402
from server.domain.report_figures import Durations, percentile, site_days, summarize  # noqa: E402
from server.domain.report_period import BadQuery, check_range, period_bounds, period_label  # noqa: E402
from server.domain.site import WEEKDAYS  # noqa: E402
from support import site_config  # noqa: E402

WITA = 8 * 3600


@pytest.fixture(scope="module")
def site():  # type: ignore[no-untyped-def]
    return config_from_dict(site_config()).site


def test_percentiles_interpolate_between_closest_ranks_like_excel_percentile_inc() -> None:
    assert percentile([10], 0.9) == 10
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([0, 100], 0.9) == 90
    assert percentile(list(range(1, 11)), 0.9) == pytest.approx(9.1)
    assert percentile([], 0.5) is None
    assert Durations.of([]) == Durations(0, None, None, None)
    assert Durations.of([5, 1, 3]) == Durations(3, 3.0, 3.0, 4.6)


def test_the_hand_built_day_gives_the_figures_worked_out_by_hand(site) -> None:  # type: ignore[no-untyped-def]
    summary = summarize(records(), site=site, start=WED, end=THU, services=site.services, offset_s=WITA).to_dict()
    for key, value in EXPECTED.items():
        assert summary[key] == value, key
    assert [c | {} for c in summary["clerks"]] == [CLERK_ROW]
    assert {d["date"]: (d["issued"], d["served"]) for d in summary["days"]} == DAYS


def test_a_ticket_at_23_30_wita_is_that_wednesday_hour_23_and_00_10_is_thursday_hour_0(site) -> None:  # type: ignore[no-untyped-def]
    summary = summarize(records(), site=site, start=WED, end=THU, services=site.services, offset_s=WITA).to_dict()
    heat = summary["arrivals_by_hour"]
    found = {(day, hour): n for day in WEEKDAYS for hour, n in enumerate(heat[day]) if n}
    assert found == HEAT


def test_one_day_periods_only_count_their_own_wita_day(site) -> None:  # type: ignore[no-untyped-def]
    thursday = summarize(records(), site=site, start=THU, end=THU, services=site.services, offset_s=WITA)
    assert thursday.counts.issued == 1 and thursday.wait.mean_s == 600


def test_holidays_and_days_no_service_opens_are_closed_not_zero() -> None:
    raw = site_config()
    for s in raw["service"]:
        s["days"] = ["mon", "tue", "wed", "thu", "fri"]
    raw["holiday"] = [{"date": "2026-12-25", "name": "Kelahiran Yesus Kristus (Natal)"}]
    site = config_from_dict(raw).site
    days = site_days(site, site.services, date(2026, 12, 24), date(2026, 12, 28), {date(2026, 12, 24): (4, 3)})
    assert [(d.day.day, d.closed, d.note, d.issued) for d in days] == [
        (24, False, "", 4), (25, True, "Kelahiran Yesus Kristus (Natal)", 0), (26, True, "", 0),
        (27, True, "", 0), (28, False, "", 0)]
    later = site_days(site, site.services, date(2026, 12, 28), date(2026, 12, 30), {}, today=date(2026, 12, 29))
    assert [d.future for d in later] == [False, False, True]  # not yet: neither zero nor closed


def test_periods_are_whole_weeks_months_and_years_and_bad_ranges_are_refused() -> None:
    assert period_bounds("week", date(2026, 12, 3)) == (date(2026, 11, 30), date(2026, 12, 6))
    assert period_bounds("month", date(2026, 2, 10)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert period_bounds("year", date(2026, 6, 1)) == (date(2026, 1, 1), date(2026, 12, 31))
    assert period_label(date(2026, 12, 1), date(2026, 12, 31)) == "Desember 2026"
    assert period_label(date(2026, 1, 1), date(2026, 12, 31)) == "2026"
    with pytest.raises(BadQuery) as bad:
        check_range(date(2026, 12, 2), date(2026, 12, 1))
    assert bad.value.code == "bad_period"
    with pytest.raises(BadQuery) as long:
        check_range(date(2025, 1, 1), date(2026, 12, 31))
    assert long.value.code == "period_too_long"


@given(st.lists(st.integers(min_value=0, max_value=20_000), max_size=60))
def test_figures_from_a_histogram_equal_figures_from_every_value(values: list[int]) -> None:
    assert Durations.of_counts(Counter(values).items()) == Durations.of(values)
