"""Ranking a whole line at once: every waiting ticket's people ahead (the fairness rule) and estimated wait."""

from server.domain.standing import ServiceLine, rank_line


def test_a_line_is_ranked_by_the_fairness_rule_in_one_pass():
    line = [("A001", False), ("P001", True), ("A002", False), ("P002", True), ("P003", True)]
    ranked = rank_line("KTP", line, burst=2, avg_minutes=5.0, open_counters=2)
    assert [(s.number, s.ahead, s.eta_minutes) for s in ranked.standings] == [
        ("A001", 2, 5), ("P001", 0, 0), ("A002", 4, 10), ("P002", 1, 3), ("P003", 2, 5)]
    assert ranked.waiting == 5 and ranked.standing_of("A002").ahead == 4


def test_without_a_burst_the_line_is_plain_arrival_order():
    ranked = rank_line("KTP", [("A001", False), ("P001", True), ("A002", False)], burst=0, avg_minutes=4.0,
                       open_counters=0)
    assert [s.ahead for s in ranked.standings] == [0, 1, 2]
    assert [s.eta_minutes for s in ranked.standings] == [0, 4, 8]  # no open loket: counted as one


def test_an_empty_line_has_nobody_waiting():
    assert rank_line("KTP", [], burst=2, avg_minutes=5.0, open_counters=1) == ServiceLine("KTP")
