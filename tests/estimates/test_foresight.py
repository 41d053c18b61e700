"""Priority tickets still to come (domain/foresight, issue 15): a regular ticket's estimate counts the turns that
priority tickets issued later will take from it where the lokets are busy, and not where they idle; the share is
read from the gaps in a line's numbers, and the expected tickets never count in `ahead`."""

from datetime import datetime, timedelta

import pytest

from server.domain.foresight import PRIOR_TICKETS, loket_streams, priority_rates
from server.domain.projection import OpenCounter, project

T0 = datetime(2026, 12, 7, 10, 0)


def _line(numbers: list[int], minutes_ago: float, prefix: str = "A") -> list:
    """Regular tickets with these numbers, queued evenly over the last `minutes_ago` minutes before T0."""
    step = minutes_ago / len(numbers)
    return [(T0 - timedelta(minutes=minutes_ago - k * step), f"{prefix}{n:03d}", False)
            for k, n in enumerate(numbers)]


# 12 regular tickets waiting over the last half hour; in the gapped line every fourth number is missing: priority
# tickets issued among them and called already (the burst rule let them pass)
GAPPED = [n for n in range(1, 16) if n % 4]
PLAIN = list(range(1, 13))


def test_the_share_is_read_from_the_gaps_in_the_numbers():
    rates = priority_rates({"KTP": _line(GAPPED, 30)}, T0)
    # 14 numbers after the oldest, 11 of them regular tickets still waiting: 3 priority tickets, shrunk by the prior
    share = 3 / (14 + PRIOR_TICKETS)
    assert set(rates) == {"KTP"}
    recent = [e for e in _line(GAPPED, 30) if e[0] < T0 - timedelta(minutes=20)][-1]  # its last 20 minutes
    arrivals = 15 - int(recent[1][1:])
    assert rates["KTP"] == pytest.approx(share * arrivals / (T0 - recent[0]).total_seconds())
    assert priority_rates({"KTP": _line(PLAIN, 30)}, T0) == {}  # no gap: no priority ticket came, none expected
    assert priority_rates({"KTP": _line(GAPPED, 30)}, None) == {}  # no start: no foresight
    # only the tickets queued before the start count: a ticket issued after it changes no rate
    late = [*_line(GAPPED, 30), (T0 + timedelta(seconds=5), "A030", False)]
    assert priority_rates({"KTP": late}, T0) == rates


def test_a_transferred_ticket_or_an_odd_number_gives_no_span():
    line = [(T0 - timedelta(minutes=20), "B007", False), (T0 - timedelta(minutes=5), "A012", False)]
    assert priority_rates({"KTP": line}, T0) == {}
    assert priority_rates({"KTP": [(T0 - timedelta(minutes=9), "X", False),
                                   (T0 - timedelta(minutes=2), "Y", False)]}, T0) == {}


def test_each_loket_expects_its_share_of_the_services_it_serves():
    # KTP at 2 an hour shared by two lokets, KK at 1 an hour by one of them
    rates = {"KTP": 2 / 3600, "KK": 1 / 3600}
    own = [(0,), (0, 1)]
    took = [[300.0, 600.0], [300.0, 600.0]]
    first, step, takes = loket_streams(rates, own, ["KTP", "KK"], took, [0, 1])
    assert step[0] == pytest.approx(3600.0)  # 1 an hour
    assert step[1] == pytest.approx(1800.0)  # 1 + 1 an hour
    assert takes[1] == pytest.approx((300 + 600) / 2)
    assert first[0] == pytest.approx(3600 * 0.25) and first[1] == pytest.approx(1800 * 0.75)
    assert loket_streams(rates, own, ["KTP", "KK"], took, [1])[1][0] == float("inf")  # closed today: none


def test_busy_lokets_a_regular_ticket_waits_longer_for_the_priority_tickets_to_come():
    loket = [OpenCounter("L1", ("KTP",), 0, since_call=0.0)]  # busy: called its visitor just now
    seconds = {"KTP": 300.0}
    plain = project({"KTP": _line(PLAIN, 30)}, loket, seconds, 2, None, T0)
    gapped = project({"KTP": _line(GAPPED, 30)}, loket, seconds, 2, None, T0)
    last_plain, last_gapped = plain["A012"], gapped["A015"]
    # without foresight the 12th is called after 12 visits (the current one's rest, then 11 before it)
    assert last_plain.eta_seconds == 12 * 300
    # with it, priority tickets issued meanwhile take some of the loket's turns first: whole visits later
    assert last_gapped.eta_seconds >= last_plain.eta_seconds + 300
    assert last_gapped.eta_seconds % 300 == 0
    # the tickets called before it are the same: the ones to come are no one's `ahead`
    assert [p.ahead for p in gapped.values()] == [p.ahead for p in plain.values()]
    # the first in line is called at the loket's next turn: a priority ticket expected later cannot pass it
    assert gapped["A001"] == plain["A001"]
    # with no burst (plain arrival order) a later priority ticket passes no one: nothing foreseen
    assert project({"KTP": _line(GAPPED, 30)}, loket, seconds, 0, None, T0)["A015"].eta_seconds == 12 * 300


def test_idle_lokets_a_priority_ticket_to_come_takes_idle_time_not_a_turn():
    # three lokets free now, two tickets waiting: both are called at once, priority tickets to come or not
    lokets = [OpenCounter(f"L{k}", ("KTP",), visit_known=True) for k in range(3)]
    seconds = {"KTP": 300.0}
    gaps = project({"KTP": _line([1, 9], 10)}, lokets, seconds, 2, None, T0)  # 7 priority tickets of 8: a high rate
    none = project({"KTP": _line([1, 2], 10)}, lokets, seconds, 2, None, T0)
    assert list(gaps.values()) == list(none.values())
    assert [p.eta_seconds for p in gaps.values()] == [0, 0]



def test_numbers_out_of_their_order_give_no_negative_rate():
    # a line whose newest ticket before the last 20 minutes has a larger number than its newest one (a re-queued or
    # hand-numbered ticket): the rate is read over the whole span, never below zero
    line = [(T0 - timedelta(minutes=40), "A001", False), (T0 - timedelta(minutes=30), "A009", False),
            (T0 - timedelta(minutes=5), "A005", False)]
    rates = priority_rates({"KTP": line}, T0)
    assert set(rates) == {"KTP"} and rates["KTP"] > 0
    assert rates["KTP"] == pytest.approx(2 / 24 * 4 / (40 * 60))  # 4 numbers after A001, 2 of them priority
