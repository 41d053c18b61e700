"""The `/board` namespace in-process: who may connect, what each board receives (a supervisor only their agencies'),
and a revoked session closes the board's socket."""

from __future__ import annotations

import pytest

from server.app import create_app
from server.config import config_from_dict
from server.domain.accounts import Principal
from server.realtime import sessions
from server.realtime.board import BOARD, Board
from server.services import accounts, counters
from server.services import admin_accounts as admin
from server.services.tickets import issue_ticket
from support import PASSWORD, site_config

SYSTEM = Principal("system", "test", "admin")
CLERK = Principal("user", "rina", "clerk", counters=("L04", "L13"))


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr(sessions, "SWEEP_INTERVAL_SECS", 3600)  # the test sweeps by hand
    raw = site_config()
    raw["server"]["async_mode"] = "threading"
    raw["storage"]["url"] = f"sqlite:///{tmp_path / 'antre.db'}"
    flask_app, socketio = create_app(config_from_dict(raw))
    ctx = flask_app.extensions["antre"]
    board = next(b for b in (getattr(f, "__self__", None) for f in ctx.listeners) if isinstance(b, Board))
    admin.create_user(ctx, SYSTEM, "kepala", "admin", PASSWORD)
    admin.create_user(ctx, SYSTEM, "sari", "supervisor", PASSWORD, agencies=["DUKCAPIL"])
    admin.create_user(ctx, SYSTEM, "joko", "supervisor", PASSWORD, agencies=["SAMSAT"])
    admin.create_user(ctx, SYSTEM, "rina", "clerk", PASSWORD, counters=["L04", "L13"])
    yield flask_app, socketio, ctx, board
    ctx.engine.dispose()


def _board(flask_app, socketio, ctx, username):
    token = accounts.login(ctx, username, PASSWORD)
    return socketio.test_client(flask_app, namespace=BOARD, auth={"token": token}), token


def _received(client, name="board_event"):
    return [m["args"][0] for m in client.get_received(BOARD) if m["name"] == name]


def test_clerks_devices_and_strangers_get_no_board(app):
    flask_app, socketio, ctx, _board_ns = app
    clerk, _ = _board(flask_app, socketio, ctx, "rina")
    assert not clerk.is_connected(BOARD)
    nobody = socketio.test_client(flask_app, namespace=BOARD, auth={})
    assert not nobody.is_connected(BOARD)
    wrong = socketio.test_client(flask_app, namespace=BOARD, auth={"token": "not-a-token"})
    assert not wrong.is_connected(BOARD)
    _, tv_token = admin.create_device(ctx, SYSTEM, "tv-1", "display")
    tv = socketio.test_client(flask_app, namespace=BOARD, auth={"token": tv_token})
    assert not tv.is_connected(BOARD)


def test_a_supervisor_gets_only_their_agencies_the_admin_everything(app):
    flask_app, socketio, ctx, _board_ns = app
    boards = {name: _board(flask_app, socketio, ctx, name)[0] for name in ("kepala", "sari", "joko")}
    snaps = {name: _received(c, "board_snapshot")[0] for name, c in boards.items()}
    assert {s["agency"] for s in snaps["sari"]["services"]} == {"DUKCAPIL"}
    assert {s["agency"] for s in snaps["joko"]["services"]} == {"SAMSAT"}
    assert len(snaps["kepala"]["services"]) == len(ctx.site.services) and snaps["kepala"]["scope"] is None

    issue_ticket(ctx, "KTP")
    issue_ticket(ctx, "PKB")
    counters.call_next(ctx, CLERK, "L13")
    got = {name: _received(c) for name, c in boards.items()}
    numbers = {name: {e["ticket"]["number"] for e in events if "ticket" in e} for name, events in got.items()}
    assert numbers == {"kepala": {"D001", "M001"}, "sari": {"D001"}, "joko": {"M001"}}
    for event in got["sari"]:
        assert set(event.get("lines", {})) <= {"KTP", "KK", "AKTA"}
        assert "counter" not in event or "KTP" in event["counter"]["services"] or "KK" in event["counter"]["services"]
    call = next(e for e in got["joko"] if e["event"] == "ticket_called")
    assert call["counter"]["code"] == "L13" and call["counter"]["ticket"]["number"] == "M001"
    assert call["counter"]["clerk"] == "rina" and "token" not in call["ticket"]


def test_a_site_change_asks_every_board_for_a_new_snapshot_with_the_new_target(app):
    flask_app, socketio, ctx, _board_ns = app
    client, _ = _board(flask_app, socketio, ctx, "sari")
    client.get_received(BOARD)
    from server.services import site_admin

    site_admin.update_entity(ctx, SYSTEM, "services", "KTP", {"target_wait_minutes": 20})
    assert _received(client, "board_reset")
    snap = client.emit("snapshot", {}, namespace=BOARD, callback=True)
    assert next(s for s in snap["services"] if s["code"] == "KTP")["target_wait_minutes"] == 20


def test_a_logged_out_supervisors_board_is_closed_by_the_sweep(app):
    flask_app, socketio, ctx, board = app
    client, token = _board(flask_app, socketio, ctx, "sari")
    assert client.is_connected(BOARD)
    assert board.sessions.sweep() == []
    accounts.logout(ctx, token)
    assert [ns for ns, _ in board.sessions.sweep()] == [BOARD]
    assert not client.is_connected(BOARD)


def test_a_board_may_ask_for_fewer_agencies_but_never_for_more(app):
    flask_app, socketio, ctx, _board_ns = app
    admin_token = accounts.login(ctx, "kepala", PASSWORD)
    floor = socketio.test_client(flask_app, namespace=BOARD, auth={"token": admin_token, "agencies": ["SAMSAT"]})
    snap = _received(floor, "board_snapshot")[0]
    assert {s["agency"] for s in snap["services"]} == {"SAMSAT"} and snap["scope"] == ["SAMSAT"]
    sari_token = accounts.login(ctx, "sari", PASSWORD)
    greedy = socketio.test_client(flask_app, namespace=BOARD, auth={"token": sari_token, "agencies": ["SAMSAT"]})
    assert _received(greedy, "board_snapshot")[0]["services"] == []
    issue_ticket(ctx, "PKB")
    issue_ticket(ctx, "KTP")
    assert {e["ticket"]["number"] for e in _received(floor) if "ticket" in e} == {"M001"}
    assert _received(greedy) == []
    again = floor.emit("snapshot", {}, namespace=BOARD, callback=True)  # a reset keeps the narrower view
    assert {s["agency"] for s in again["services"]} == {"SAMSAT"}
