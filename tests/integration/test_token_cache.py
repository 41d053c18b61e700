"""Cached token lookups (issue 11) refuse a dead token on the very next request, whichever process killed it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from server.config import config_from_dict
from server.services import accounts, admin_accounts
from server.services.context import Context
from server.storage.database import make_engine
from support import FakeClock, make_context, site_config

WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def two(tmp_path):
    """Two Contexts on one SQLite file: the server and, beside it, the command line (another process's view)."""
    url = f"sqlite:///{tmp_path / 'antre.db'}"
    clock = FakeClock(datetime(2026, 12, 2, 9, 0, tzinfo=WITA))
    server = make_context(clock, url)
    config = config_from_dict(site_config())
    cli = Context(site=config.site, engine=make_engine(url), clock=clock, secret=b"test")
    yield server, cli
    server.engine.dispose()
    cli.engine.dispose()


def test_a_remembered_token_costs_one_query_and_no_transaction(two):
    server, _ = two
    token = accounts.create_device(server, "kiosk-1", "kiosk")
    first = accounts.resolve(server, token)
    asked = server.tokens.queries
    assert accounts.resolve(server, token) == first
    assert server.tokens.queries == asked + 1


def test_a_clerk_disabled_by_another_process_is_refused_on_the_next_request(two):
    server, cli = two
    user_id = accounts.create_user(server, "siti", "clerk", "rahasia-123", ["L04"])
    token = accounts.login(server, "siti", "rahasia-123")
    assert accounts.resolve(server, token).name == "siti"  # now remembered by the server
    admin_accounts.disable_user(cli, accounts.SYSTEM, user_id)
    with pytest.raises(accounts.AuthError):
        accounts.resolve(server, token)


def test_a_device_revoked_by_another_process_is_refused_on_the_next_request(two):
    server, cli = two
    token = accounts.create_device(server, "kiosk-1", "kiosk")
    device = accounts.resolve(server, token)
    admin_accounts.revoke_device(cli, accounts.SYSTEM, device.id)
    with pytest.raises(accounts.AuthError):
        accounts.resolve(server, token)


def test_a_change_made_by_this_process_is_seen_at_once(two):
    server, _ = two
    user_id = accounts.create_user(server, "siti", "clerk", "rahasia-123", ["L04"])
    token = accounts.login(server, "siti", "rahasia-123")
    assert accounts.resolve(server, token).counters == ("L04",)
    admin_accounts.update_user(server, accounts.SYSTEM, user_id, counters=["L05"])
    assert accounts.resolve(server, token).counters == ("L05",)


def test_a_logged_out_token_is_refused(two):
    server, _ = two
    accounts.create_user(server, "siti", "clerk", "rahasia-123", ["L04"])
    token = accounts.login(server, "siti", "rahasia-123")
    accounts.resolve(server, token)
    accounts.logout(server, token)
    with pytest.raises(accounts.AuthError):
        accounts.resolve(server, token)
