"""The survey over REST on a real server: the questionnaire, answers only after service and only once (also under
concurrent submissions), bad input as 4xx with a code, the IKM report and its scoping per supervisor."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from survey_kit import WORKED, answers, issue, served_ticket, start_server

from support import PASSWORD, Api, ServerProcess


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = start_server(tmp_path_factory.mktemp("survey"))
    yield proc
    proc.stop()
    assert "Traceback" not in proc.log()


def post_survey(proc: ServerProcess, token: str, body: object, **kw: object) -> requests.Response:
    return requests.post(f"{proc.url}/api/v1/tickets/{token}/survey", json=body, timeout=10, **kw)  # type: ignore[arg-type]


def test_the_questionnaire_has_the_nine_elements_of_the_regulation(server: ServerProcess) -> None:
    items = Api(server.url).get("/survey/questions").json()
    assert [q["code"] for q in items] == [f"U{i}" for i in range(1, 10)]
    assert items[0]["text"].startswith("Bagaimana pendapat Saudara tentang kesesuaian persyaratan")
    assert [o["score"] for o in items[3]["options"]] == [1, 2, 3, 4]
    assert items[3]["options"][3]["text"] == "Gratis"
    english = Api(server.url).get("/survey/questions?lang=en").json()
    assert english[8]["options"][0]["text"] == "Poor"


def test_a_served_ticket_is_answered_once_and_a_waiting_one_not_at_all(server: ServerProcess) -> None:
    waiting = issue(server)
    r = post_survey(server, waiting["token"], {"answers": answers([4] * 9)})
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_served"
    assert "setelah layanan selesai" in r.json()["error"]["message"]
    token = served_ticket(server)["token"]  # the waiting one is served first, then this one
    assert Api(server.url).get(f"/tickets/{token}/survey").json() == {"state": "open"}
    r = post_survey(server, token, {"answers": answers([3] * 9), "profile": {"sex": "P", "age": "30_39"},
                                    "comment": "Ruang tunggu <b>panas</b>"})
    assert r.status_code == 201, r.text
    again = post_survey(server, token, {"answers": answers([4] * 9)})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_answered"
    assert Api(server.url).get(f"/tickets/{token}/survey").json() == {"state": "answered"}


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"answers": {**answers([4] * 9), "U3": 5}}, 422, "invalid_score"),
    ({"answers": {k: v for k, v in answers([4] * 9).items() if k != "U7"}}, 422, "missing_element"),
    ({"answers": {**answers([4] * 9), "U12": 4}}, 422, "unknown_element"),
    ({"answers": answers([4] * 9), "comment": "x" * 10_000}, 422, "comment_too_long"),
    ({"answers": answers([4] * 9), "profile": {"nik": "6472011234560001"}}, 422, "invalid_profile"),
    ({}, 422, "missing_field"),  # a required field, like every body of the API
    ([1, 2], 400, "bad_json"),
])
def test_bad_input_is_a_4xx_with_a_code_and_an_indonesian_message(server: ServerProcess, body: object, status: int,
                                                                  code: str) -> None:
    done = served_ticket(server)
    r = post_survey(server, done["token"], body)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == code and error["message"]
    assert Api(server.url).get(f"/tickets/{done['token']}/survey").json() == {"state": "open"}  # nothing stored


def test_an_unknown_ticket_is_404(server: ServerProcess) -> None:
    r = post_survey(server, "no-such-token", {"answers": answers([4] * 9)})
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_ticket"


def test_concurrent_submissions_for_one_ticket_give_exactly_one_201(server: ServerProcess) -> None:
    done = served_ticket(server)
    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(lambda i: post_survey(server, done["token"], {"answers": answers([1 + i % 4] * 9)})
                              .status_code, range(24)))
    assert Counter(codes) == {201: 1, 409: 23}


def test_the_report_computes_the_index_and_a_supervisor_sees_only_their_agencies(tmp_path: Path) -> None:
    proc = start_server(tmp_path)
    try:
        for scores in WORKED:
            t = served_ticket(proc)
            assert post_survey(proc, t["token"], {"answers": answers(scores), "comment": "Bagus" if scores[0] == 4
                                                  else None}).status_code == 201
        served_ticket(proc)  # a fifth visitor served who did not answer: population 5, sample 4
        admin = Api(proc.url).login("admin", proc.admin_password())
        report = admin.get("/reports/ikm").json()
        assert report["respondents"] == 4
        assert report["nrr"] == {"U1": 3.5, "U2": 3.5, "U3": 2.75, "U4": 4.0, "U5": 3.25, "U6": 3.5, "U7": 3.75,
                                 "U8": 2.5, "U9": 3.25}
        assert (report["ikm"], report["mutu"], report["kinerja"]) == (83.33, "B", "Baik")
        assert report["weakest"] == ["U8"] and report["population"] == 5 and report["min_sample"] == 5
        assert report["sample_enough"] is False
        assert [s["comment"] for s in report["suggestions"]] == ["Bagus", "Bagus"]
        kadis = Api(proc.url).login("kadis", PASSWORD)
        assert kadis.get("/reports/ikm?agency=DUKCAPIL").json()["ikm"] == 83.33
        assert kadis.get("/reports/ikm?service=KTP").json()["respondents"] == 4
        kabid = Api(proc.url).login("kabid", PASSWORD)
        for path in ("/reports/ikm?agency=DUKCAPIL", "/reports/ikm?service=KTP"):
            r = kabid.get(path)
            assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        own = kabid.get("/reports/ikm").json()
        assert own["respondents"] == 0 and own["ikm"] is None and own["suggestions"] == []
        clerk = Api(proc.url).login("siti", PASSWORD)
        assert clerk.get("/reports/ikm").status_code == 403
        public = Api(proc.url).get("/survey/current").json()
        assert (public["respondents"], public["ikm"], public["mutu"]) == (4, 83.33, "B")
        assert Api(proc.url).get("/survey/current?agency=DINSOS").json()["ikm"] is None
        assert admin.get("/reports/ikm?from=2026-13-01").status_code == 422
        # follow-up of a suggestion: scoped, checked, audit-logged
        sid = report["suggestions"][0]["id"]
        r = kabid.post(f"/survey/suggestions/{sid}/follow-up", json={"state": "selesai", "reply": "x"})
        assert r.status_code == 403
        r = kadis.post(f"/survey/suggestions/{sid}/follow-up", json={"state": "selesai", "reply": ""})
        assert r.status_code == 422 and r.json()["error"]["code"] == "reply_required"
        r = kadis.post(f"/survey/suggestions/{sid}/follow-up", json={"state": "ditindaklanjuti", "reply": "Terima kasih"})
        assert r.status_code == 200, r.text
        after = admin.get("/reports/ikm").json()["suggestions"]
        assert after[0]["follow_up"] == "ditindaklanjuti" and after[0]["replied_by"] == "kadis"
        audit = admin.get("/audit").json()
        assert any(a["object"] == f"survey:{sid}" and a["new"]["follow_up"] == "ditindaklanjuti" for a in audit)
    finally:
        proc.stop()


def test_a_survey_tablet_answers_only_for_its_own_counter(server: ServerProcess) -> None:
    tablet = Api(server.url, server.tablet_token)  # type: ignore[attr-defined]
    at_l04 = served_ticket(server, counter="L04")
    r = tablet.post(f"/tickets/{at_l04['token']}/survey", json={"answers": answers([4] * 9)})
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_this_counter"
    at_l05 = served_ticket(server, counter="L05")
    offer = tablet.get("/survey/offer")
    assert offer.status_code == 200 and offer.json()["number"] == at_l05["number"]
    assert tablet.post(f"/tickets/{at_l05['token']}/survey", json={"answers": answers([4] * 9)}).status_code == 201
    assert tablet.get("/survey/offer").status_code == 204  # answered: nothing more to ask


def test_the_survey_is_in_the_api_description(server: ServerProcess) -> None:
    paths = requests.get(f"{server.url}/api/v1/openapi.json", timeout=10).json()["paths"]
    assert {"/survey/questions", "/tickets/{token}/survey", "/reports/ikm"} <= set(paths)
    assert "201" in paths["/tickets/{token}/survey"]["post"]["responses"]


def test_the_pages_speak_english_on_request(server: ServerProcess) -> None:
    done = served_ticket(server)
    status = requests.get(f"{server.url}/t/{done['token']}?lang=en", timeout=10).text
    assert "Public satisfaction survey" in status and "How well do the service" in status
    tablet = requests.get(f"{server.url}/survey/tablet?lang=en", timeout=10)
    assert "Thank you for your visit" in tablet.text and "Content-Security-Policy" in tablet.headers
    assert "Terima kasih atas kunjungan" in requests.get(f"{server.url}/survey/tablet", timeout=10).text
