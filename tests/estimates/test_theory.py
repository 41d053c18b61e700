"""The simulator against queueing theory, in two steps that together give Erlang C's mean wait to 5 %:

1. exact — a stationary M/M/3 day played through the real use cases gives every visitor the very wait of the
   textbook first-come-first-served 3-counter queue (`erlang.fcfs_waits`) on the same arrival and service times:
   no warm-up effect, no lost or late call, no counter idle while someone waits;
2. statistical — that queue, fed by the simulator's own generators (`scenario.arrival_times`,
   `ServicePlan.draw_seconds`) for 1,600 independent days (~920,000 visitors), has Erlang C's mean wait within
   5 %, and the 95 % confidence interval (from the spread of the daily means: successive waits are strongly
   correlated, so visitors are not independent samples) is narrower than ±2.5 %.

Why not 5 % from the use cases directly: one day's mean wait varies by ±1 minute around 2.22 (sd of the daily
means 0.98 min), so ±5 % at 95 % needs ~1,300 days, about 75 minutes of use cases. 40 days (22,000 visitors)
gave 2.39 min, 95 % CI 2.07–2.68: the earlier '8 % off' was that noise, not a bias."""

import random
import statistics

import pytest

from server.simulate.engine import Day
from server.simulate.erlang import fcfs_waits, mean_wait, wait_probability
from server.simulate.scenario import arrival_times, parse

RATE = {h: 24 for h in range(24)}  # 24 an hour × 5 minutes = 2 erlangs on 3 lokets
MM3 = {"name": "M/M/3", "date": "2026-12-02", "end": "23:59:59", "priority_share": 0, "no_show_share": 0,
       "service": [{"code": "KTP", "mean_minutes": 5, "distribution": "exponential", "rate": RATE}],
       "counter": [{"code": f"L{i}", "services": ["KTP"], "open": "00:00", "close": "23:59:59"} for i in range(3)]}


def test_a_simulated_m_m_3_day_gives_every_visitor_the_textbook_queue_s_wait():
    short = MM3 | {"service": [MM3["service"][0] | {"rate": {h: 24 for h in range(8, 14)}}]}
    records = []
    for seed in range(2):
        day = sorted(Day(parse(short), seed).run(), key=lambda r: r.issued)
        assert all(r.served is not None for r in day)  # everyone served the same day
        expected = fcfs_waits([r.issued for r in day], [r.served for r in day], 3)  # type: ignore[misc]
        records += [(r.wait, w) for r, w in zip(day, expected, strict=True)]
    assert len(records) > 250 and sum(1 for w, _ in records if w) > 50  # enough of them waited
    assert all(got == pytest.approx(want, abs=1e-3) for got, want in records)


@pytest.mark.slow
def test_the_simulator_s_queue_has_erlang_c_s_mean_wait_within_5_percent():
    plan = parse(MM3).services[0]
    daily, waited, total = [], 0, 0
    for seed in range(1600):
        rng = random.Random(seed)
        arrivals = arrival_times(plan.rates, rng)
        waits = [w for a, w in zip(arrivals, fcfs_waits(arrivals, [plan.draw_seconds(rng) for _ in arrivals], 3),
                                   strict=True) if a > 1800]  # the first half hour (an empty hall) left out
        daily.append(sum(waits) / len(waits) / 60)
        waited += sum(1 for w in waits if w > 0)
        total += len(waits)
    mean = statistics.fmean(daily)
    half_width = 1.96 * statistics.stdev(daily) / len(daily) ** 0.5
    theory = mean_wait(3, 2.0, 5)  # 2.22 minutes
    assert total > 900_000
    assert half_width < 0.025 * theory  # the precision the check claims
    assert mean == pytest.approx(theory, rel=0.05)
    assert waited / total == pytest.approx(wait_probability(3, 2.0), rel=0.02)  # 0.444
