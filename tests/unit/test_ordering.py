"""Who is called next: arrival order, priority first, at most `burst` priority calls in a row."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from server.domain.ordering import Position, choose_next, next_streak, people_ahead
from server.domain.ticket import Priority, Ticket

T0 = datetime(2026, 11, 30, 8, 0, tzinfo=ZoneInfo("Asia/Makassar"))


def line(spec: str) -> list[Ticket]:
    """'rRp' → regular, regular, priority, arriving one minute apart (p/P = priority)."""
    out = []
    for i, ch in enumerate(spec):
        prio = Priority.LANSIA if ch.lower() == "p" else None
        t = Ticket.issue("KTP", f"A{i + 1:03d}", T0 + timedelta(minutes=i), f"t{i}", prio)
        t.id = i + 1
        out.append(t)
    return out


def test_without_priorities_the_longest_waiting_ticket_goes_first():
    tickets = line("rrr")
    assert choose_next(reversed(tickets), 0, burst=2).number == "A001"


def test_a_priority_ticket_passes_regular_ones():
    assert choose_next(line("rrp"), 0, burst=2).number == "A003"


def test_after_burst_priority_calls_a_waiting_regular_ticket_is_called():
    tickets = line("rppp")
    assert choose_next(tickets, priority_streak=2, burst=2).number == "A001"
    assert choose_next(tickets, priority_streak=1, burst=2).number == "A002"


def test_burst_zero_means_plain_arrival_order():
    assert choose_next(line("rp"), 0, burst=0).number == "A001"


def test_streak_counts_only_priority_calls_made_while_regulars_waited():
    p, r = line("pr")
    assert next_streak(p, 1, regular_waiting=True) == 2
    assert next_streak(p, 1, regular_waiting=False) == 0
    assert next_streak(r, 2, regular_waiting=True) == 0


def test_empty_line_calls_nobody():
    assert choose_next([], 0, 2) is None


def test_people_ahead_follow_the_rule():
    # The line "rrppr": two regulars, then two priority tickets, then a regular, all waiting.
    first_priority = Position(regular_before=2, priority_before=0, priority_waiting=2)
    last_regular = Position(regular_before=2, priority_before=2, priority_waiting=2)
    first_regular = Position(regular_before=0, priority_before=0, priority_waiting=2)
    assert people_ahead(True, first_priority, burst=2) == 0
    # two regulars ahead, and up to 2 priority tickets per regular ahead (+1): both priority tickets
    assert people_ahead(False, last_regular, burst=2) == 4
    assert people_ahead(False, last_regular, burst=0) == 4
    assert people_ahead(False, first_regular, burst=2) == 2


def test_a_regular_ticket_is_passed_by_at_most_burst_priority_tickets_per_regular_ahead():
    many_priority = Position(regular_before=1, priority_before=0, priority_waiting=9)
    assert people_ahead(False, many_priority, burst=2) == 1 + 2 * 2
    assert people_ahead(False, many_priority, burst=0) == 1
