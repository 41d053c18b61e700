"""The clerk's counter screen in headless Chromium against a real server: login, every action, keys, language."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import socketio
from counter_kit import (
    issue,
    login,
    new_page,
    open_counter,
    open_counter_status,
    page_token,
    seed_accounts,
    shot,
    view,
    wait_current,
    wait_enabled,
)
from playwright.sync_api import Browser, Page, Request
from playwright.sync_api import Error as PlaywrightError
from site_day import faketime_env, sample_config

from support import Api, ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.screenshots]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("counter-screen"), sample_config(), env=faketime_env()).start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module", autouse=True)
def kiosk_token(server: ServerProcess) -> str:
    """The clerks (budi, rina) and the kiosk every test here uses; returns the kiosk's token."""
    return seed_accounts(server, {"budi": ["L04", "L06"], "rina": ["L10", "L13", "L14"]}, "kios-lobi")


@pytest.fixture(scope="module")
def kiosk(server: ServerProcess, kiosk_token: str) -> Api:
    return Api(server.url, kiosk_token)




@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("counter-shots")


@pytest.fixture(scope="module")
def rina(browser: Browser, server: ServerProcess) -> Page:
    """One signed-in page reused by the tests that need no particular login flow."""
    page = new_page(browser)
    login(page, server.url, "rina")
    page.wait_for_url("**/counter/")
    return page


def free_the_counter(page: Page) -> None:
    """End whatever ticket the counter still has, so a test starts from an idle counter."""
    current = view(page)["current"]
    if current is not None:
        page.click("#btn-finish" if current["status"] == "serving" else "#btn-skip")
        wait_current(page, None)


def test_a_wrong_password_is_refused_with_a_message_then_the_right_one_shows_the_clerks_counters(
        browser: Browser, server: ServerProcess, shots: Path) -> None:
    page = new_page(browser)
    page.goto(f"{server.url}/counter/L04")
    assert "/counter/login" in page.url
    assert "Silakan masuk" in page.inner_text("#notice")
    login(page, server.url, "budi", "salah-sekali")
    assert page.inner_text("#login-error") == "Nama pengguna atau kata sandi salah."
    shot(page, "login", shots)
    login(page, server.url, "budi")
    page.wait_for_url("**/counter/")
    choices = page.eval_on_selector_all("a.counter-choice", "els => els.map(e => e.dataset.counter)")
    assert choices == ["L04", "L06"]
    assert "KTP Elektronik" in page.inner_text("a[data-counter=L04]")
    shot(page, "choose", shots)
    page.click("a[data-counter=L04]")
    page.wait_for_selector("#conn-state[data-state=online]")
    assert page.inner_text("#counter-name") == "Loket 4"
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_call_start_finish_by_buttons_and_keys_with_only_legal_actions_enabled(
        rina: Page, server: ServerProcess, kiosk: Api, shots: Path) -> None:
    first = issue(kiosk, "PASPOR")
    second = issue(kiosk, "PASPOR", "lansia")
    open_counter(rina, server.url, "L10")
    assert [w["number"] for w in view(rina)["waiting"]] == [first["number"], second["number"]]
    assert rina.is_disabled("#btn-start") and rina.is_disabled("#btn-finish")
    shot(rina, "idle", shots)
    open_counter_status(rina)

    rina.click("#btn-call")
    current = wait_current(rina, "called")
    assert current["number"] == second["number"], "the priority ticket comes first"
    assert rina.inner_text("#current-number") == second["number"]
    assert rina.inner_text("#current-priority") == "Lansia"
    assert "Dipanggil" in rina.inner_text("#current-timer")
    assert rina.is_disabled("#btn-call") and rina.is_disabled("#btn-finish")
    assert not rina.is_disabled("#btn-start") and not rina.is_disabled("#btn-skip")
    assert [li for li in rina.eval_on_selector_all("#waiting-list li", "l => l.map(e => e.dataset.number)")] == [
        first["number"]]
    shot(rina, "called", shots)

    rina.keyboard.press("F3")
    wait_current(rina, "serving")
    assert "Dilayani selama" in rina.inner_text("#current-timer")
    assert rina.is_disabled("#btn-skip") and not rina.is_disabled("#btn-finish")
    shot(rina, "serving", shots)
    rina.keyboard.press("F4")
    wait_current(rina, None)
    rina.wait_for_selector("#today-served:text('1')")
    ticket = kiosk.get(f"/tickets/{second['token']}").json()
    assert ticket["status"] == "done" and ticket["counter"] == "L10"
    assert rina.js_errors == []  # type: ignore[attr-defined]


