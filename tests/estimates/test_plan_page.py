"""The staffing plan page of the console in a real browser, on demo history: counters per hour (Erlang C and the
simulated day) beside the counters scheduled; a supervisor plans their own agency's services only; the screenshot
plan-page.png (issue 15: 5)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from browser_kit import new_page, shot, sign_in
from playwright.sync_api import Browser
from site_day import SHOT_DAY, SUPERVISOR, server_with_history

from support import PASSWORD

pytestmark = [pytest.mark.timeout(300), pytest.mark.screenshots]
DAY = SHOT_DAY + timedelta(days=1)  # the day planned: tomorrow; 8 days of history hold its weekday once


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    proc = server_with_history(tmp_path_factory.mktemp("plan-page"), 8)
    yield proc
    proc.stop()
    assert "Traceback" not in proc.log()


@pytest.mark.slow
def test_the_plan_page_shows_counters_needed_per_hour_beside_those_scheduled(server, browser: Browser,  # type: ignore[no-untyped-def]
                                                                           tmp_path: Path) -> None:
    page = new_page(browser)
    sign_in(page, f"{server.url}/admin/login", "admin", server.admin_password())
    page.goto(f"{server.url}/admin/plan?service=KTP&date={DAY.isoformat()}&weeks=1")
    rows = page.locator("#table-plan tbody tr")
    assert rows.count() >= 4  # the hours KTP had visitors on that weekday
    for row in rows.all():
        hour, arrivals, erlang, needed, scheduled, _ = row.locator("td").all_inner_texts()
        assert hour.endswith(":00") and float(arrivals) >= 0
        assert int(needed) >= 1 and int(erlang) >= 0 and int(scheduled) == 2  # L04 and L05 serve KTP all day
    assert "1 minggu terakhir" in page.locator("#plan-basis").inner_text()
    assert page.locator("#nav-plan.on").count() == 1
    assert page.js_errors == []
    shot(page, "plan-page.png", tmp_path, full_page=True)


@pytest.mark.slow
def test_a_supervisor_plans_only_their_agency_s_services(server, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    page = new_page(browser)
    sign_in(page, f"{server.url}/admin/login", SUPERVISOR, PASSWORD)
    page.goto(f"{server.url}/admin/plan")
    assert {o.split(" ·")[0] for o in page.locator("#plan-service option").all_inner_texts()} == {"KTP", "KK", "AKTA"}
    refused = page.goto(f"{server.url}/admin/plan?service=PASPOR")
    assert refused is not None and refused.status == 403
