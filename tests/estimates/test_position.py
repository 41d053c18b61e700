"""Position that is true: `ahead` counts every ticket the lokets that can serve a ticket will call before it (other
services of a shared loket included, the fairness rule's bursts included), from the counters' own ordering code."""

import random
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.loket_windows import counter_windows, linked_services
from server.domain.ordering import choose_next, next_streak
from server.domain.projection import OpenCounter, Projected, project, remaining_seconds
from server.domain.ticket import Priority, Ticket

T0 = datetime(2026, 12, 2, 8, 0)


def entry(minute: int, number: str, priority: bool = False) -> tuple[datetime, str, bool]:
    return (T0 + timedelta(minutes=minute), number, priority)


def test_a_shared_loket_calls_the_other_service_first():
    # Loket 4 serves KTP and KK, Loket 5 only KTP; KK's D1 and D2 arrived before KTP's K2.
    lines = {"KTP": [entry(1, "K1"), entry(3, "K2")], "KK": [entry(0, "D1"), entry(2, "D2")]}
    lokets = [OpenCounter("L04", ("KTP", "KK")), OpenCounter("L05", ("KTP",))]
    got = project(lines, lokets, {"KTP": 600, "KK": 600}, burst=2)
    # both free at 300 s (half a service); L04 calls D1, L05 K1; at 900 s L04 calls D2, L05 K2.
    assert got == {"D1": Projected(0, 300), "K1": Projected(1, 300), "D2": Projected(1, 900),
                   "K2": Projected(3, 900)}
    # K2 waits behind D1, K1 and D2: the old "people ahead in my own line" said 1.


def test_the_burst_rule_lets_two_priority_tickets_pass_per_regular():
    lines = {"KTP": [entry(0, "R1"), entry(1, "R2"), entry(2, "P1", True), entry(3, "P2", True),
                     entry(4, "P3", True)]}
    got = project(lines, [OpenCounter("L05", ("KTP",), since_call=600)], {"KTP": 600}, burst=2)
    assert [n for n, _ in sorted(got.items(), key=lambda kv: kv[1].ahead)] == ["P1", "P2", "R1", "P3", "R2"]
    assert got["R2"] == Projected(4, 4 * 600)  # the counter called 10 minutes ago: free now
    # A loket that just called two priority tickets in a row takes the regular first.
    tired = project(lines, [OpenCounter("L05", ("KTP",), priority_streak=2, since_call=0)], {"KTP": 600}, burst=2)
    assert tired["R1"] == Projected(0, 600) and tired["P1"].ahead == 1


def test_no_open_loket_means_no_estimate_but_a_place_in_line():
    lines = {"AKTA": [entry(0, "E1"), entry(1, "E2")], "KTP": [entry(0, "K1")]}
    got = project(lines, [OpenCounter("L05", ("KTP",))], {"KTP": 600}, burst=2)
    assert got["E2"] == Projected(1, None) and got["E1"] == Projected(0, None)
    assert got["K1"] == Projected(0, 300)


def test_linked_services_follow_open_shared_lokets():
    lokets = [OpenCounter("L04", ("KTP", "KK")), OpenCounter("L06", ("KK", "AKTA")), OpenCounter("L10", ("PASPOR",))]
    assert linked_services(["KTP"], lokets) == ["KTP", "KK", "AKTA"]
    assert linked_services(["PASPOR"], lokets) == ["PASPOR"]


def _ticket(service: str, number: str, minute: int, priority: bool) -> Ticket:
    at = T0 + timedelta(minutes=minute)
    return Ticket(service, number, at.date(), at, number, Priority.LANSIA if priority else None)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["KTP", "KK"]), st.booleans()), max_size=14), st.integers(0, 3),
       st.integers(0, 3))
