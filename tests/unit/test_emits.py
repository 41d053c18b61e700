"""Mapping events to Socket.IO messages: every event reaches the displays once, with its seq; every payload is
built from the event alone."""

from datetime import datetime
from zoneinfo import ZoneInfo

from server.config import config_from_dict
from server.domain.counter import CounterStatus
from server.domain.events import DeviceStateChanged, TicketCalled, TicketIssued, TicketStarted
from server.domain.standing import CounterTile, ServiceLine, Standing, TicketInfo
from server.domain.ticket import Status, Ticket
from server.realtime.emits import COUNTER, DISPLAY, KIOSK, TICKET, emits_for
from support import site_config

AT = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))
SITE = config_from_dict(site_config()).site
URL = "http://mpp.test"


def ticket(status: Status, counter: str | None = None) -> Ticket:
    return Ticket(service="KTP", number="D001", local_date=AT.date(), issued_at=AT, token="tok", status=status,
                  counter=counter, id=1)


def line(*numbers: str) -> dict[str, ServiceLine]:
    return {"KTP": ServiceLine("KTP", tuple(Standing(n, i, 5 * i) for i, n in enumerate(numbers)))}


def messages(event, namespace=DISPLAY):
    return [(e.name, e.payload) for e in emits_for(SITE, URL, event) if e.namespace == namespace]


def test_a_call_is_one_display_message_carrying_the_tile_and_the_new_waiting_counts():
    called = ticket(Status.CALLED, "L05")
    event = TicketCalled(AT, info=TicketInfo(called, 0, 0, "Loket 5"), counter="L05",
                         tile=CounterTile("L05", CounterStatus.OPEN, called), counter_name="Loket 5", seq=7,
                         lines=line("D002", "D003", "D004"))
    [(name, payload)] = messages(event)
    assert name == "ticket_called" and payload["seq"] == 7 and payload["waiting"] == {"KTP": 3}
    assert payload["counter_name"] == SITE.counters["L05"].name and payload["at"] == "2026-11-30T09:00:00+08:00"
    assert payload["tile"]["number"] == "D001" and payload["tile"]["ticket_status"] == "called"


def test_an_issued_ticket_updates_waiting_everywhere_that_shows_its_service():
    event = TicketIssued(AT, info=TicketInfo(ticket(Status.WAITING), 3, 15), seq=8, lines=line("A", "B", "C", "D001"))
    by_place = {(e.namespace, str(e.room)) for e in emits_for(SITE, URL, event) if e.name == "queue_changed"}
    assert by_place == {(DISPLAY, "None"), (TICKET, "service:KTP"), (KIOSK, "None")}
    [(_, counter_msg)] = messages(event, COUNTER)
    assert counter_msg["ticket"]["number"] == "D001" and counter_msg["ticket"]["status"] == "waiting"


def test_status_pages_get_every_standing_of_their_line_and_their_own_ticket():
    event = TicketIssued(AT, info=TicketInfo(ticket(Status.WAITING), 1, 5), seq=8, lines=line("D000", "D001"))
    sent = {(e.name, str(e.room)): e.payload for e in emits_for(SITE, URL, event) if e.namespace == TICKET}
    assert sent[("queue_changed", "service:KTP")]["standings"] == {"D000": [0, 0, 0, False], "D001": [1, 5, 0, False]}  # [ahead, eta_minutes, eta_seconds, no_counter_open]
    own = sent[("ticket_status", "ticket:tok")]
    assert (own["ahead"], own["eta_minutes"], own["seq"]) == (1, 5, 8)


def test_a_started_ticket_tells_displays_which_number_the_counter_serves():
    serving = ticket(Status.SERVING, "L05")
    event = TicketStarted(AT, info=TicketInfo(serving, 0, 0), counter="L05",
                          tile=CounterTile("L05", CounterStatus.OPEN, serving), seq=9, lines=line())
    [(name, payload)] = messages(event)
    assert (name, payload["tile"]["code"], payload["tile"]["number"]) == ("counter_changed", "L05", "D001")


def test_events_displays_do_not_care_about_still_move_their_seq():
    event = DeviceStateChanged(AT, device="kiosk-1", kind="kiosk", state={"printer": "ok"}, seq=10)
    assert messages(event) == [("tick", {"seq": 10, "event": "device_state_changed"})]


def test_a_message_is_built_only_for_a_room_someone_is_in():
    called = ticket(Status.CALLED, "L05")
    event = TicketCalled(AT, info=TicketInfo(called, 0, 0, "Loket 5"), counter="L05",
                         tile=CounterTile("L05", CounterStatus.OPEN, called), counter_name="Loket 5", seq=7,
                         lines=line("D002", "D003"))
    asked = []

    def only_the_clerk_and_a_tv(namespace, room):
        asked.append((namespace, room if isinstance(room, str | None) else tuple(room)))
        return namespace == DISPLAY or (namespace == COUNTER and (room is None or "counter:L05" in room))

    sent = {(e.namespace, e.name) for e in emits_for(SITE, URL, event, only_the_clerk_and_a_tv)}
    assert sent == {(DISPLAY, "ticket_called"), (COUNTER, "ticket_changed")}, "no status page, no kiosk: not built"
    assert (TICKET, "service:KTP") in asked and (TICKET, "ticket:tok") in asked and (KIOSK, None) in asked
    everyone = {(e.namespace, e.name) for e in emits_for(SITE, URL, event)}
    assert everyone == sent | {(TICKET, "ticket_status"), (TICKET, "queue_changed"), (KIOSK, "queue_changed")}
