"""A loket's time per call (issue 15): the no-shows' waits in their share, and a loket's own time where it differs
from its service's (a quicker or a slower clerk)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from server.domain.accounts import Principal
from server.domain.eta import call_samples, loket_seconds
from server.domain.projection import OpenCounter, project
from server.services import counters, queries, tickets
from support import FakeClock, make_context

WITA = ZoneInfo("Asia/Makassar")
ADMIN = Principal("user", "admin", "admin")
T0 = datetime(2026, 12, 2, 8, 0)


def test_skipped_calls_count_in_their_share_as_the_time_the_loket_waited():
    # ten calls: eight visits of 600 s, two visitors who never came, skipped after 120 s
    calls = [("L1", 600.0, False)] * 4 + [("L1", 120.0, True)] + [("L1", 600.0, False)] * 4 + [("L1", 120.0, True)]
    samples = call_samples(calls, 10)
    assert sorted(samples) == [120.0, 120.0] + [600.0] * 8  # the outlier rule would have dropped them (< 1/5)
    assert sum(samples) / len(samples) == 504  # per call, not the 600 s of a visit
    assert call_samples(calls, 4) == [600.0] * 4  # the last `limit` calls only
    assert call_samples([("L1", 120.0, True)], 5) == []  # no visit yet: no typical time


def test_a_loket_keeps_its_own_time_only_when_it_clearly_differs():
    quick = [("L1", 300.0 + 10 * (k % 3), False) for k in range(12)]
    usual = [("L2", 600.0 + 10 * (k % 3), False) for k in range(12)]
    slow = [("L3", 900.0 + 10 * (k % 3), False) for k in range(12)]
    calls = [c for trio in zip(quick, usual, slow, strict=True) for c in trio]
    own = loket_seconds(calls, 12, 480)
    assert set(own) == {"L1", "L3"} and round(own["L1"]) == 310 and round(own["L3"]) == 910
    assert loket_seconds(calls[:15], 12, 480) == {}  # five calls each: too few to tell
    same = [("L1" if k % 2 else "L2", 600.0 + 40 * (k % 5), False) for k in range(36)]
    assert loket_seconds(same, 12, 480) == {}  # the same speed: the service's time, not the noise of each


def test_the_replay_gives_each_loket_its_own_time_per_call():
    lines = {"KTP": [(T0 + timedelta(seconds=k), f"K{k}", False) for k in range(5)]}
    quick = OpenCounter("L1", ("KTP",), visit_known=True, own_seconds={"KTP": 300.0})
    slow = OpenCounter("L2", ("KTP",), visit_known=True, own_seconds={"KTP": 900.0})
    got = project(lines, [quick, slow], {"KTP": 600.0}, 2, None, T0)
    # L1 calls K0 at 0, K2 at 300, K3 at 600, K4 at 900 (L2, busy till 900, loses the tie: it comes second); each
    # told the wait from its own arrival, k seconds after the start
    assert [got[f"K{k}"].eta_seconds for k in range(5)] == [0, 0, 298, 597, 896]
    same = project(lines, [OpenCounter("L1", ("KTP",), visit_known=True), OpenCounter("L2", ("KTP",), visit_known=True)],
                   {"KTP": 600.0}, 2, None, T0)
    assert [same[f"K{k}"].eta_seconds for k in range(5)] == [0, 0, 598, 597, 1196]


def test_a_slow_loket_s_own_time_reaches_the_kiosk():
    ctx = make_context(FakeClock(datetime(2026, 12, 2, 8, 0, tzinfo=WITA)))
    counters.set_counter_status(ctx, ADMIN, "L05", "open")  # KTP only
    for k in range(10):  # ten 5-minute visits and one 3-minute no-show at Loket 5
        tickets.issue_ticket(ctx, "KTP")
        counters.call_next(ctx, ADMIN, "L05")
        if k != 5:
            counters.start(ctx, ADMIN, "L05")
        ctx.clock.advance(seconds=180 if k == 5 else 290 + 5 * (k % 3))
        (counters.skip if k == 5 else counters.finish)(ctx, ADMIN, "L05")
    counters.set_counter_status(ctx, ADMIN, "L05", "closed")
    counters.set_counter_status(ctx, ADMIN, "L04", "open")  # KTP and KK: a slower clerk, 10 minutes a visit
    for k in range(10):
        tickets.issue_ticket(ctx, "KTP")
        counters.call_next(ctx, ADMIN, "L04")
        counters.start(ctx, ADMIN, "L04")
        ctx.clock.advance(seconds=590 + 5 * (k % 3))
        counters.finish(ctx, ADMIN, "L04")
    for _ in range(3):
        tickets.issue_ticket(ctx, "KTP")
    ktp = next(s for s in queries.list_services(ctx) if s["code"] == "KTP")
    # L04 is free: it calls the three waiting now, at 600 s each; the newcomer fourth, at ~1,800 s (the service's
    # ~430 s per call would say ~1,300 s)
    assert 1750 <= ktp["eta_seconds"] <= 1850
