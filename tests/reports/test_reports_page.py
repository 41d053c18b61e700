"""The reports page in a real browser on a week of demo-data: every chart renders beside its table, the downloads
work (the XLSX opens with openpyxl), a supervisor is kept to their agency, and the A4 monthly page prints; the
screenshots reports-page.png and reports-monthly.png (issue 13)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from browser_kit import new_page, shot, sign_in
from playwright.sync_api import Browser
from site_day import SHOT_DAY, SUPERVISOR, server_with_history

from support import PASSWORD, Api

CHARTS = ("days", "arrivals", "busiest", "services", "clerks")

# The module fixture simulates days of history through the use cases first: minutes on a busy machine.
pytestmark = [pytest.mark.timeout(300), pytest.mark.screenshots]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    # the sample site with December up to the day before the screenshot day (demo-data ends yesterday by the faked
    # clock): the month so far for the monthly report, the whole of last week for the weekly one
    proc = server_with_history(tmp_path_factory.mktemp("reports-page"), 15)
    yield proc
    proc.stop()
    assert "Traceback" not in proc.log()


def _week() -> str:
    return (SHOT_DAY - timedelta(days=7)).isoformat()  # last week: five open days and a closed weekend


@pytest.mark.slow
def test_the_reports_page_draws_every_chart_beside_its_table(server, browser: Browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = new_page(browser)
    sign_in(page, f"{server.url}/admin/login", "admin", server.admin_password())
    page.goto(f"{server.url}/reports?kind=week&date={_week()}")
    assert page.url.startswith(f"{server.url}/admin/reports")
    for key in CHARTS:
        img = page.locator(f"#chart-{key}")
        assert img.evaluate("i => i.complete && i.naturalWidth > 300"), key  # the SVG decoded and has a size
        assert page.locator(f"#table-{key} tbody tr").count() >= 1, key
    assert page.locator("#table-arrivals td.heat.h5").count() >= 1  # the busiest hour is the darkest cell
    issued = int(page.locator("#tiles .tile .n").first.inner_text())
    api = Api(server.url).login("admin", server.admin_password())
    first, last = page.locator("#report-form input[name=from]").input_value(), \
        page.locator("#report-form input[name=to]").input_value()
    assert issued == api.get("/reports/summary", params={"from": first, "to": last}).json()["issued"] > 0
    closed = page.locator("#table-days tbody tr", has_text="Tutup")
    assert closed.count() >= 1 and "–" in closed.first.inner_text()  # a closed day is not a zero
    assert page.locator("#nav-reports.on").count() == 1
    assert page.js_errors == []
    shot(page, "reports-page.png", tmp_path, full_page=True)
    with page.expect_download() as download:
        page.click("#dl-xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "Per petugas" in book.sheetnames and book["Ringkasan"]["B1"].value == "Mal Pelayanan Publik Kota Samarinda"


@pytest.mark.slow
def test_a_supervisor_sees_their_agency_and_is_refused_another(server, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    page = new_page(browser)
    sign_in(page, f"{server.url}/admin/login", SUPERVISOR, PASSWORD)
    page.goto(f"{server.url}/admin/reports?kind=week&date={_week()}")
    options = page.locator("#agency option").all_inner_texts()
    assert options[1:] == ["Dinas Kependudukan dan Pencatatan Sipil"]
    assert set(page.locator("#table-services tbody td:first-child").all_inner_texts()) <= {"KTP", "KK", "AKTA"}
    refused = page.goto(f"{server.url}/admin/reports?kind=week&date={_week()}&agency=IMIGRASI")
    assert refused is not None and refused.status == 403


@pytest.mark.slow
def test_the_monthly_report_prints_on_a4_with_the_site_and_period(server, browser: Browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = new_page(browser, {"width": 900, "height": 1270})
    sign_in(page, f"{server.url}/admin/login", "admin", server.admin_password())
    month = (SHOT_DAY - timedelta(days=1)).strftime("%Y-%m")
    page.goto(f"{server.url}/admin/reports/monthly?month={month}")
    assert page.locator("#monthly-report .site").inner_text().upper() == "MAL PELAYANAN PUBLIK KOTA SAMARINDA"
    assert page.locator("#monthly-period").inner_text().endswith(month[:4])
    shot(page, "reports-monthly.png", tmp_path, full_page=True)
    page.emulate_media(media="print")
    assert page.locator("#print").is_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and 1 <= pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>") <= 3
