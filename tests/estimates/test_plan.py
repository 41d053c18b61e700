"""The staffing planner: Erlang C against known values, and counters per hour from the same weekday's history."""

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.domain.accounts import Principal
from server.domain.errors import Invalid
from server.services import counters, tickets
from server.simulate.erlang import counters_needed, fcfs_waits, mean_wait, wait_probability, wait_quantile
from server.simulate.plan import plan, table
from server.simulate.staffing import draw_days, p90_by_hour, plan_by_simulation, staffed_waits
from support import FakeClock, make_context

WITA = ZoneInfo("Asia/Makassar")
ADMIN = Principal("user", "admin", "admin")


def test_erlang_c_matches_the_textbook():
    assert wait_probability(1, 0.5) == pytest.approx(0.5)  # M/M/1: P(wait) = rho
    assert wait_probability(2, 1.0) == pytest.approx(1 / 3)
    assert mean_wait(1, 0.5, 10) == pytest.approx(10)  # M/M/1: Wq = rho/(1-rho) × S
    assert wait_probability(10, 8.0) == pytest.approx(0.409, abs=0.001)  # a table value
    assert mean_wait(2, 2.0, 5) == math.inf and wait_quantile(3, 1.0, 5, 0.9) == 0.0
    # 60 an hour of 5 minutes = 5 erlangs: 7 counters give a P90 wait over 2 minutes, 8 under
    assert wait_quantile(7, 5, 5, 0.9) > 2 >= wait_quantile(8, 5, 5, 0.9)
    assert counters_needed(60, 5, 2) == 8 and counters_needed(0, 5, 2) == 0


def test_the_planner_counts_the_same_weekday_of_past_weeks(tmp_path):
    day = datetime(2026, 12, 2, tzinfo=WITA).date()  # a Wednesday
    clock = FakeClock(datetime(2026, 11, 18, 9, 0, tzinfo=WITA))
    ctx = make_context(clock, f"sqlite:///{tmp_path / 'antre.db'}")
    counters.set_counter_status(ctx, ADMIN, "L05", "open")
    for week in (2, 1):  # 18 and 25 November: six KTP visitors at 9 o'clock, ten minutes each
        clock.now = datetime.combine(day - timedelta(weeks=week), datetime.min.time(), WITA) + timedelta(hours=9)
        for _ in range(6):
            tickets.issue_ticket(ctx, "KTP")
        for _ in range(6):
            counters.call_next(ctx, ADMIN, "L05")
            counters.start(ctx, ADMIN, "L05")
            clock.advance(minutes=10)
            counters.finish(ctx, ADMIN, "L05")
    result = plan(ctx, "KTP", day, weeks=2)
    assert result.mean_service_minutes == 10 and [h.hour for h in result.hours] == [9]
    nine = result.hours[0]
    assert nine.arrivals_per_hour == 6 and nine.erlang == counters_needed(6, 10, result.target_minutes)
    assert 1 <= nine.needed <= nine.erlang  # an hour that starts with an empty hall needs no more than Erlang C
    assert nine.scheduled == 2  # L04 and L05 serve KTP (no hours given: all day)
    assert "| 09:00 | 6.0 |" in table(result)
    with pytest.raises(Invalid):
        plan(ctx, "NOPE", day)


def test_the_staffed_queue_is_the_fcfs_queue_when_the_counters_stay():
    draws = draw_days({9: 30, 10: 30}, [], 300, days=3, seed=2)
    for arrivals, services in zip(draws.arrivals, draws.services, strict=True):
        assert staffed_waits(arrivals, services, {9: 3, 10: 3}) == pytest.approx(fcfs_waits(arrivals, services, 3))


def test_a_counter_off_duty_serves_nobody_until_its_next_hour():
    # one counter at 9, none at 10, one at 11: a visitor at 10:05 waits until 11:00
    waits = staffed_waits([9 * 3600, 10 * 3600 + 300], [600, 600], {9: 1, 10: 0, 11: 1})
    assert waits == [0, 3300]
    # a visitor still in the line when the counter goes off is served by the one that stays
    assert staffed_waits([9 * 3600, 9 * 3600 + 60], [3500, 600], {9: 2, 10: 1}) == [0, 0]


def test_the_simulated_plan_keeps_each_hour_s_p90_within_target_with_the_fewest_counters():
    rates = {8: 40.0, 9: 60.0, 10: 20.0}  # visitors an hour, 6-minute services (lognormal-like history)
    history = [180, 240, 300, 330, 360, 400, 450, 520, 600]
    draws = draw_days(rates, history, 360, days=60, seed=3)
    erlang, needed = plan_by_simulation(rates, sum(history) / len(history) / 60, draws, 10)
    p90 = p90_by_hour(draws, needed)
    assert all(p90[h] <= 10 for h in rates)
    for h in rates:  # one counter fewer in any hour breaks the target of that hour or one before
        if needed[h] > 1:
            fewer = p90_by_hour(draws, {**needed, h: needed[h] - 1})
            assert any(fewer[g] > 10 for g in rates if g <= h)
    assert abs(needed[9] - erlang[9]) <= 1  # the busy hour is near Erlang C's steady state
