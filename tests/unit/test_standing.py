"""Ranking a whole line at once: every waiting ticket's people ahead (the fairness rule) and estimated wait."""

import dataclasses
from datetime import UTC, datetime, timedelta

from server.domain.standing import ServiceLine, Standing, frozen_copy, lines_of, rank_line
from server.domain.ticket import Priority, Status, Ticket, Transition


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


def _every_field_set() -> Ticket:
    """A ticket whose every field differs from its default (a field `frozen_copy` forgot would then show)."""
    at = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    ticket = Ticket("KTP", "A001", at.date(), at, "tok", Priority.LANSIA, "booking", Status.SERVING,
                    at - timedelta(minutes=5), "L05", "budi", at + timedelta(minutes=1), at + timedelta(minutes=2),
                    at + timedelta(minutes=3), at + timedelta(minutes=4), at + timedelta(minutes=6), 2, "KK", False,
                    7, 42, 3)
    ticket.history.append(Transition("issue", Status.WAITING, at, "KTP"))
    old = datetime(2020, 1, 1, tzinfo=UTC)
    defaults = Ticket("X", "X1", old.date(), old, "x")
    assert all(getattr(ticket, f.name) != getattr(defaults, f.name) for f in dataclasses.fields(Ticket))
    return ticket


def test_a_frozen_copy_is_the_ticket_without_its_history():
    ticket = _every_field_set()
    copy = frozen_copy(ticket)
    assert copy == dataclasses.replace(ticket, history=[]) and copy is not ticket and copy.history == []
    ticket.status = Status.DONE
    assert copy.status is Status.SERVING  # the event's copy does not follow the ticket


PLACES = {"A001": (0, 0), "A002": (1, 61), "A003": (2, None)}


def test_a_placed_line_reads_as_the_line_of_its_standings():
    line = ServiceLine.placed("KTP", list(PLACES), list(PLACES.values()))
    eager = ServiceLine("KTP", (Standing("A001", 0, 0, 0, False), Standing("A002", 1, 2, 61, False),
                                Standing("A003", 2, None, None, True)))
    assert line.waiting == 3 and line.standing_of("A002") == Standing("A002", 1, 2, 61, False)
    assert line.standing_of("A009") is None
    assert line == eager and hash(line) == hash(eager) and line.standings == eager.standings
    assert repr(line) == repr(eager)
    assert line != ServiceLine("KTP", eager.standings[:2])


def test_lines_of_appended_tickets_count_everyone_waiting_but_stand_only_the_new():
    entries = {"KTP": [(datetime(2026, 12, 2, 9, m), n, False) for m, n in enumerate(PLACES)]}
    only = lines_of(entries, PLACES, {"KTP": ["A003"]})["KTP"]
    assert only.waiting == 3 and only.standings == (Standing("A003", 2, None, None, True),)
    whole = lines_of(entries, PLACES)["KTP"]
    assert [s.number for s in whole.standings] == list(PLACES) and whole.total is None
