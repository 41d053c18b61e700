"""Mapping events to Socket.IO messages: every event reaches the displays once, with its seq."""

from datetime import datetime
from zoneinfo import ZoneInfo

from server.domain.events import DeviceStateChanged, TicketCalled, TicketIssued, TicketStarted
from server.realtime.emits import COUNTER, DISPLAY, KIOSK, TICKET, emits_for

AT = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))
BASE = dict(ticket_id=1, token="tok", number="D001", service="KTP", priority=None)


def display_messages(event):
    return [(e.name, e.payload) for e in emits_for(event) if e.namespace == DISPLAY]


def test_a_call_is_one_display_message_carrying_the_new_waiting_counts():
    event = TicketCalled(AT, **BASE, status="called", counter="L05", counter_name="Loket 5", seq=7,
                         waiting={"KTP": 3})
    [(name, payload)] = display_messages(event)
    assert name == "ticket_called" and payload["seq"] == 7 and payload["waiting"] == {"KTP": 3}
    assert payload["counter_name"] == "Loket 5" and payload["at"] == "2026-11-30T09:00:00+08:00"


def test_an_issued_ticket_updates_waiting_everywhere_that_shows_its_service():
    event = TicketIssued(AT, **BASE, status="waiting", seq=8, waiting={"KTP": 4})
    by_place = {(e.namespace, e.room) for e in emits_for(event) if e.name == "queue_changed"}
    assert by_place == {(DISPLAY, None), (COUNTER, "service:KTP"), (TICKET, "service:KTP"), (KIOSK, None)}


def test_a_started_ticket_tells_displays_which_number_the_counter_serves():
    event = TicketStarted(AT, **BASE, status="serving", counter="L05", seq=9, waiting={"KTP": 2})
    [(name, payload)] = display_messages(event)
    assert (name, payload["counter"], payload["number"]) == ("counter_changed", "L05", "D001")


def test_events_displays_do_not_care_about_still_move_their_seq():
    event = DeviceStateChanged(AT, device="kiosk-1", kind="kiosk", state={"printer": "ok"}, seq=10)
    assert display_messages(event) == [("tick", {"seq": 10, "event": "device_state_changed"})]
