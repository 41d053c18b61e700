"""The kiosk's REST client against a real server: a timed-out request retried with its key gives one ticket."""

from __future__ import annotations

import pytest
from kiosk_driver import register_kiosks
from kiosk_proxy import TcpProxy

from kiosk.api import ApiRefused, ApiUnavailable, KioskApi, new_key
from server.domain.ticket import priority_table
from support import Api, ServerProcess, free_port


@pytest.fixture(scope="module")
def token(server: ServerProcess) -> str:
    return register_kiosks(server, "kiosk-api")["kiosk-api"]


def waiting(server: ServerProcess, service: str) -> int:
    return {s["code"]: s["waiting"] for s in Api(server.url).get("/services").json()}[service]


def test_a_request_that_times_out_and_is_retried_gives_one_ticket(server: ServerProcess, token: str) -> None:
    proxy = TcpProxy(server.port, hold_first=True)  # the first answer never reaches the kiosk
    try:
        api = KioskApi(proxy.url, token, read_timeout=0.5, attempts=3)
        key = new_key()
        ticket = api.issue_ticket("NIB", None, key)
    finally:
        proxy.close()
    assert proxy.connections == 2 and proxy.first_answered.is_set()  # the server did answer the first try
    assert waiting(server, "NIB") == 1
    again = Api(server.url, token).post("/tickets", {"service": "NIB"}, headers={"Idempotency-Key": key})
    assert again.status_code == 200 and again.json()["id"] == ticket["id"]
    fresh = KioskApi(server.url, token).issue_ticket("NIB", None, new_key())
    assert fresh["number"] == "A002" and ticket["number"] == "A001"


def test_an_unreachable_server_is_reported_as_unavailable_not_as_a_crash() -> None:
    api = KioskApi(f"http://127.0.0.1:{free_port()}", "token", attempts=2)
    with pytest.raises(ApiUnavailable):
        api.issue_ticket("KTP", None, new_key())
    with pytest.raises(ApiUnavailable):
        api.services()


def test_a_refusal_carries_the_servers_message(server: ServerProcess, token: str) -> None:
    api = KioskApi(server.url, token)
    api.issue_ticket("SIM", None, new_key())
    with pytest.raises(ApiRefused) as caught:
        api.issue_ticket("SIM", None, new_key())
    assert caught.value.code == "quota_exhausted" and "uota" in caught.value.message
    with pytest.raises(ApiRefused) as caught:
        KioskApi(server.url, "not-a-token").issue_ticket("KTP", None, new_key())
    assert caught.value.status == 401


def test_printed_and_state_reports_reach_the_server(server: ServerProcess, token: str) -> None:
    api = KioskApi(server.url, token)
    ticket = api.issue_ticket("NONUSAHA", "balita", new_key())
    api.report_printed(ticket["token"], False, "paper_out")
    assert api.ticket(ticket["token"])["printed"] is False
    api.report_printed(ticket["token"], True)
    assert api.ticket(ticket["token"])["printed"] is True
    api.report_state("paper_out")
    with pytest.raises(ApiRefused):
        api.report_state("on fire")


def test_the_priority_labels_are_the_servers_table_in_both_languages(server: ServerProcess, token: str) -> None:
    api = KioskApi(server.url, token)
    assert api.priorities() == priority_table()
    ticket = api.issue_ticket("NONUSAHA", "ibu_hamil", new_key())
    assert ticket["priority_label"] == {p["code"]: p["label"] for p in api.priorities()}["ibu_hamil"]
