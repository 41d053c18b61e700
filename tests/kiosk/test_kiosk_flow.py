"""The kiosk's state machine without pygame or a server: debounce, busy state, idle timeout, retries, codes."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.config import ConfigError, config_from_dict
from kiosk.flow import DEBOUNCE_SECS, Flow, Screen, booking_code
from kiosk.i18n import PRIORITIES, priority_codes, priority_text
from kiosk.worker import Msg
from support import site_config

SERVICES = [
    {"code": "KTP", "name": "KTP Elektronik", "agency": "DUKCAPIL", "agency_name": "Dinas Dukcapil",
     "open_now": True, "closed_reason": None, "waiting": 3, "eta_minutes": 20, "requirements": ["KK"]},
    {"code": "KK", "name": "Kartu Keluarga", "agency": "DUKCAPIL", "agency_name": "Dinas Dukcapil",
     "open_now": False, "closed_reason": "quota_exhausted", "closed_message": "Kuota habis.", "waiting": 9},
    {"code": "SIDODADI", "name": "Surat Pengantar", "agency": "KEL-TEST", "agency_name": "Kelurahan Uji",
     "open_now": True, "waiting": 0},
]


class Recorder:
    """Effects that only remember what the flow asked for."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def issue(self, job: int, service: str, priority: str | None, key: str) -> None:
        self.calls.append(("issue", job, service, priority, key))

    def check_in(self, job: int, code: str, key: str) -> None:
        self.calls.append(("check_in", job, code, key))

    def reprint(self, ticket: dict[str, Any]) -> None:
        self.calls.append(("reprint", ticket["token"]))

    def reload(self) -> None:
        self.calls.append(("reload",))


def loaded_flow(**options: Any) -> tuple[Flow, Recorder]:
    effects = Recorder()
    flow = Flow(effects, **options)
    flow.message(Msg("services", [dict(s) for s in SERVICES]), 0.0)
    return flow, effects


def to_confirm(flow: Flow, start: float = 10.0) -> float:
    now = start
    for action in (("agency", "DUKCAPIL"), ("service", "KTP"), ("priority", "lansia")):
        assert flow.tap(action, now), action
        now += 1.0
    assert flow.state.screen is Screen.CONFIRM
    return now


def test_a_second_tap_on_confirm_while_the_request_is_in_flight_issues_nothing_more() -> None:
    flow, effects = loaded_flow()
    now = to_confirm(flow)
    assert flow.tap(("confirm",), now)
    assert not flow.tap(("confirm",), now + 0.05)
    assert not flow.tap(("confirm",), now + 5.0)  # still busy: no answer yet
    assert [c[0] for c in effects.calls] == ["issue"]
    assert flow.state.screen is Screen.PRINTING and flow.state.busy


def test_a_double_tap_on_a_tile_does_not_also_press_the_next_screens_button() -> None:
    flow, _ = loaded_flow()
    assert flow.tap(("agency", "DUKCAPIL"), 10.0)
    assert not flow.tap(("service", "KTP"), 10.0 + DEBOUNCE_SECS / 2)
    assert flow.state.screen is Screen.SERVICES


def test_back_from_an_agency_returns_to_the_same_home_page() -> None:
    flow, _ = loaded_flow()
    flow.tap(("page", 1), 10.0)
    flow.tap(("agency", "DUKCAPIL"), 11.0)
    assert flow.state.page == 0
    flow.tap(("back",), 12.0)
    assert flow.state.screen is Screen.HOME and flow.state.page == 1


def test_closed_and_quota_exhausted_services_cannot_be_chosen() -> None:
    flow, _ = loaded_flow()
    flow.tap(("agency", "DUKCAPIL"), 10.0)
    assert not flow.tap(("service", "KK"), 11.0)
    assert flow.state.screen is Screen.SERVICES


def test_a_retry_after_the_server_was_unreachable_sends_the_same_idempotency_key() -> None:
    flow, effects = loaded_flow()
    now = to_confirm(flow)
    flow.tap(("confirm",), now)
    flow.message(Msg("unavailable", None, flow.state.job), now + 1)
    assert flow.state.screen is Screen.UNAVAILABLE and flow.state.ticket is None and not flow.state.busy
    flow.tap(("retry",), now + 2)
    first, second = effects.calls
    assert first[0] == second[0] == "issue" and first[4] == second[4] and first[1] != second[1]


def test_a_new_choice_gets_a_new_idempotency_key() -> None:
    flow, effects = loaded_flow()
    now = to_confirm(flow)
    flow.tap(("confirm",), now)
    flow.message(Msg("printed", {"number": "A001"}, flow.state.job), now + 1)
    flow.tap(("home",), now + 2)
    now = to_confirm(flow, now + 3)
    flow.tap(("confirm",), now)
    assert effects.calls[0][4] != effects.calls[1][4]


def test_a_late_answer_to_an_earlier_request_is_ignored() -> None:
    flow, _ = loaded_flow()
    now = to_confirm(flow)
    flow.tap(("confirm",), now)
    flow.message(Msg("printed", {"number": "A009"}, flow.state.job - 1), now + 1)
    assert flow.state.screen is Screen.PRINTING


def test_idle_time_brings_every_screen_back_home_in_the_default_language() -> None:
    flow, _ = loaded_flow(idle_seconds=45)
    now = to_confirm(flow)
    flow.tap(("lang",), now)
    assert not flow.tick(now + 44)
    assert flow.tick(now + 46)
    assert flow.state.screen is Screen.HOME and flow.state.lang == "id" and flow.state.service is None