def test_one_loket_calls_in_the_projected_order(arrivals, burst, streak):
    """Calling `choose_next` / `next_streak` again and again on a loket's tickets gives the projection's order."""
    tickets = [_ticket(s, f"{s[0]}{i:03}", i, p) for i, (s, p) in enumerate(arrivals)]
    lines = {s: [(t.queued_at, t.number, t.is_priority) for t in tickets if t.service == s] for s in ("KTP", "KK")}
    got = project(lines, [OpenCounter("L04", ("KTP", "KK"), streak, since_call=0)], {"KTP": 60, "KK": 120}, burst)
    order, left, s = [], list(tickets), streak
    while (t := choose_next(left, s, burst)) is not None:
        s = next_streak(t, s, any(not x.is_priority for x in left))
        left.remove(t)
        order.append(t.number)
    assert sorted(got, key=lambda n: got[n].ahead) == order
    assert [got[n].ahead for n in order] == list(range(len(order)))


def test_a_long_line_projects_quickly():
    rng = random.Random(4)
    lines = {s: sorted(entry(rng.randrange(600), f"{s}{i}", rng.random() < 0.1) for i in range(300))
             for s in ("KTP", "KK", "AKTA")}
    lokets = [OpenCounter(f"L{i}", tuple(rng.sample(list(lines), 2))) for i in range(6)]
    got = project(lines, lokets, dict.fromkeys(lines, 480.0), burst=2)
    assert len(got) == 900 and max(p.ahead for p in got.values()) < 900


def test_lokets_that_open_later_or_take_a_break_are_placed_by_their_hours():
    lines = {"KTP": [entry(0, "K1"), entry(1, "K2"), entry(2, "K3")]}
    # Nobody open yet: L01 opens in 30 minutes, so the first call is then, not "no estimate".
    later = project(lines, [OpenCounter("L01", ("KTP",), windows=((1800, 30000),))], {"KTP": 600}, burst=2)
    assert later == {"K1": Projected(0, 1800), "K2": Projected(1, 2400), "K3": Projected(2, 3000)}
    # Open now, a break from 15 to 60 minutes: K3 waits for its end.
    pause = project(lines, [OpenCounter("L01", ("KTP",), since_call=600, windows=((0, 900), (3600, 30000)))],
                    {"KTP": 600}, burst=2)
    assert pause == {"K1": Projected(0, 0), "K2": Projected(1, 600), "K3": Projected(2, 3600)}
    # Closing before the line is served: the rest keep their place, without an estimate.
    short = project(lines, [OpenCounter("L01", ("KTP",), since_call=600, windows=((0, 900),))], {"KTP": 600}, 2)
    assert short["K3"] == Projected(2, None) and short["K2"] == Projected(1, 600)


def test_counter_windows_follow_the_hours_from_now():
    hours = ((8 * 3600, 12 * 3600), (13 * 3600, 16 * 3600))
    assert counter_windows(hours, 7.5 * 3600, is_open=False) == ((1800, 16200), (19800, 30600))
    assert counter_windows(hours, 11 * 3600, is_open=True) == ((0, 3600), (7200, 18000))
    assert counter_windows(hours, 12.5 * 3600, is_open=False) == ((1800, 12600),)
    assert counter_windows(hours, 17 * 3600, is_open=True) == ((0, float("inf")),)  # working late: no end known
    assert counter_windows((), 9 * 3600, is_open=True) == ()


def test_a_loket_with_nobody_waiting_may_be_idle_one_with_a_waiting_visitor_is_busy():
    samples = [300, 400, 500, 600, 900]  # recent service times of its service (seconds)
    # called 550 s ago, nobody has waited since: 3 of 5 visits would be over, so it is most likely free now
    assert remaining_seconds(540, 550, samples) == 0
    assert remaining_seconds(540, 450, samples) == 50  # 2 of 5 over: the median of 0, 0, 50, 150, 450
    # someone has waited since before now and it has not called them: it is busy, with the visits longer than 550 s
    assert remaining_seconds(540, 550, samples, busy=True) == 200  # median of 50, 350
    assert remaining_seconds(540, 1000, samples, busy=True) == 0  # overdue: any moment now
    assert remaining_seconds(540, 100, []) == 440 and remaining_seconds(540, None, samples) == 270
