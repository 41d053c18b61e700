"""The counter terminal's server-side pages over plain HTTP: CSRF, login, counter assignment, logout, headers."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import pytest
import requests
from counter_kit import PASSWORD, seed_accounts

from support import Api, ServerProcess, site_config

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CONFIG = re.compile(r'<script type="application/json" id="counter-config">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("counter-pages"), site_config()).start()
    seed_accounts(proc, {"joko": ["L04"], "tanpa-loket": [], "lurah": ["SDD1"]}, "kios-halaman")
    yield proc
    proc.stop()


def csrf(session: requests.Session, url: str) -> str:
    match = CSRF.search(session.get(url, timeout=10).text)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def signed_in(server: ServerProcess, username: str = "joko") -> requests.Session:
    s = requests.Session()
    token = csrf(s, f"{server.url}/counter/login")
    r = s.post(f"{server.url}/counter/login", data={"csrf_token": token, "username": username, "password": PASSWORD},
               allow_redirects=False, timeout=10)
    assert r.status_code == 302 and r.headers["Location"].endswith("/counter/"), r.text
    return s


def bearer_of(session: requests.Session, server: ServerProcess, code: str = "L04") -> str:
    page = session.get(f"{server.url}/counter/{code}", timeout=10)
    assert page.status_code == 200
    return json.loads(CONFIG.search(page.text).group(1))["token"]


def test_a_login_post_without_the_csrf_token_is_refused_and_signs_nobody_in(server: ServerProcess) -> None:
    s = requests.Session()
    r = s.post(f"{server.url}/counter/login", data={"username": "joko", "password": PASSWORD}, timeout=10)
    assert r.status_code == 400
    assert "kedaluwarsa" in r.text
    assert s.get(f"{server.url}/counter/", allow_redirects=False, timeout=10).status_code == 302


def test_a_wrong_password_gets_a_clear_message_and_the_right_one_a_session(server: ServerProcess) -> None:
    s = requests.Session()
    token = csrf(s, f"{server.url}/counter/login")
    r = s.post(f"{server.url}/counter/login", data={"csrf_token": token, "username": "joko", "password": "keliru-99"},
               timeout=10)
    assert r.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in r.text
    s = signed_in(server)
    choose = s.get(f"{server.url}/counter/", allow_redirects=False, timeout=10)
    # joko has one loket: nothing to choose, straight to its working screen (two lokets: tests/counter/test_counter_screen)
    assert choose.status_code == 302 and choose.headers["Location"].endswith("/counter/L04")


def test_the_working_page_embeds_a_live_bearer_token_and_is_never_cached(server: ServerProcess) -> None:
    s = signed_in(server)
    page = s.get(f"{server.url}/counter/L04", timeout=10)
    assert page.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    me = Api(server.url, bearer_of(s, server)).get("/auth/me").json()
    assert me["name"] == "joko" and me["counters"] == ["L04"]
    config = json.loads(CONFIG.search(page.text).group(1))
    # the page's timers run on the site's clock, at its rate (1 on a real site; a demo's is its speed)
    assert config["clockRate"] == 1.0 and abs(config["serverNowMs"] / 1000 - time.time()) < 60


def test_the_transfer_dialog_gets_only_the_agencies_of_the_counters_own_building(server: ServerProcess) -> None:
    def boot(user: str, code: str) -> dict:
        page = signed_in(server, user).get(f"{server.url}/counter/{code}", timeout=10)
        return json.loads(CONFIG.search(page.text).group(1))

    mpp = boot("joko", "L04")["placeAgencies"]
    assert "DUKCAPIL" in mpp and len(mpp) > 5 and not [a for a in mpp if a.startswith("KEL-")]
    assert boot("lurah", "SDD1")["placeAgencies"] == ["KEL-SIDODADI"]


def test_a_counter_not_assigned_and_an_unknown_counter_each_get_their_own_message(server: ServerProcess) -> None:
    s = signed_in(server)
    other = s.get(f"{server.url}/counter/L05", timeout=10)
    assert other.status_code == 403 and "Anda tidak ditugaskan di Loket 5." in other.text
    unknown = s.get(f"{server.url}/counter/L99", timeout=10)
    assert unknown.status_code == 404 and "Loket &#39;L99&#39; tidak ada." in unknown.text


def test_a_clerk_without_counters_is_told_to_ask_the_admin(server: ServerProcess) -> None:
    page = signed_in(server, "tanpa-loket").get(f"{server.url}/counter/", timeout=10)
    assert "belum ditugaskan di loket mana pun" in page.text


def test_logout_needs_the_csrf_token_and_then_revokes_the_bearer_token(server: ServerProcess) -> None:
    s = signed_in(server)
    bearer = bearer_of(s, server)
    forged = s.post(f"{server.url}/counter/logout", data={}, allow_redirects=False, timeout=10)
    assert forged.status_code == 302 and Api(server.url, bearer).get("/auth/me").status_code == 200
    token = csrf(s, f"{server.url}/counter/L04")
    r = s.post(f"{server.url}/counter/logout", data={"csrf_token": token}, allow_redirects=False, timeout=10)
    assert r.status_code == 302 and "reason=logout" in r.headers["Location"]
    assert Api(server.url, bearer).get("/auth/me").json()["error"]["code"] == "invalid_token"
    assert "login" in s.get(f"{server.url}/counter/L04", allow_redirects=False, timeout=10).headers["Location"]


def test_a_session_whose_token_was_revoked_returns_to_login_saying_the_session_ended(server: ServerProcess) -> None:
    s = signed_in(server)
    assert Api(server.url, bearer_of(s, server)).post("/auth/logout").ok
    r = s.get(f"{server.url}/counter/L04", timeout=10)
    assert "/counter/login" in r.url
    assert "Sesi berakhir, silakan masuk lagi." in r.text


def test_login_never_sends_the_clerk_to_another_site_afterwards(server: ServerProcess) -> None:
    s = requests.Session()
    token = csrf(s, f"{server.url}/counter/login")
    for target in ("//evil.example/x", "https://evil.example/", "/counter/L04"):
        r = s.post(f"{server.url}/counter/login", params={"next": target},
                   data={"csrf_token": token, "username": "joko", "password": PASSWORD}, allow_redirects=False,
                   timeout=10)
        assert r.status_code == 302
        assert r.headers["Location"] == ("/counter/L04" if target == "/counter/L04" else "/counter/")


def test_repeated_login_attempts_are_slowed_down_with_a_message(tmp_path) -> None:
    proc = ServerProcess(tmp_path, site_config(server__login_rate_limit="3/minute")).start()
    try:
        s = requests.Session()
        token = csrf(s, f"{proc.url}/counter/login")
        answers = []
        for _ in range(7):  # a fixed window may roll over once in the middle: 2 × 3 + 1 attempts always hit it
            r = s.post(f"{proc.url}/counter/login", data={"csrf_token": token, "username": "siapa", "password": "x" * 9},
                       timeout=10)
            answers.append(r.status_code)
            if r.status_code == 429:
                assert "Terlalu banyak percobaan masuk" in r.text
                break
        assert answers[-1] == 429 and set(answers[:-1]) == {401}
    finally:
        proc.stop()
