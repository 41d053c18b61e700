"""The session sweep in-process: it closes exactly the sockets whose token died (device revoked, user disabled,
logged out) and leaves the others open; refused connections are not kept."""

import pytest

from server.app import create_app
from server.config import config_from_dict
from server.domain.accounts import Principal
from server.realtime import sessions
from server.realtime.hub import Hub
from server.services import accounts
from server.services import admin_accounts as admin
from support import site_config

SYSTEM = Principal("system", "test", "admin")


@pytest.fixture
def app(tmp_path, monkeypatch):
    # The background loop sweeps once at the first connect and then waits: the test sweeps by hand.
    monkeypatch.setattr(sessions, "SWEEP_INTERVAL_SECS", 3600)
    raw = site_config()
    raw["server"]["async_mode"] = "threading"
    raw["storage"]["url"] = f"sqlite:///{tmp_path / 'antre.db'}"
    flask_app, socketio = create_app(config_from_dict(raw))
    ctx = flask_app.extensions["antre"]
    hub = next(h for h in (getattr(f, "__self__", None) for f in ctx.listeners) if isinstance(h, Hub))
    yield flask_app, socketio, ctx, hub.sessions
    ctx.engine.dispose()


def test_the_sweep_closes_only_the_sockets_whose_token_died(app):
    flask_app, socketio, ctx, watched = app
    kiosk, kiosk_token = admin.create_device(ctx, SYSTEM, "kiosk-1", "kiosk")
    _, tv_token = admin.create_device(ctx, SYSTEM, "tv-1", "display")
    siti = admin.create_user(ctx, SYSTEM, "siti", "clerk", "rahasia-123", counters=["L05"])
    admin.create_user(ctx, SYSTEM, "budi", "clerk", "rahasia-123", counters=["L04"])
    budi_token = accounts.login(ctx, "budi", "rahasia-123")
    clients = {
        "kiosk": socketio.test_client(flask_app, namespace="/kiosk", auth={"token": kiosk_token}),
        "tv": socketio.test_client(flask_app, namespace="/display", auth={"token": tv_token}),
        "siti": socketio.test_client(flask_app, namespace="/counter", auth={
            "token": accounts.login(ctx, "siti", "rahasia-123"), "counter": "L05"}),
        "budi": socketio.test_client(flask_app, namespace="/counter", auth={"token": budi_token, "counter": "L04"}),
    }
    namespaces = {"kiosk": "/kiosk", "tv": "/display", "siti": "/counter", "budi": "/counter"}
    assert all(c.is_connected(namespaces[n]) for n, c in clients.items())
    assert watched.sweep() == [] and watched.watched() == 4

    admin.revoke_device(ctx, SYSTEM, kiosk.id)
    admin.disable_user(ctx, SYSTEM, siti.id)
    closed = watched.sweep()
    assert sorted(ns for ns, _ in closed) == ["/counter", "/kiosk"]
    still = {n for n, c in clients.items() if c.is_connected(namespaces[n])}
    assert still == {"tv", "budi"}

    accounts.logout(ctx, budi_token)
    assert len(watched.sweep()) == 1 and not clients["budi"].is_connected("/counter")
    assert clients["tv"].is_connected("/display") and watched.watched() == 1
    clients["tv"].disconnect(namespace="/display")
    assert watched.watched() == 0  # the disconnect handler forgets the socket


def test_a_refused_connection_is_not_watched(app):
    flask_app, socketio, ctx, watched = app
    admin.create_user(ctx, SYSTEM, "siti", "clerk", "rahasia-123", counters=["L05"])
    token = accounts.login(ctx, "siti", "rahasia-123")
    refused = socketio.test_client(flask_app, namespace="/counter", auth={"token": token, "counter": "L01"})
    assert not refused.is_connected("/counter")  # L01 is not siti's counter
    watched.sweep()
    assert watched.watched() == 0
