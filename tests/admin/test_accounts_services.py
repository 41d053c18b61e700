"""Account administration use cases in-process: roles and a supervisor's reach, disabling and revoking (the next
request is refused), passwords, audit rows without secrets, and the one-query check of open sessions."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from server.domain.accounts import Principal, counters_of
from server.domain.errors import DomainError, Forbidden, Invalid, NotFound, Refused
from server.services import accounts
from server.services import admin_accounts as admin
from server.services.accounts import AuthError
from support import PASSWORD, FakeClock, make_context

SYSTEM = Principal("system", "test", "admin")


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 12, 2, 1, 0, tzinfo=UTC))


@pytest.fixture
def ctx(clock):
    context = make_context(clock)
    yield context
    context.engine.dispose()


def principal(ctx, username: str, password: str = PASSWORD) -> tuple[Principal, str]:
    token = accounts.login(ctx, username, password)
    return accounts.resolve(ctx, token), token


@pytest.fixture
def people(ctx):
    """An admin, a DUKCAPIL supervisor, a DUKCAPIL clerk (L04) and a POLRI clerk (L11)."""
    admin.create_user(ctx, SYSTEM, "root", "admin", PASSWORD)
    admin.create_user(ctx, SYSTEM, "kepala", "supervisor", PASSWORD, agencies=["DUKCAPIL"])
    siti = admin.create_user(ctx, SYSTEM, "siti", "clerk", PASSWORD, counters=["L04"])
    budi = admin.create_user(ctx, SYSTEM, "budi", "clerk", PASSWORD, counters=["L11"])
    return {"root": principal(ctx, "root")[0], "kepala": principal(ctx, "kepala")[0], "siti": siti, "budi": budi}


def audit(ctx, obj: str):
    with ctx.uow() as uow:
        return uow.audit.entries(obj)


def test_a_supervisor_principal_carries_its_agencies_and_reaches_the_counters_serving_them(ctx, people):
    kepala = people["kepala"]
    assert kepala.role == "supervisor" and kepala.agencies == ("DUKCAPIL",)
    assert counters_of(ctx.site, kepala.agencies) == {"L04", "L05", "L06"}


def test_a_supervisor_lists_only_the_clerks_of_their_agencies(ctx, people):
    assert [u.username for u in admin.list_users(ctx, people["kepala"])] == ["siti"]
    assert {u.username for u in admin.list_users(ctx, people["root"])} == {"root", "kepala", "siti", "budi"}


def test_a_supervisor_cannot_touch_another_agencys_clerk(ctx, people):
    kepala, budi = people["kepala"], people["budi"]
    for attempt in (lambda: admin.disable_user(ctx, kepala, budi.id),
                    lambda: admin.enable_user(ctx, kepala, budi.id),
                    lambda: admin.set_password(ctx, kepala, budi.id, "baru-rahasia"),
                    lambda: admin.update_user(ctx, kepala, budi.id, counters=["L04"]),
                    lambda: admin.create_user(ctx, kepala, "rina", "clerk", PASSWORD, counters=["L11"])):
        with pytest.raises(Forbidden) as err:
            attempt()
        assert err.value.status == 403
    assert accounts.resolve(ctx, accounts.login(ctx, "budi", PASSWORD)).counters == ("L11",)


def test_a_supervisor_adds_and_moves_clerks_only_within_their_counters_and_never_makes_an_admin(ctx, people):
    kepala = people["kepala"]
    rina = admin.create_user(ctx, kepala, "rina", "clerk", PASSWORD, counters=["L05"])
    assert admin.update_user(ctx, kepala, rina.id, counters=["L06"]).counters == ("L06",)
    with pytest.raises(Forbidden):
        admin.update_user(ctx, kepala, rina.id, role="admin")
    with pytest.raises(Forbidden):
        admin.create_user(ctx, kepala, "joko", "supervisor", PASSWORD, agencies=["DUKCAPIL"])
    with pytest.raises(Invalid) as err:
        admin.create_user(ctx, kepala, "joko", "clerk", PASSWORD)
    assert err.value.details["field"] == "counters"


def test_a_clerk_manages_nobody(ctx, people):
    siti, _ = principal(ctx, "siti")
    with pytest.raises(Forbidden):
        admin.list_users(ctx, siti)
    with pytest.raises(Forbidden):
        admin.list_devices(ctx, siti)


def test_a_disabled_user_is_refused_on_the_next_request_and_enabling_does_not_revive_old_tokens(ctx, people):
    _, token = principal(ctx, "siti")
    admin.disable_user(ctx, people["kepala"], people["siti"].id)
    with pytest.raises(AuthError) as err:
        accounts.resolve(ctx, token)
    assert err.value.status == 401
    with pytest.raises(AuthError):
        accounts.login(ctx, "siti", PASSWORD)
    admin.enable_user(ctx, people["kepala"], people["siti"].id)
    with pytest.raises(AuthError):
        accounts.resolve(ctx, token)
    assert principal(ctx, "siti")[0].name == "siti"
    assert [e.action for e in audit(ctx, "user:siti")] == ["enable", "disable", "create"]


def test_the_last_active_admin_can_be_neither_disabled_nor_demoted(ctx, people):
    root = people["root"]
    with pytest.raises(Refused) as err:
        admin.disable_user(ctx, SYSTEM, root.id)
    assert err.value.code == "last_admin"
    with pytest.raises(Refused):
        admin.update_user(ctx, SYSTEM, root.id, role="clerk", counters=["L04"])
    with pytest.raises(Refused) as own:
        admin.disable_user(ctx, root, root.id)
    assert own.value.code in ("own_account", "last_admin")


def test_roles_counters_and_agencies_are_checked_with_the_field_named(ctx, people):
    cases = [(dict(role="boss"), "role"), (dict(role="clerk", counters=["L99"]), "counters"),
             (dict(role="supervisor"), "agencies"), (dict(role="supervisor", agencies=["NOPE"]), "agencies"),
             (dict(role="clerk", agencies=["DUKCAPIL"]), "agencies")]
    for kwargs, field in cases:
        with pytest.raises(Invalid) as err:
            admin.create_user(ctx, people["root"], "joko", password=PASSWORD, **kwargs)
        assert err.value.details["field"] == field, kwargs
    with pytest.raises(Invalid) as err:
        admin.create_user(ctx, people["root"], "joko", "clerk", "pendek")
    assert err.value.code == "weak_password"
    with pytest.raises(DomainError) as dup:
        admin.create_user(ctx, people["root"], "siti", "clerk", PASSWORD)
    assert dup.value.code == "user_exists" and dup.value.status == 409


def test_a_password_set_by_an_admin_ends_the_users_sessions_and_the_audit_keeps_no_secret(ctx, people):
    _, token = principal(ctx, "siti")
    admin.set_password(ctx, people["root"], people["siti"].id, "sandi-baru-99")
    with pytest.raises(AuthError):
        accounts.resolve(ctx, token)
    with pytest.raises(AuthError):
        accounts.login(ctx, "siti", PASSWORD)
    assert principal(ctx, "siti", "sandi-baru-99")[0].name == "siti"
    entries = audit(ctx, "user:siti")
    assert [e.action for e in entries] == ["password", "create"] and entries[0].user == "root"
    text = repr([(e.old, e.new) for e in entries])
    assert "argon2" not in text and "sandi-baru" not in text and PASSWORD not in text and "hash" not in text


def test_everyone_changes_their_own_password_by_proving_the_old_one(ctx, people):
    siti, token = principal(ctx, "siti")
    with pytest.raises(Invalid) as err:
        admin.change_own_password(ctx, siti, "salah-sekali", "sandi-baru-99")
    assert err.value.details["field"] == "old_password"
    admin.change_own_password(ctx, siti, PASSWORD, "sandi-baru-99")
    assert accounts.resolve(ctx, token).name == "siti"  # the session in use stays
    assert principal(ctx, "siti", "sandi-baru-99")[0].name == "siti"


def test_update_user_changes_only_what_is_given_and_audits_old_and_new(ctx, people):
    view = admin.update_user(ctx, people["root"], people["siti"].id, role="supervisor", agencies=["DINSOS"])
    assert (view.role, view.agencies, view.counters) == ("supervisor", ("DINSOS",), ("L04",))
    last = audit(ctx, "user:siti")[0]
    assert last.action == "update" and last.old["role"] == "clerk" and last.new["agencies"] == ["DINSOS"]
    back = admin.update_user(ctx, people["root"], people["siti"].id, role="clerk")
    assert back.agencies == ()  # leaving the supervisor role leaves its agencies


def test_a_device_token_is_shown_once_and_revoking_it_refuses_the_next_request(ctx, people):
    view, token = admin.create_device(ctx, people["root"], "kiosk-lobi", "kiosk")
    assert accounts.resolve(ctx, token).name == "kiosk-lobi" and view.active and not view.online
    with ctx.uow() as uow:
        assert uow.accounts.token(token) is None  # only the hash is kept
    admin.revoke_device(ctx, people["root"], view.id)
    with pytest.raises(AuthError):
        accounts.resolve(ctx, token)
    assert [e.action for e in audit(ctx, "device:kiosk-lobi")] == ["revoke", "create"]
    assert token not in repr([(e.old, e.new) for e in audit(ctx, "device:kiosk-lobi")])


def test_a_supervisor_sees_shared_devices_and_their_own_and_revokes_only_those_at_their_counters(ctx, people):
    root, kepala = people["root"], people["kepala"]
    kiosk, _ = admin.create_device(ctx, root, "kiosk-1", "kiosk")
    own, own_token = admin.create_device(ctx, root, "survei-l04", "survey", counter="L04")
    other, _ = admin.create_device(ctx, root, "survei-l11", "survey", counter="L11")
    assert accounts.resolve(ctx, own_token).counters == ("L04",)
    assert [d.name for d in admin.list_devices(ctx, kepala)] == ["kiosk-1", "survei-l04"]
    for device in (other, kiosk):
        with pytest.raises(Forbidden):
            admin.revoke_device(ctx, kepala, device.id)
    admin.revoke_device(ctx, kepala, own.id)
    with pytest.raises(AuthError):
        accounts.resolve(ctx, own_token)
    with pytest.raises(Forbidden):
        admin.create_device(ctx, kepala, "survei-l05", "survey", counter="L05")
    with pytest.raises(NotFound):
        admin.revoke_device(ctx, root, 999)


def test_device_input_is_checked_with_the_field_named(ctx, people):
    for args, field in [(("tv", "radio"), "kind"), (("-bad name", "display"), "name"),
                        (("survei", "survey", "L99"), "counter")]:
        with pytest.raises(Invalid) as err:
            admin.create_device(ctx, people["root"], *args)
        assert err.value.details["field"] == field


def test_dead_sessions_are_found_in_one_query(ctx, people, clock):
    live = accounts.login(ctx, "kepala", PASSWORD)
    logged_out = accounts.login(ctx, "kepala", PASSWORD)
    accounts.logout(ctx, logged_out)
    disabled = accounts.login(ctx, "siti", PASSWORD)
    admin.disable_user(ctx, SYSTEM, people["siti"].id)
    _, device = admin.create_device(ctx, SYSTEM, "tv-1", "display")
    _, revoked = admin.create_device(ctx, SYSTEM, "tv-2", "display")
    admin.revoke_device(ctx, SYSTEM, admin.find_device(ctx, "tv-2").id)
    hashes = {name: accounts.token_hash(t) for name, t in
              [("live", live), ("logged_out", logged_out), ("disabled", disabled), ("device", device),
               ("revoked", revoked), ("unknown", "no-such-token")]}
    selects: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    event.listen(ctx.engine, "before_cursor_execute", count)
    try:
        dead = accounts.invalid_sessions(ctx, list(hashes.values()))
    finally:
        event.remove(ctx.engine, "before_cursor_execute", count)
    assert len(selects) == 1
    assert dead == {hashes[n] for n in ("logged_out", "disabled", "revoked", "unknown")}
    clock.advance(hours=ctx.token_hours, seconds=1)
    assert hashes["live"] in accounts.invalid_sessions(ctx, [hashes["live"], hashes["device"]])
    assert hashes["device"] not in accounts.invalid_sessions(ctx, [hashes["device"]])  # device tokens never expire


def test_a_device_with_an_open_socket_is_marked_seen_and_shows_online(ctx, people):
    view, token = admin.create_device(ctx, SYSTEM, "kiosk-2", "kiosk")
    accounts.invalid_sessions(ctx, [accounts.token_hash(token)], seen_devices=[view.id])
    listed = admin.find_device(ctx, "kiosk-2")
    assert listed.online and listed.last_seen is not None