def test_finish_and_call_next_on_f10_sends_finish_then_call_once_even_when_pressed_twice(
        rina: Page, server: ServerProcess, kiosk: Api, shots: Path) -> None:
    open_counter(rina, server.url, "L10")
    open_counter_status(rina)
    free_the_counter(rina)
    issue(kiosk, "PASPOR")
    issue(kiosk, "PASPOR")
    rina.keyboard.press("F1")
    served = wait_current(rina, "called")
    assert rina.is_disabled("#btn-finishNext"), "legal only while a ticket is being served"
    rina.keyboard.press("F3")
    wait_current(rina, "serving")
    wait_enabled(rina, "finishNext")
    following, served_before = view(rina)["waiting"][0]["number"], view(rina)["today"]["served"]
    posts: list[str] = []

    def count(request: Request) -> None:
        if request.method == "POST" and "/counters/L10/" in request.url:
            posts.append(request.url.rsplit("/", 1)[1])

    rina.on("request", count)
    rina.keyboard.press("F10")
    rina.keyboard.press("F10")  # pressed again while the pair is on its way: buttons are off, nothing more is sent
    rina.wait_for_function("n => window.antreCounter.view.current?.number === n", arg=following)
    rina.wait_for_function("() => !window.antreCounter.inFlight")
    rina.remove_listener("request", count)
    assert posts == ["finish", "call-next"]
    assert view(rina)["current"]["status"] == "called"
    assert view(rina)["today"]["served"] == served_before + 1
    assert rina.inner_text("#message") == f"Antrean {served['number']} selesai; {following} dipanggil."
    assert "F10" in rina.inner_text("#btn-finishNext") and "F10" in rina.inner_text("footer.keys")
    shot(rina, "finish-next", shots)
    assert rina.js_errors == []  # type: ignore[attr-defined]


def test_a_page_whose_socket_script_failed_says_so_instead_of_connecting_forever(
        browser: Browser, server: ServerProcess, shots: Path) -> None:
    page = new_page(browser)
    login(page, server.url, "rina")
    page.route("**/socket.io.min.js", lambda route: route.abort())
    page.goto(f"{server.url}/counter/L10")
    page.wait_for_selector("#banner-problem[data-problem=noscript]:not([hidden])")
    assert page.get_attribute("#conn-state", "data-state") == "failed"
    assert page.inner_text("#conn-state") == "Tidak tersambung"
    assert "Socket.IO" in page.inner_text("#problem-title") and "Ctrl+R" in page.inner_text("#problem-hint")
    assert page.is_disabled("#btn-call")
    shot(page, "no-socket", shots)
    page.click("#lang-toggle")
    assert page.inner_text("#problem-title") == "The connection component (Socket.IO) failed to load"
    page.context.close()


