"""Browser tests of the survey: a visitor on a phone sees the form appear on the status page the moment the clerk
finishes, answers it once; the survey tablet at a counter offers the survey for the ticket just finished there and
resets itself when left alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_kit import new_page, shot
from playwright.sync_api import Browser, expect
from site_day import faketime_env, sample_config
from survey_kit import issue, serve, start_server

from support import PASSWORD, Api, ServerProcess

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}
pytestmark = [pytest.mark.slow, pytest.mark.screenshots]


def start_sample_server(workdir: Path) -> ServerProcess:
    """The sample site on the screenshot day (site_day), with the survey kit's accounts."""
    return start_server(workdir, config=sample_config(), env=faketime_env())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = start_sample_server(tmp_path_factory.mktemp("survey-pages"))
    yield proc
    proc.stop()
    assert "Traceback" not in proc.log()


def pick(page: object, code: str, score: int) -> None:
    page.click(f"#q-{code} input[value='{score}']")  # type: ignore[attr-defined]


def test_a_visitor_answers_on_the_status_page_right_after_service(browser: Browser, server: ServerProcess,
                                                                  tmp_path: Path) -> None:
    ticket = issue(server)
    page = new_page(browser, PHONE)
    page.goto(f"{server.url}/t/{ticket['token']}")
    expect(page.locator("#survey")).to_be_hidden()
    expect(page.locator("#live")).to_have_class("live on")
    serve(Api(server.url).login("siti", PASSWORD), "L05")
    expect(page.locator("#survey-form")).to_be_visible()  # live, without a reload
    expect(page.locator("#state")).to_have_text("selesai")
    for i, code in enumerate(f"U{n}" for n in range(1, 9)):
        pick(page, code, 4 if i % 3 else 3)
    page.fill("#sv-comment", "<script>alert(1)</script> Kursi kurang")
    page.click("#survey-send")
    expect(page.locator("#survey-msg")).to_contain_text("U9")
    expect(page.locator("#q-U9")).to_have_class("q missing")
    pick(page, "U9", 2)
    expect(page.locator("#q-U9")).to_have_class("q")
    expect(page.locator("#survey-msg")).to_be_empty()
    page.locator("details.profile summary").click()
    page.select_option("#profile-age", "30_39")
    page.select_option("#profile-sex", "P")
    page.locator("#survey").scroll_into_view_if_needed()
    shot(page, "survey-status-phone.png", tmp_path, full_page=True)
    page.click("#survey-send")
    expect(page.locator("#survey-msg")).to_have_text("Terima kasih! Penilaian Anda sudah kami terima.")
    expect(page.locator("#survey-form")).to_be_hidden()
    shot(page, "survey-status-thanks.png", tmp_path)
    page.reload()
    expect(page.locator("#survey-msg")).to_have_text("Survei untuk tiket ini sudah diisi. Terima kasih!")
    assert page.js_errors == []  # type: ignore[attr-defined]
    admin = Api(server.url).login("admin", server.admin_password())
    report = admin.get("/reports/ikm").json()
    assert report["respondents"] >= 1
    assert any(s["comment"] == "<script>alert(1)</script> Kursi kurang" for s in report["suggestions"])


