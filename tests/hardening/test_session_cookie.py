"""The cookie session's short cuts (server/session_cookie.py) keep Flask's answers: an API call without a cookie
gets no Set-Cookie and the same `Vary: Cookie`; a page that fills the session still sets its cookie, and the next
request with that cookie reads it back."""

import re

import pytest

from server.app import create_app
from support import in_process_config


@pytest.fixture
def client(tmp_path):
    app, _ = create_app(in_process_config(tmp_path))
    return app.test_client()


def test_an_api_call_without_a_cookie_sets_none_and_says_it_varies_by_cookie(client):
    answer = client.get("/api/v1/services")
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers
    assert answer.headers.getlist("Vary") == ["Cookie"]


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "the login form carries a CSRF token"
    return match.group(1)


def test_a_form_page_sets_the_session_cookie_and_the_next_request_reads_it_back(client):
    first = client.get("/admin/login")
    assert first.status_code == 200
    assert client.get_cookie("session") is not None  # the form's CSRF secret is kept in the session
    assert first.headers.getlist("Vary") == ["Cookie"]
    again = client.get("/admin/login")
    assert "Set-Cookie" not in again.headers  # read back from the cookie, not made anew
    assert csrf_token(again.get_data(as_text=True)).split(".")[0] == csrf_token(first.get_data(as_text=True)).split(".")[0]