def test_a_socket_that_never_opens_is_explained_after_a_few_seconds(browser: Browser, server: ServerProcess) -> None:
    page = new_page(browser)
    login(page, server.url, "rina")
    page.route_web_socket("**/socket.io/**", lambda ws: None)  # a proxy that swallows the WebSocket
    page.goto(f"{server.url}/counter/L10")
    assert page.get_attribute("#conn-state", "data-state") == "connecting"
    page.wait_for_selector("#banner-problem[data-problem=stuck]:not([hidden])")
    assert page.inner_text("#problem-title") == "Belum tersambung ke server"
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_a_skipped_ticket_is_listed_and_called_back_from_the_list(
        rina: Page, server: ServerProcess, kiosk: Api, shots: Path) -> None:
    ticket = issue(kiosk, "PKB")
    open_counter(rina, server.url, "L13")
    open_counter_status(rina)
    rina.keyboard.press("F1")
    assert wait_current(rina, "called")["number"] == ticket["number"]
    rina.click("#btn-skip")
    wait_current(rina, None)
    recall = rina.locator(f"#skipped-list li[data-number={ticket['number']}] button.recall-skipped")
    recall.wait_for()
    assert rina.inner_text("#today-skipped") == "1"
    row_text = rina.inner_text(f"#skipped-list li[data-number={ticket['number']}]")
    assert re.search(r"\b\d\d\.\d\d\b", row_text) and not re.search(r"\d\d:\d\d", row_text), row_text  # 09.30
    shot(rina, "skipped", shots)
    recall.click()
    current = wait_current(rina, "called")
    assert current["number"] == ticket["number"] and current["recalls"] == 1
    assert rina.query_selector(f"#skipped-list li[data-number={ticket['number']}]") is None
    rina.click("#btn-recall")  # Panggil Ulang of the current ticket
    rina.wait_for_function("() => window.antreCounter.view.current.recalls === 2")
    assert "dipanggil ulang" in rina.inner_text("#message").lower()


def test_transfer_moves_the_ticket_to_the_service_picked_in_the_dialog(
        rina: Page, server: ServerProcess, kiosk: Api, shots: Path) -> None:
    ticket = issue(kiosk, "SKHPN")
    open_counter(rina, server.url, "L14")
    open_counter_status(rina)
    rina.click("#btn-call")
    wait_current(rina, "called")
    rina.keyboard.press("F6")
    rina.wait_for_selector("#transfer-dialog[open]")
    options = rina.eval_on_selector_all("#transfer-service option", "os => os.map(o => o.value)")
    assert "SKHPN" not in options and "PKB" in options
    assert not [o for o in options if o.startswith("SDD-")], "a kelurahan office's services are another building"
    groups = rina.eval_on_selector_all("#transfer-service optgroup", "gs => gs.map(g => g.label)")
    assert len(groups) == len(set(groups)) > 3 and not [g for g in groups if g.startswith("Kelurahan")]
    rina.fill("#transfer-filter", "pajak")
    assert rina.eval_on_selector_all("#transfer-service option", "os => os.map(o => o.value)") == ["PKB"]
    shot(rina, "transfer", shots)
    rina.click("#transfer-confirm")
    wait_current(rina, None)
    moved = kiosk.get(f"/tickets/{ticket['token']}").json()
    assert (moved["service"], moved["status"], moved["number"]) == ("PKB", "waiting", ticket["number"])
    assert "dialihkan" in rina.inner_text("#message")


def test_a_paused_counter_cannot_call_until_it_is_opened_again(
        rina: Page, server: ServerProcess, kiosk: Api, shots: Path) -> None:
    open_counter(rina, server.url, "L13")
    open_counter_status(rina)
    free_the_counter(rina)
    issue(kiosk, "PKB")
    rina.click("#btn-pause")
    rina.wait_for_selector("#counter-status[data-status=paused]")
    assert rina.is_disabled("#btn-call") and not rina.is_disabled("#btn-open")
    rina.keyboard.press("F1")
    rina.wait_for_function("() => !window.antreCounter.inFlight")
    assert view(rina)["current"] is None and len(view(rina)["waiting"]) >= 1
    assert "istirahat" in rina.inner_text("#current-service").lower()
    shot(rina, "paused", shots)
    rina.keyboard.press("F9")
    wait_enabled(rina, "call")
    rina.keyboard.press("F1")
    assert wait_current(rina, "called") is not None


