"""The ticket lifecycle: legal steps, timestamps, illegal steps refused with a code."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.domain.errors import DomainError, IllegalTransition
from server.domain.ticket import Priority, Status, Ticket, parse_priority

WITA = ZoneInfo("Asia/Makassar")
T0 = datetime(2026, 11, 30, 8, 0, tzinfo=WITA)


def new(number: str = "A001", **kw) -> Ticket:
    return Ticket.issue("KTP", number, T0, "tok-" + number, **kw)


def test_a_ticket_walks_the_whole_lifecycle_with_a_timestamp_per_step():
    t = new()
    t.call("L01", "siti", T0 + timedelta(minutes=5))
    t.start(T0 + timedelta(minutes=6))
    t.finish(T0 + timedelta(minutes=16))
    assert t.status is Status.DONE
    assert [h.action for h in t.history] == ["issue", "call", "start", "finish"]
    assert t.wait_seconds() == 300 and t.service_seconds() == 600


@pytest.mark.parametrize("action", ["start", "finish", "skip", "recall", "transfer"])
def test_a_waiting_ticket_refuses_counter_actions_it_is_not_ready_for(action):
    t = new()
    with pytest.raises(IllegalTransition) as err:
        if action == "transfer":
            t.transfer("KK", T0)
        elif action == "recall":
            t.recall("L01", None, T0)
        else:
            getattr(t, action)(T0)
    assert err.value.code == "illegal_transition"
    assert t.status is Status.WAITING


def test_a_finished_ticket_cannot_be_called_again():
    t = new()
    t.call("L01", None, T0)
    t.start(T0)
    t.finish(T0)
    with pytest.raises(IllegalTransition):
        t.call("L02", None, T0)


def test_a_skipped_ticket_can_be_recalled_and_counts_the_recall():
    t = new()
    t.call("L01", None, T0)
    t.skip(T0 + timedelta(minutes=1))
    t.recall("L02", "budi", T0 + timedelta(minutes=30))
    assert (t.status, t.counter, t.recalls) == (Status.CALLED, "L02", 1)


def test_transfer_keeps_number_and_arrival_time_and_clears_the_counter():
    t = new(priority=Priority.LANSIA)
    t.call("L01", None, T0 + timedelta(minutes=10))
    t.transfer("KK", T0 + timedelta(minutes=12))
    assert (t.service, t.number, t.status, t.counter) == ("KK", "A001", Status.WAITING, None)
    assert t.queued_at == T0 and t.transferred_from == "KTP"


def test_transfer_to_the_same_service_is_refused():
    t = new()
    t.call("L01", None, T0)
    with pytest.raises(DomainError) as err:
        t.transfer("KTP", T0)
    assert err.value.code == "same_service"


def test_priority_values_are_parsed_and_unknown_ones_refused():
    assert parse_priority("ibu_hamil") is Priority.IBU_HAMIL
    assert parse_priority(None) is None and parse_priority("") is None
    with pytest.raises(DomainError) as err:
        parse_priority("vip")
    assert err.value.code == "invalid_priority"