def test_the_survey_tablet_offers_the_ticket_its_counter_just_finished(browser: Browser, server: ServerProcess,
                                                                       tmp_path: Path) -> None:
    page = new_page(browser, TABLET)
    page.clock.install()
    page.goto(f"{server.url}/survey/tablet")
    expect(page.locator("#setup")).to_be_visible()
    page.fill("#token", "not-a-token")
    page.click("#token-save")
    expect(page.locator("#setup-error")).to_contain_text("Token ditolak")
    page.fill("#token", server.tablet_token)  # type: ignore[attr-defined]
    page.click("#token-save")
    expect(page.locator("#where")).to_have_text("Loket L05")
    expect(page.locator("#idle")).to_be_visible()
    shot(page, "survey-tablet-idle.png", tmp_path)
    clerk = Api(server.url).login("siti", PASSWORD)
    ticket = issue(server)
    while serve(clerk, "L05")["number"] != ticket["number"]:
        pass
    expect(page.locator("#offer-number")).to_have_text(ticket["number"])
    shot(page, "survey-tablet-offer.png", tmp_path)
    page.click("#begin")
    expect(page.locator("#step")).to_have_text("Pertanyaan 1 dari 9")
    shot(page, "survey-tablet-question.png", tmp_path)
    box = page.locator("#answers button").first.bounding_box()
    assert box is not None and box["height"] >= 150 and box["width"] >= 300  # big touch targets
    for n in range(9):
        expect(page.locator("#step")).to_have_text(f"Pertanyaan {n + 1} dari 9")
        page.click(f"#answers button[data-score='{4 if n != 2 else 2}']")
    expect(page.locator("#final")).to_be_visible()
    page.fill("#sv-comment", "Petugas ramah")
    page.click("#send")
    expect(page.locator("#thanks")).to_be_visible()
    expect(page.locator("#thanks-text")).to_have_text("Terima kasih! Penilaian Anda sudah kami terima.")
    shot(page, "survey-tablet-thanks.png", tmp_path)
    page.clock.run_for(7000)
    expect(page.locator("#idle")).to_be_visible()
    answered = Api(server.url).get(f"/tickets/{ticket['token']}/survey").json()
    assert answered == {"state": "answered"}

    # the next visitor starts but walks away: after 60 s without a touch the tablet is idle again
    ticket = issue(server)
    while serve(clerk, "L05")["number"] != ticket["number"]:
        pass
    expect(page.locator("#offer-number")).to_have_text(ticket["number"])
    page.click("#begin")
    page.click("#answers button[data-score='3']")
    page.clock.run_for(59_000)
    expect(page.locator("#ask")).to_be_visible()
    page.clock.run_for(2_000)
    expect(page.locator("#idle")).to_be_visible()
    assert Api(server.url).get(f"/tickets/{ticket['token']}/survey").json() == {"state": "open"}
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_the_skm_report_page_export_and_print(browser: Browser, tmp_path: Path) -> None:
    from io import BytesIO

    import requests
    from browser_kit import sign_in
    from openpyxl import load_workbook
    from survey_kit import WORKED, answers, served_ticket

    proc = start_sample_server(tmp_path / "srv")
    try:
        for i, scores in enumerate(WORKED):
            t = served_ticket(proc)
            comment = ["Ruang tunggu panas, <b>AC</b> mati", "", "=1+1 kursi kurang", ""][i]
            r = requests.post(f"{proc.url}/api/v1/tickets/{t['token']}/survey", timeout=10,
                              json={"answers": answers(scores), "comment": comment,
                                    "profile": {"sex": "LP"[i % 2], "age": "30_39"}})
            assert r.status_code == 201, r.text
        page = new_page(browser)
        sign_in(page, f"{proc.url}/admin/login", "kadis", PASSWORD)
        page.click("#nav-survey")
        expect(page.locator("#skm-ikm .n")).to_have_text("83,33")  # the regulation's decimal comma
        expect(page.locator("#skm-kinerja")).to_have_text("Baik")
        expect(page.locator("#skm-elements tr.weakest")).to_have_attribute("data-code", "U8")
        expect(page.locator("#skm-unit")).to_have_text("3,3333")
        comment = page.locator("#skm-suggestions .comment").first
        expect(comment).to_have_text("=1+1 kursi kurang")
        expect(page.locator("#skm-suggestions .comment").nth(1)).to_have_text("Ruang tunggu panas, <b>AC</b> mati")
        assert page.locator("#skm-suggestions b").count() == 0  # shown escaped, never as markup
        first = page.locator("#skm-suggestions article").first
        first.locator("select").select_option("ditindaklanjuti")
        first.locator("input[name=reply]").fill("Kursi tambahan dipesan")
        first.locator("button").click()
        expect(page.locator(".flash.ok[role=status]")).to_have_text("Tindak lanjut disimpan.")
        expect(page.locator("#skm-suggestions article").first.locator(".reply")).to_contain_text("Kursi tambahan dipesan")
        page.evaluate("window.scrollTo(0, 0)")  # the redirect scrolled to the suggestion; sticky parts follow
        shot(page, "survey-report.png", tmp_path, full_page=True)
        cookies = {c["name"]: c["value"] for c in page.context.cookies()}
        xlsx = requests.get(f"{proc.url}/admin/survey.xlsx", cookies=cookies, timeout=10)
        assert xlsx.status_code == 200 and xlsx.headers["Content-Type"].startswith("application/vnd.openxml")
        book = load_workbook(BytesIO(xlsx.content))
        rows = {r[0]: r[1] for r in book["IKM"].iter_rows(values_only=True) if r and r[0]}
        assert rows["IKM"] == 83.33 and rows["Mutu pelayanan"] == "B"
        cells = [row[3] for row in book["Saran"].iter_rows(min_row=2)]
        assert [(c.value, c.data_type) for c in cells][0] == ("=1+1 kursi kurang", "s")  # text, not a formula
        page.goto(f"{proc.url}/admin/survey/print")
        expect(page.locator("#print-ikm")).to_have_text("83,33")
        expect(page.locator("#print-mutu")).to_have_text("B")
        shot(page, "survey-print.png", tmp_path, full_page=True)
        other = new_page(browser)
        sign_in(other, f"{proc.url}/admin/login", "kabid", PASSWORD)
        response = other.goto(f"{proc.url}/admin/survey?agency=DUKCAPIL")
        assert response is not None and response.status == 403
        other.goto(f"{proc.url}/admin/survey")
        expect(other.locator("#skm-none")).to_be_visible()
        assert page.js_errors == [] and other.js_errors == []  # type: ignore[attr-defined]
    finally:
        proc.stop()
