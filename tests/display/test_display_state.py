"""Unit tests of the display's pure state: snapshot, events, seq checks, scope (one TV per floor)."""

from dataclasses import replace
from typing import Any

from display.state import (
    HISTORY_SIZE,
    DisplayState,
    apply,
    from_snapshot,
    initial_state,
    visible_counters,
    visible_services,
)

CATALOG = [
    {"code": "KTP", "name": "KTP Elektronik", "agency": "DUKCAPIL", "agency_name": "Dinas Dukcapil", "prefix": "D"},
    {"code": "KK", "name": "Kartu Keluarga", "agency": "DUKCAPIL", "agency_name": "Dinas Dukcapil", "prefix": "E"},
    {"code": "SIM", "name": "Perpanjangan SIM", "agency": "POLRI", "agency_name": "Polresta", "prefix": "L",
     "spell_digits": True},
]


def snapshot(seq: int = 10, calls: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "seq": seq, "date": "2026-11-28", "site": "MPP Samarinda",
        "calls": calls or [],
        "counters": [
            {"code": "L04", "name": "Loket 4", "services": ["KTP", "KK"], "status": "open", "number": None},
            {"code": "L05", "name": "Loket 5", "services": ["KTP"], "status": "closed", "number": None},
            {"code": "L12", "name": "Loket 12", "services": ["SIM"], "status": "open", "number": "L003",
             "ticket_status": "serving", "priority": None},
        ],
        "waiting": {"KTP": 4, "KK": 0, "SIM": 2},
    }


LOKETS = {c["code"]: c for c in snapshot()["counters"]}


def tile(counter: str, status: str = "open", number: str | None = None, ticket_status: str | None = None,
         priority: str | None = None) -> dict[str, Any]:
    """A loket's tile as the server sends it (the same shape as a snapshot's `counters` entry)."""
    return {"code": counter, "name": LOKETS[counter]["name"], "services": LOKETS[counter]["services"],
            "status": status, "number": number, "ticket_status": ticket_status, "priority": priority}


def called(number: str, counter: str, seq: int, **extra: Any) -> dict[str, Any]:
    payload = {"number": number, "service": "KTP", "counter": counter, "counter_name": f"Loket {int(counter[1:])}",
               "recall": False, "priority": None, "seq": seq, "at": "2026-11-28T08:15:00+08:00"}
    payload |= extra
    return payload | {"tile": tile(counter, "open", number, "called", payload["priority"])}


def synced(**scope: Any) -> DisplayState:
    state = apply(initial_state(**scope), "services", CATALOG)
    return apply(state, "snapshot", snapshot())


def test_a_snapshot_fills_the_screen_and_marks_the_display_connected_and_synced() -> None:
    calls = [called("D002", "L04", 9), called("D001", "L05", 8)]
    state = apply(initial_state(), "snapshot", snapshot(calls=calls))
    assert state.synced and state.connected and not state.need_snapshot
    assert (state.seq, state.site, state.date) == (10, "MPP Samarinda", "2026-11-28")
    assert state.current is not None and state.current.number == "D002"
    assert [c.number for c in state.calls] == ["D002", "D001"]
    assert state.waiting == {"KTP": 4, "KK": 0, "SIM": 2}
    assert [(c.code, c.number) for c in state.counters] == [("L04", None), ("L05", None), ("L12", "L003")]
    assert state.call_count == 0  # nothing in a snapshot is a new call: no flash, no voice


def test_a_call_goes_on_the_big_panel_and_on_its_counter_and_counts_as_new() -> None:
    state = apply(synced(), "ticket_called", called("D005", "L05", 11, priority="lansia"))
    assert state.current is not None
    assert (state.current.number, state.current.counter_name, state.current.priority) == ("D005", "Loket 5", "lansia")
    loket5 = next(c for c in state.counters if c.code == "L05")
    assert (loket5.number, loket5.ticket_status, loket5.status, loket5.priority) == ("D005", "called", "open", "lansia")
    assert state.call_count == 1 and state.seq == 11


def test_a_recall_moves_the_ticket_to_the_top_without_listing_it_twice() -> None:
    state = synced()
    state = apply(state, "ticket_called", called("D005", "L05", 11))
    state = apply(state, "ticket_called", called("D006", "L04", 12))
    state = apply(state, "ticket_called", called("D005", "L05", 13, recall=True))
    assert [c.number for c in state.calls] == ["D005", "D006"]
    assert state.current is not None and state.current.recall
    assert state.call_count == 3


def test_the_history_keeps_only_the_latest_calls() -> None:
    state = synced()
    for i in range(HISTORY_SIZE + 5):
        state = apply(state, "ticket_called", called(f"D{i:03d}", "L04", 11 + i))
    assert len(state.calls) == HISTORY_SIZE
    assert state.calls[0].number == f"D{HISTORY_SIZE + 4:03d}"


def test_messages_of_one_event_share_its_seq_and_are_all_applied() -> None:
    state = apply(synced(), "ticket_called", called("D005", "L04", 11))
    state = apply(state, "queue_changed", {"service": "KTP", "waiting": 3, "seq": 11, "event": "ticket_called"})
    state = apply(state, "queue_changed", {"service": "KK", "waiting": 0, "seq": 11, "event": "ticket_called"})
    assert state.waiting["KTP"] == 3 and not state.need_snapshot and state.seq == 11


