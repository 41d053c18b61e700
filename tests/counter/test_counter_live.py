"""The counter screen stays live: two clerks racing for one line, and a server restart the page rides out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from counter_kit import (
    issue,
    landed,
    login,
    new_page,
    open_counter,
    open_counter_status,
    seed_accounts,
    shot,
    view,
    wait_current,
    wait_enabled,
)
from playwright.sync_api import Browser, Page
from site_day import faketime_env, sample_config

from support import Api, ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.screenshots]
RACE_ROUNDS = 4
RECOVER_MS = 20_000
FIRE_DELAY_MS = 150  # both pages click at the same wall-clock moment, this far in the future


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("counter-live")


@pytest.fixture(scope="module")
def server(workdir: Path) -> Iterator[dict[str, ServerProcess]]:
    """The server in a box, so the restart test can swap in a new process on the same port and database."""
    proc = ServerProcess(workdir, sample_config(), env=faketime_env()).start()
    box = {"proc": proc}
    yield box
    box["proc"].stop()


@pytest.fixture(scope="module", autouse=True)
def kiosk(server: dict[str, ServerProcess]) -> Api:
    proc = server["proc"]
    return Api(proc.url, seed_accounts(proc, {"ani": ["L01", "L07"], "dedi": ["L02"]}, "kios-live"))




@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("counter-live-shots")


def signed_in(browser: Browser, base: str, username: str, counter: str) -> Page:
    page = new_page(browser)
    login(page, base, username)
    landed(page)
    open_counter(page, base, counter)
    open_counter_status(page)
    return page


def fire_together(pages: list[Page]) -> None:
    """Click Panggil on every page at one instant (a shared wall-clock deadline; same machine, same clock)."""
    at = pages[0].evaluate("d => Date.now() + d", FIRE_DELAY_MS)
    for page in pages:
        page.evaluate("""at => setTimeout(() => document.getElementById('btn-call').click(),
                                             Math.max(0, at - Date.now()))""", at)


def test_two_clerks_sharing_a_service_pressing_panggil_together_never_get_the_same_ticket(
        browser: Browser, server: dict[str, ServerProcess], kiosk: Api) -> None:
    base = server["proc"].url
    ani, dedi = signed_in(browser, base, "ani", "L01"), signed_in(browser, base, "dedi", "L02")
    seen: set[str] = set()
    for _ in range(RACE_ROUNDS):
        issued = {issue(kiosk, "NIB")["number"] for _ in range(2)}
        for page in (ani, dedi):
            page.wait_for_function("() => window.antreCounter.view.waiting.length >= 2")
            wait_enabled(page, "call")
        fire_together([ani, dedi])
        a, d = wait_current(ani, "called"), wait_current(dedi, "called")
        assert a is not None and d is not None
        assert a["number"] != d["number"]
        assert {a["number"], d["number"]} == issued
        assert not {a["number"], d["number"]} & seen
        seen |= issued
        for page in (ani, dedi):
            page.click("#btn-skip")
            wait_current(page, None)
    assert ani.js_errors == [] and dedi.js_errors == []  # type: ignore[attr-defined]
    ani.context.close()
    dedi.context.close()


def test_after_a_server_restart_the_screen_says_it_is_offline_then_recovers_by_itself(
        browser: Browser, server: dict[str, ServerProcess], kiosk: Api, workdir: Path, shots: Path) -> None:
    old = server["proc"]
    page = signed_in(browser, old.url, "ani", "L07")
    first = issue(kiosk, "PBI")
    page.wait_for_function("n => window.antreCounter.view.waiting.some(w => w.number === n)", arg=first["number"])
    page.click("#btn-call")
    assert wait_current(page, "called")["number"] == first["number"]

    old.stop()
    page.wait_for_selector("#banner-offline:not([hidden])")
    assert page.inner_text("#conn-state") == "Terputus"
    assert page.inner_text("#current-number") == first["number"], "the screen keeps what it knows"
    assert all(page.is_disabled(f"#btn-{a}") for a in ("call", "recall", "start", "skip", "transfer", "pause"))
    shot(page, "disconnected", shots)

    server["proc"] = ServerProcess(workdir, sample_config(), port=old.port, env=old.env).start()  # same clock
    page.wait_for_selector("#conn-state[data-state=online]", timeout=RECOVER_MS)
    assert page.is_hidden("#banner-offline")
    wait_enabled(page, "start")
    page.click("#btn-start")
    wait_current(page, "serving")
    page.keyboard.press("F4")
    wait_current(page, None)
    second = issue(kiosk, "PBI")  # issued after the restart: the live line still updates
    page.wait_for_function("n => window.antreCounter.view.waiting.some(w => w.number === n)", arg=second["number"])
    open_counter_status(page)  # whether a restart leaves the counter open is the server's business
    page.keyboard.press("F1")
    assert wait_current(page, "called")["number"] == second["number"]
    assert view(page)["today"]["served"] == 1
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_when_the_office_gives_the_loket_another_service_the_open_page_serves_it_without_a_reload(
        browser: Browser, server: dict[str, ServerProcess], kiosk: Api) -> None:
    proc = server["proc"]
    page = signed_in(browser, proc.url, "dedi", "L02")
    assert view(page)["services"] == ["NIB"]
    admin = Api(proc.url).login("admin", proc.admin_password())
    assert admin.patch("/counters/L02", {"services": ["NIB", "NONUSAHA"]}).status_code == 200
    page.wait_for_function("() => window.antreCounter.view.services.includes('NONUSAHA')", timeout=2_000)
    ticket = issue(kiosk, "NONUSAHA")  # the new service's line reaches the page live
    page.wait_for_function("n => window.antreCounter.view.waiting.some(w => w.number === n)", arg=ticket["number"])
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()