def test_a_double_click_on_panggil_calls_exactly_one_ticket(
        rina: Page, server: ServerProcess, kiosk: Api) -> None:
    for _ in range(3):
        issue(kiosk, "PASPOR")
    open_counter(rina, server.url, "L10")
    open_counter_status(rina)
    free_the_counter(rina)
    line = [w["number"] for w in view(rina)["waiting"]]
    posts: list[str] = []

    def count(request: Request) -> None:
        if request.method == "POST" and "call-next" in request.url:
            posts.append(request.url)

    rina.on("request", count)
    rina.dblclick("#btn-call")
    rina.keyboard.press("F1")  # a third press while the first call is answered changes nothing either
    current = wait_current(rina, "called")
    rina.wait_for_function("n => window.antreCounter.view.waiting.length === n", arg=len(line) - 1)
    rina.remove_listener("request", count)
    assert current["number"] == line[0]
    assert len(posts) == 1
    calls = kiosk.get("/display/snapshot").json()["calls"]
    at_l10 = [t["number"] for t in calls if t["counter"] == "L10"]
    assert at_l10[0] == line[0] and (len(line) < 2 or line[1] not in at_l10)


def test_unprinted_tickets_are_listed_and_a_reprint_goes_to_the_issuing_kiosk(
        rina: Page, server: ServerProcess, kiosk: Api, kiosk_token: str) -> None:
    ticket = issue(kiosk, "PASPOR")
    assert kiosk.post(f"/tickets/{ticket['token']}/printed", {"printed": False, "reason": "paper_out"}).ok
    got = threading.Event()
    reprinted: list[str] = []
    sio = socketio.Client()
    sio.on("reprint", lambda data: (reprinted.append(data["number"]), got.set()), namespace="/kiosk")
    sio.connect(server.url, namespaces=["/kiosk"], transports=["websocket"], auth={"token": kiosk_token})
    try:
        open_counter(rina, server.url, "L10")
        rina.locator(f"#unprinted-list li[data-number={ticket['number']}] button.reprint").click()
        assert got.wait(10), "the kiosk got no reprint request"
        assert reprinted == [ticket["number"]]
        rina.wait_for_function("() => document.getElementById('message').textContent.includes('cetak ulang')")
    finally:
        sio.disconnect()


def test_the_screen_switches_to_english_and_remembers_it(rina: Page, server: ServerProcess) -> None:
    open_counter(rina, server.url, "L10")
    assert rina.inner_text("#btn-call span") == "Panggil"
    rina.click("#lang-toggle")
    assert rina.inner_text("#btn-call span") == "Call next"
    assert rina.inner_text("#conn-state") == "Connected"
    rina.reload()
    rina.wait_for_selector("#conn-state[data-state=online]")
    assert rina.inner_text("#btn-skip span") == "Skip"
    rina.click("#lang-toggle")
    assert rina.inner_text("#btn-skip span") == "Lewati"


def test_a_counter_not_assigned_and_a_revoked_session_each_get_a_clear_message(
        rina: Page, server: ServerProcess) -> None:
    rina.goto(f"{server.url}/counter/L04")
    assert "Anda tidak ditugaskan di Loket 4" in rina.inner_text("#problem")
    open_counter(rina, server.url, "L10")
    assert Api(server.url, page_token(rina)).post("/auth/logout").ok  # the token ends (as when it expires)
    action = "pause" if view(rina)["status"] == "open" else "open"  # read once: the click must match the wait
    # Two paths lead to the login page and either may come first: the clerk's click answered 401, or the server's
    # once-a-second sweep of revoked tokens closing the socket (its reconnect is refused). Both must tell the same.
    try:
        rina.click(f"#btn-{action}:not([disabled])", timeout=5000)
    except PlaywrightError:
        assert "/counter/login" in rina.url, "the button never became clickable and the page did not leave"
    rina.wait_for_url("**/counter/login**")
    assert rina.inner_text("#notice") == "Sesi berakhir, silakan masuk lagi."