def test_idle_time_does_not_interrupt_a_ticket_being_printed() -> None:
    flow, _ = loaded_flow(idle_seconds=45)
    now = to_confirm(flow)
    flow.tap(("confirm",), now)
    assert not flow.tick(now + 500)
    assert flow.state.screen is Screen.PRINTING


def test_the_printer_failed_screen_stays_long_enough_to_photograph_the_number() -> None:
    flow, _ = loaded_flow(idle_seconds=20)
    now = to_confirm(flow)
    flow.tap(("confirm",), now)
    ticket = {"number": "D001", "token": "t"}
    flow.message(Msg("print_failed", {"ticket": ticket, "code": "paper_out"}, flow.state.job), now + 1)
    assert not flow.tick(now + 60)
    assert flow.tick(now + 100)


def test_home_shows_the_unavailable_screen_while_the_server_is_away() -> None:
    flow, _ = loaded_flow()
    flow.message(Msg("online", False), 1.0)
    assert flow.state.view is Screen.UNAVAILABLE
    flow.message(Msg("online", True), 2.0)
    assert flow.state.view is Screen.HOME
    assert Flow(Recorder()).state.view is Screen.LOADING


def test_queue_changes_update_the_waiting_count() -> None:
    flow, _ = loaded_flow()
    flow.message(Msg("queue_changed", {"service": "KTP", "waiting": 7, "seq": 5}), 1.0)
    assert flow.state.services[0]["waiting"] == 7


def test_a_reprint_request_is_handed_to_the_printer_side() -> None:
    flow, effects = loaded_flow()
    flow.message(Msg("reprint", {"token": "abc", "number": "D001"}), 1.0)
    assert effects.calls == [("reprint", "abc")]


@pytest.mark.parametrize(("typed", "code"), [
    ("7k3m9q2x", "7K3M9Q2X"),
    ("http://127.0.0.1:5000/booking/7K3M9Q2X", "7K3M9Q2X"),
    ("https://antre.example/b?code=7K3M9Q2X", "7K3M9Q2X"),
    ("7K3M-9Q2X", "7K3M9Q2X"),
    ("O0I1", ""),
])
def test_booking_codes_are_read_from_typed_text_and_scanned_urls(typed: str, code: str) -> None:
    assert booking_code(typed) == code


def test_after_a_refused_code_the_next_scan_replaces_it() -> None:
    flow, effects = loaded_flow()
    flow.tap(("checkin",), 10.0)
    flow.type_text("AAAA2222", 11.0)
    assert flow.enter(11.5)
    flow.message(Msg("checkin_refused", "Kode booking tidak ditemukan.", flow.state.job), 12.0)
    assert flow.state.screen is Screen.CHECKIN and flow.state.message
    flow.type_text("B", 13.0)
    assert flow.state.code == "B" and flow.state.message is None
    assert effects.calls[0][:3] == ("check_in", 1, "AAAA2222")


def test_kelurahan_offices_are_not_offered_at_the_mpp_kiosk_unless_listed() -> None:
    raw = site_config()
    raw["agency"].append({"code": "KEL-TEST", "name": "Kelurahan Uji", "place": "kelurahan"})
    flow, _ = loaded_flow(shows=config_from_dict(raw).shows)
    assert {s["agency"] for s in flow.state.services} == {"DUKCAPIL"}
    raw["kiosk"]["agencies"] = ["KEL-TEST"]
    flow, _ = loaded_flow(shows=config_from_dict(raw).shows)
    assert {s["agency"] for s in flow.state.services} == {"KEL-TEST"}


@pytest.mark.parametrize(("key", "value", "words"), [
    ("idle_seconds", 0, "idle_seconds"),
    ("language", "fr", "language"),
    ("server", "ftp://x", "server"),
    ("agencies", "DUKCAPIL", "agencies"),
])
def test_a_bad_kiosk_setting_is_one_line_naming_the_key(key: str, value: Any, words: str) -> None:
    raw = site_config()
    raw["kiosk"][key] = value
    with pytest.raises(ConfigError) as caught:
        config_from_dict(raw)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_the_priority_buttons_follow_the_servers_table_once_it_has_arrived() -> None:
    flow, effects = loaded_flow()
    assert flow.tap(("agency", "DUKCAPIL"), 10.0) and flow.tap(("service", "KTP"), 11.0)
    assert not flow.tap(("priority", "veteran"), 12.0)  # not a code of the contract
    table = [{"code": "lansia", "label": "L-id", "label_en": "L-en", "hint": "h-id", "hint_en": "h-en"},
             {"code": "veteran", "label": "V-id", "label_en": "V-en", "hint": "", "hint_en": ""}]
    flow.message(Msg("priorities", table), 12.5)
    assert set(flow.state.priorities) == {"lansia", "veteran"}
    assert flow.tap(("priority", "veteran"), 13.0)
    assert flow.state.screen is Screen.CONFIRM and flow.state.priority == "veteran"


def test_a_priority_reads_as_the_server_wrote_it_or_as_its_code_until_then() -> None:
    table = {"ibu_hamil": {"code": "ibu_hamil", "label": "Kata server", "label_en": "Server word",
                           "hint": "Baris server", "hint_en": ""}}
    assert priority_text(table, "id", "ibu_hamil") == "Kata server"
    assert priority_text(table, "en", "ibu_hamil") == "Server word"
    assert priority_text(table, "en", "ibu_hamil", "hint") == "Baris server"  # no English hint: the Indonesian one
    assert priority_text({}, "id", "ibu_hamil") == "Ibu hamil"
    assert priority_text({}, "en", "ibu_hamil", "hint") == ""
    assert priority_codes({}) == PRIORITIES and priority_codes(table) == ("ibu_hamil",)
