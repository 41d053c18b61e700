"""The HTTP path's short cuts (issue 11, session 8) keep every answer as it was: answers are the bytes Flask's
`jsonify` writes, the input checks' pre-filters refuse exactly what the full checks refuse, and remembering which
hooks are plain functions never runs a coroutine function as one."""

import json
from datetime import UTC, date, datetime

import pytest
from flask import jsonify

from server.api import answers
from server.app import create_app
from support import in_process_config


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    flask_app, _ = create_app(in_process_config(tmp_path_factory.mktemp("fast-path")))
    return flask_app


def test_an_answer_is_written_byte_for_byte_as_jsonify_writes_it(app):
    data = {"z": 1, "a": [None, True, 2.5, {"nested": "Pelayanan – KTP é 你好"}], "when": datetime(2026, 12, 6, 9, 30,
            tzinfo=UTC), "day": date(2026, 12, 6), "empty": {}, "quote": 'a "b" \\ c\n'}
    with app.app_context():
        ours, status = answers.reply(answers.Ok, data, 201)
        flask_s = jsonify(data)
    assert status == 201
    assert ours.get_data() == flask_s.get_data()
    assert list(ours.headers.items()) == list(flask_s.headers.items())


def post(client, body: bytes, content_type: str = "application/json"):
    return client.post("/api/v1/auth/token", data=body, headers={"Content-Type": content_type})


@pytest.mark.parametrize("depth, refused", [(32, False), (33, True)])
def test_nesting_is_refused_from_one_level_past_the_limit(app, depth, refused):
    answer = post(app.test_client(), b"[" * depth + b"]" * depth)
    assert (answer.get_json()["error"]["code"] == "json_too_deep") is refused


@pytest.mark.parametrize("body", [
    b'{"username": "\xed\xa0\x80", "password": "rahasia-123"}',  # UTF-8's bytes of a lone surrogate
    '{"username": "\ud800", "password": "rahasia-123"}'.encode("utf-16-le", "surrogatepass"),  # UTF-16: NUL bytes
    b'{"username": "admin", "password": "a\\u0000b"}',  # an escape
    b'{"username": "admin", "pass\\ud800": "x", "password": "rahasia-123"}',  # an escaped surrogate in a key
], ids=["utf8-surrogate-bytes", "utf16", "escaped-nul", "escaped-surrogate-key"])
def test_bad_text_is_refused_however_the_body_spells_it(app, body):
    answer = post(app.test_client(), body)
    assert answer.status_code == 422
    assert answer.get_json()["error"]["code"] == "invalid_text"


def test_a_clean_body_still_reaches_the_view(app):
    answer = post(app.test_client(), json.dumps({"username": "nobody", "password": "salah-sekali"}).encode())
    assert answer.status_code == 401  # the view ran: wrong credentials, not a refused body


def test_a_coroutine_function_is_never_remembered_as_a_plain_one(app):
    def plain():
        return None

    async def coroutine():
        return None

    assert app.ensure_sync(plain) is plain and app.ensure_sync(plain) is plain
    for _ in range(2):  # Flask without its async extra refuses it, the second time too
        with pytest.raises(RuntimeError):
            app.ensure_sync(coroutine)
