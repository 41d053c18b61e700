"""The front page's "Lacak Nomor Antrean": today's ticket found by its printed number, read-only (no token, so no
cancel), an unknown number told plainly, and the lookup counted against the citizen's booking rate limit."""

import pytest

from server.app import create_app
from server.config import config_from_dict
from server.services import tickets
from support import site_config


@pytest.fixture
def app(tmp_path):
    raw = site_config()
    raw["booking"]["rate_limit"] = "4/minute"
    raw["server"]["async_mode"] = "threading"
    raw["storage"]["url"] = f"sqlite:///{tmp_path / 'antre.db'}"
    app, _ = create_app(config_from_dict(raw))  # in-process: the limiter is the same, the start is faster
    return app


def issue(app, service):
    info, _ = tickets.issue_ticket(app.extensions["antre"], service)
    return info.ticket


def test_a_ticket_is_found_by_its_number_as_typed_and_the_page_holds_no_token(app):
    first, second = issue(app, "KTP"), issue(app, "KTP")
    page = app.test_client().get("/lacak", query_string={"nomor": " " + second.number.lower().replace("00", "0")})
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text
    assert second.number in text and "menunggu" in text and '<dd id="ahead">1 orang</dd>' in text
    assert second.token not in text and first.token not in text and "/t/" not in text
    assert page.headers["Cache-Control"] == "no-store"
    assert 'http-equiv="refresh"' in text  # a waiting ticket's page keeps itself current


def test_an_unknown_number_says_so_and_keeps_what_was_typed(app):
    page = app.test_client().get("/lacak", query_string={"nomor": "Z999"})
    text = page.get_data(as_text=True)
    assert page.status_code == 404
    assert "Nomor <b>Z999</b> tidak ada hari ini" in text and 'value="Z999"' in text


def test_looking_up_numbers_is_rate_limited_per_address_like_the_booking_lookup(app):
    client = app.test_client()
    answers = [client.get("/lacak", query_string={"nomor": f"A{n:03d}"}).status_code for n in range(1, 6)]
    assert answers == [404, 404, 404, 404, 429]
    assert "Terlalu banyak permintaan" in client.get("/lacak", query_string={"nomor": "A001"}).get_data(as_text=True)
    other = client.get("/lacak", query_string={"nomor": "A001"}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 404  # another address has its own allowance
    assert client.get("/").status_code == 200  # the front page itself is not counted
