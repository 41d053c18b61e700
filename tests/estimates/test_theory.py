"""The simulator against queueing theory: a stationary M/M/3 day played through the real use cases gives Erlang C's
probability of waiting and mean wait (slow: some 22,000 simulated visitors)."""

import pytest

from server.simulate.engine import Day
from server.simulate.erlang import mean_wait, wait_probability
from server.simulate.scenario import parse

MM3 = {"name": "M/M/3", "date": "2026-12-02", "end": "23:59:59", "priority_share": 0, "no_show_share": 0,
       "service": [{"code": "KTP", "mean_minutes": 5, "distribution": "exponential",
                    "rate": {h: 24 for h in range(24)}}],  # 24 an hour × 5 minutes = 2 erlangs on 3 lokets
       "counter": [{"code": f"L{i}", "services": ["KTP"], "open": "00:00", "close": "23:59:59"} for i in range(3)]}


@pytest.mark.slow
def test_a_stationary_m_m_3_day_matches_erlang_c():
    scenario = parse(MM3)
    waits: list[float] = []
    for seed in range(40):  # 40 independent days; the first half hour of each (an empty hall) left out
        waits += [r.wait for r in Day(scenario, seed).run() if r.wait is not None and r.issued > 1800]
    assert len(waits) > 20_000
    share_waiting = sum(1 for w in waits if w > 0) / len(waits)
    mean_minutes = sum(waits) / len(waits) / 60
    assert share_waiting == pytest.approx(wait_probability(3, 2.0), rel=0.05)  # 0.444
    # The mean wait is far noisier (successive waits are correlated): 5 % needs about four times as many visitors.
    assert mean_minutes == pytest.approx(mean_wait(3, 2.0, 5), rel=0.10)  # 2.22 minutes