def test_a_seq_gap_asks_for_a_snapshot_but_still_shows_the_newer_event() -> None:
    state = apply(synced(), "queue_changed", {"service": "KTP", "waiting": 7, "seq": 13})
    assert state.need_snapshot
    assert state.waiting["KTP"] == 7 and state.seq == 13
    state = apply(state, "_snapshot_requested")
    assert not state.need_snapshot
    fresh = apply(state, "snapshot", snapshot(seq=13) | {"waiting": {"KTP": 8, "KK": 1, "SIM": 2}})
    assert not fresh.need_snapshot and fresh.waiting["KTP"] == 8 and fresh.seq == 13


def test_messages_already_contained_in_the_snapshot_are_not_applied_again() -> None:
    state = synced()  # snapshot seq 10
    again = apply(state, "ticket_called", called("D001", "L04", 10))
    older = apply(state, "ticket_called", called("D000", "L04", 7))
    assert again == state and older == state  # no second flash or voice for a call the snapshot holds


def test_events_before_the_first_snapshot_are_ignored() -> None:
    state = apply(initial_state(), "ticket_called", called("D001", "L04", 3))
    assert state.calls == () and state.call_count == 0 and not state.synced


def test_a_snapshot_older_than_the_events_seen_is_followed_by_another_one() -> None:
    state = apply(synced(), "queue_changed", {"service": "KTP", "waiting": 5, "seq": 11})
    stale = apply(state, "snapshot", snapshot(seq=9))
    assert stale.need_snapshot


def test_counter_changes_free_the_counter_or_only_change_its_status() -> None:
    state = apply(synced(), "ticket_called", called("D005", "L04", 11))
    started = apply(state, "counter_changed", {"tile": tile("L04", "open", "D005", "serving"), "seq": 12})
    paused = apply(started, "counter_changed", {"tile": tile("L04", "paused", "D005", "serving"), "seq": 13})
    finished = apply(paused, "counter_changed", {"tile": tile("L04", "paused"), "seq": 14})
    loket = {s: next(c for c in st.counters if c.code == "L04") for s, st in
             (("started", started), ("paused", paused), ("finished", finished))}
    assert (loket["started"].number, loket["started"].ticket_status) == ("D005", "serving")
    assert (loket["paused"].number, loket["paused"].status) == ("D005", "paused")
    assert loket["finished"].number is None
    assert finished.current is not None and finished.current.number == "D005"  # the panel keeps the last call


def test_the_daily_reset_reloads_the_snapshot() -> None:
    state = apply(synced(), "tick", {"seq": 11, "event": "day_closed"})
    assert state.need_snapshot
    assert not apply(synced(), "tick", {"seq": 11, "event": "device_state_changed"}).need_snapshot


def test_a_tv_limited_to_some_counters_ignores_calls_elsewhere_but_follows_seq() -> None:
    state = synced(counters=["L04"])
    other = apply(state, "ticket_called", called("D009", "L05", 11))
    assert other.calls == () and other.call_count == 0 and other.seq == 11 and not other.need_snapshot
    assert [c.code for c in visible_counters(other)] == ["L04"]
    assert visible_services(other) == ("KTP", "KK")


def test_a_tv_limited_to_an_agency_shows_its_counters_and_services_only() -> None:
    state = synced(agencies=["POLRI"])
    assert [c.code for c in visible_counters(state)] == ["L12"]
    assert visible_services(state) == ("SIM",)
    assert apply(state, "ticket_called", called("D001", "L04", 11)).call_count == 0
    before_catalog = from_snapshot(initial_state(agencies=["POLRI"]), snapshot())
    assert visible_counters(before_catalog) == ()  # unknown agencies never leak onto this floor's TV


def test_a_lost_connection_keeps_the_last_state_on_screen() -> None:
    state = apply(synced(), "ticket_called", called("D005", "L04", 11))
    offline = apply(state, "_disconnected", {"reason": "transport error"})
    assert not offline.connected
    assert replace(offline, connected=True) == state
    refused = apply(offline, "_refused", {"message": "Token tidak dikenal."})
    assert refused.error == "Token tidak dikenal."
    assert apply(refused, "snapshot", snapshot(seq=11)).error == ""


def test_malformed_payloads_do_not_break_the_state() -> None:
    state = synced()
    assert apply(state, "queue_changed", {"service": "KTP", "waiting": "many", "seq": 11}).waiting == state.waiting
    assert apply(state, "ticket_called", None) == state
    assert apply(state, "counter_changed", {"counter": "L99", "number": "X001", "seq": 11}).counters == state.counters
    assert apply(state, "something_new", {"seq": 11}).seq == 11


def test_a_call_carries_the_new_waiting_counts_of_its_services() -> None:
    state = apply(synced(), "ticket_called", called("D005", "L05", 11, waiting={"KTP": 3}))
    assert state.waiting == {"KTP": 3, "KK": 0, "SIM": 2}
    state = apply(state, "counter_changed", {"counter": "L05", "number": "D005", "ticket_status": "serving",
                                             "priority": None, "waiting": {"KTP": 2}, "seq": 12})
    assert state.waiting["KTP"] == 2 and state.seq == 12


def test_the_office_ticker_comes_with_the_snapshot() -> None:
    state = apply(synced(), "snapshot", snapshot(seq=11) | {"ticker": "Layanan tutup pukul 15.00"})
    assert state.ticker == "Layanan tutup pukul 15.00"
    assert apply(state, "snapshot", snapshot(seq=12)).ticker == ""  # cleared by the office: the TV's own again
