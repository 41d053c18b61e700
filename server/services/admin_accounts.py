"""Use cases of the office's account administration: users (roles, counters, agencies, passwords, disabling) and
devices (registering, revoking); every change in one transaction with its audit row."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..domain.accounts import DEVICE_KINDS, ROLES, Principal, manages_counters
from ..domain.errors import DomainError, Forbidden, Invalid, NotFound, Refused
from ..storage.accounts_repo import Device, User
from ..storage.uow import UnitOfWork
from . import devices_health
from .accounts import check_password, hash_password, token_hash, verify_password
from .context import Context, run

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
DEVICE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")
MANAGERS = ("admin", "supervisor")


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    username: str
    role: str
    active: bool
    counters: tuple[str, ...]
    agencies: tuple[str, ...]
    last_login: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.username, "role": self.role, "active": self.active,
                "counters": list(self.counters), "agencies": list(self.agencies),
                "last_login": self.last_login.isoformat() if self.last_login else None}


@dataclass(frozen=True, slots=True)
class DeviceView:
    id: int
    name: str
    kind: str
    counter: str | None
    active: bool
    online: bool
    last_seen: datetime | None
    state: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "counter": self.counter, "active": self.active,
                "online": self.online, "last_seen": self.last_seen.isoformat() if self.last_seen else None,
                "printer": self.state.get("printer"), "state": self.state}


def _user_view(user: User) -> UserView:
    return UserView(user.id, user.username, user.role, user.active, user.counters, user.agencies, user.last_login_at)


def _device_view(ctx: Context, device: Device) -> DeviceView:
    seen = device.last_seen_at
    online = devices_health.is_online(device.active, seen, ctx.now())  # silent [devices] offline_after → offline
    try:
        state = json.loads(device.state) if device.state else {}
    except ValueError:
        state = {}
    return DeviceView(device.id, device.name, device.kind, device.counter, device.active, online, seen,
                      state if isinstance(state, dict) else {})


def _audited(view: UserView | DeviceView) -> dict[str, Any]:
    """What the audit log keeps of an account: never a password, hash or token."""
    data = view.to_dict()
    for volatile in ("last_login", "online", "last_seen", "printer", "state"):
        data.pop(volatile, None)
    return data


# ------------------------------------------------------------------ who may do what
def _require_manager(actor: Principal) -> None:
    if actor.role not in MANAGERS:
        raise Forbidden("forbidden", "Hanya admin atau supervisor yang boleh mengelola akun.")


def _require_admin(actor: Principal) -> None:
    if actor.role != "admin":
        raise Forbidden("forbidden", "Hanya admin yang boleh melakukan ini.")


def _may_manage_user(ctx: Context, actor: Principal, user: User) -> bool:
    return actor.role == "admin" or (user.role == "clerk" and manages_counters(actor, ctx.site, user.counters))


def _check_user_scope(ctx: Context, actor: Principal, user: User) -> None:
    _require_manager(actor)
    if not _may_manage_user(ctx, actor, user):
        raise Forbidden("other_agency", "Pengguna ini bukan petugas instansi Anda.")


def _may_see_device(ctx: Context, actor: Principal, device: Device) -> bool:
    """Kiosks and TVs serve the whole site (every supervisor sees them); a device at a counter belongs to its
    agencies."""
    return actor.role == "admin" or device.counter is None or manages_counters(actor, ctx.site, [device.counter])


def _load_user(uow: UnitOfWork, user_id: int) -> User:
    user = uow.accounts.user_by_id(user_id)
    if user is None:
        raise NotFound("unknown_user", "Pengguna tidak ditemukan.")
    return user


def _keep_an_admin(uow: UnitOfWork, user: User) -> None:
    if user.role == "admin" and user.active and uow.accounts.active_admin_ids() == [user.id]:
        raise Refused("last_admin", "Harus tetap ada minimal satu admin aktif.")


# ------------------------------------------------------------------ checking input
def _check_assignment(ctx: Context, actor: Principal, role: str, counters: Sequence[str],
                      agencies: Sequence[str]) -> None:
    """A role with its counters and agencies, as `actor` may give it."""
    if role not in ROLES:
        raise Invalid("invalid_role", f"Peran harus salah satu dari: {', '.join(ROLES)}.", field="role")
    for code in counters:
        if code not in ctx.site.counters:
            raise Invalid("unknown_counter", f"Loket '{code}' tidak ada.", field="counters")
    for code in agencies:
        if code not in ctx.site.agencies:
            raise Invalid("unknown_agency", f"Instansi '{code}' tidak ada.", field="agencies")
    if role == "supervisor" and not agencies:
        raise Invalid("agency_required", "Supervisor butuh minimal satu instansi.", field="agencies")
    if role != "supervisor" and agencies:
        raise Invalid("agency_not_allowed", "Hanya supervisor yang punya instansi.", field="agencies")
    if actor.role == "supervisor":
        if role != "clerk":
            raise Forbidden("forbidden", "Supervisor hanya boleh mengelola petugas loket.")
        if not counters:
            raise Invalid("counter_required", "Pilih minimal satu loket instansi Anda.", field="counters")
        if not manages_counters(actor, ctx.site, counters):
            raise Forbidden("other_agency", "Loket itu bukan milik instansi Anda.")


# ------------------------------------------------------------------ users
def list_users(ctx: Context, actor: Principal) -> list[UserView]:
    """Every user for an admin; a supervisor sees only the clerks of their agencies' counters."""
    _require_manager(actor)
    with ctx.uow() as uow:
        users = uow.accounts.all_users()
    return [_user_view(u) for u in users if _may_manage_user(ctx, actor, u)]


def create_user(ctx: Context, actor: Principal, username: str, role: str, password: str,
                counters: Sequence[str] = (), agencies: Sequence[str] = ()) -> UserView:
    """Add a user; the password is kept only as an argon2 hash. A supervisor adds clerks at their own counters."""
    _require_manager(actor)
    if not USERNAME.match(username):
        raise Invalid("invalid_username", "Nama pengguna: 2-64 huruf kecil, angka, titik, - atau _.", field="username")
    _check_assignment(ctx, actor, role, counters, agencies)
    password_hash = hash_password(password)

    def work(uow: UnitOfWork) -> UserView:
        now = ctx.now()
        if uow.accounts.user_by_name(username):
            raise DomainError("user_exists", f"Pengguna '{username}' sudah ada.", field="username")
        user_id = uow.accounts.add_user(username, role, password_hash, list(counters), now)
        uow.accounts.set_agencies(user_id, list(agencies))
        view = _user_view(_load_user(uow, user_id))
        uow.audit.record(now, actor.name, "create", f"user:{username}", None, _audited(view))
        return view

    return run(ctx, work)


def update_user(ctx: Context, actor: Principal, user_id: int, *, role: str | None = None,
                counters: Sequence[str] | None = None, agencies: Sequence[str] | None = None) -> UserView:
    """Change a user's role, counters or agencies (only what is given); a supervisor keeps clerks at their counters."""
    _require_manager(actor)

    def work(uow: UnitOfWork) -> UserView:
        user = _load_user(uow, user_id)
        _check_user_scope(ctx, actor, user)
        new_role = role if role is not None else user.role
        new_counters = tuple(sorted(set(counters))) if counters is not None else user.counters
        new_agencies = tuple(sorted(set(agencies))) if agencies is not None else user.agencies
        if new_role != "supervisor" and agencies is None:
            new_agencies = ()  # leaving the supervisor role leaves its agencies too
        _check_assignment(ctx, actor, new_role, new_counters, new_agencies)
        before = _user_view(user)
        if (new_role, new_counters, new_agencies) == (user.role, user.counters, user.agencies):
            return before
        if new_role != "admin":
            _keep_an_admin(uow, user)
        uow.accounts.set_role(user.id, new_role)
        uow.accounts.set_counters(user.id, list(new_counters))
        uow.accounts.set_agencies(user.id, list(new_agencies))
        after = _user_view(_load_user(uow, user.id))
        uow.audit.record(ctx.now(), actor.name, "update", f"user:{user.username}", _audited(before), _audited(after))
        return after

    return run(ctx, work)


def disable_user(ctx: Context, actor: Principal, user_id: int) -> None:
    """Disable a user: every token of theirs stops working at once (401 next request, sockets closed by the sweep)."""
    _require_manager(actor)

    def work(uow: UnitOfWork) -> None:
        now = ctx.now()
        user = _load_user(uow, user_id)
        _check_user_scope(ctx, actor, user)
        if actor.kind == "user" and actor.id == user.id:
            raise Refused("own_account", "Anda tidak bisa menonaktifkan akun sendiri.")
        if not user.active:
            return
        _keep_an_admin(uow, user)
        uow.accounts.set_active(user.id, False)
        revoked = uow.accounts.revoke_tokens_of(now, user_id=user.id)
        uow.audit.record(now, actor.name, "disable", f"user:{user.username}", {"active": True},
                         {"active": False, "sessions_ended": revoked})

    run(ctx, work)


def enable_user(ctx: Context, actor: Principal, user_id: int) -> None:
    """Enable a disabled user again (they sign in anew: their old tokens stay revoked)."""
    _require_manager(actor)

    def work(uow: UnitOfWork) -> None:
        user = _load_user(uow, user_id)
        _check_user_scope(ctx, actor, user)
        if user.active:
            return
        uow.accounts.set_active(user.id, True)
        uow.audit.record(ctx.now(), actor.name, "enable", f"user:{user.username}", {"active": False}, {"active": True})

    run(ctx, work)


def set_password(ctx: Context, actor: Principal, user_id: int, password: str) -> None:
    """Set a user's password (an admin; a supervisor for their clerks); the user's open sessions end."""
    _require_manager(actor)
    password_hash = hash_password(password)

    def work(uow: UnitOfWork) -> None:
        now = ctx.now()
        user = _load_user(uow, user_id)
        _check_user_scope(ctx, actor, user)
        uow.accounts.set_password_hash(user.id, password_hash)
        revoked = uow.accounts.revoke_tokens_of(now, user_id=user.id)
        uow.audit.record(now, actor.name, "password", f"user:{user.username}", None, {"sessions_ended": revoked})

    run(ctx, work)


def change_own_password(ctx: Context, actor: Principal, old: str, new: str) -> None:
    """Any user changes their own password, proving the old one; the session in use stays signed in."""
    if actor.kind != "user":
        raise Forbidden("forbidden", "Hanya pengguna yang punya kata sandi.")
    check_password(new)
    with ctx.uow() as uow:
        user = _load_user(uow, actor.id)
    if not verify_password(user.password_hash, old):
        raise Invalid("wrong_password", "Kata sandi lama salah.", field="old_password")
    password_hash = hash_password(new)

    def work(uow: UnitOfWork) -> None:
        uow.accounts.set_password_hash(user.id, password_hash)
        uow.audit.record(ctx.now(), actor.name, "password", f"user:{user.username}", None, None)

    run(ctx, work)


# ------------------------------------------------------------------ devices
def list_devices(ctx: Context, actor: Principal) -> list[DeviceView]:
    """Devices with their state; a supervisor sees the site's shared devices and those at their counters."""
    _require_manager(actor)
    with ctx.uow() as uow:
        found = uow.accounts.all_devices()
    return [_device_view(ctx, d) for d in found if _may_see_device(ctx, actor, d)]


def create_device(ctx: Context, actor: Principal, name: str, kind: str,
                  counter: str | None = None) -> tuple[DeviceView, str]:
    """Register a kiosk, display or survey tablet (an admin); its token is returned once, only its hash is kept."""
    _require_admin(actor)
    if kind not in DEVICE_KINDS:
        raise Invalid("invalid_kind", f"Jenis perangkat harus salah satu dari: {', '.join(DEVICE_KINDS)}.",
                      field="kind")
    if not DEVICE_NAME.match(name):
        raise Invalid("invalid_name", "Nama perangkat: 2-64 huruf, angka, titik, - atau _.", field="name")
    if counter is not None and counter not in ctx.site.counters:
        raise Invalid("unknown_counter", f"Loket '{counter}' tidak ada.", field="counter")
    token = secrets.token_urlsafe(32)

    def work(uow: UnitOfWork) -> DeviceView:
        now = ctx.now()
        if uow.accounts.device_by_name(name):
            raise DomainError("device_exists", f"Perangkat '{name}' sudah ada.", field="name")
        device_id = uow.accounts.add_device(name, kind, now, counter)
        uow.accounts.add_token(token_hash(token), now, None, device_id=device_id)
        view = _device_view(ctx, _load_device(uow, device_id))
        uow.audit.record(now, actor.name, "create", f"device:{name}", None, _audited(view))
        return view

    return run(ctx, work), token


def _load_device(uow: UnitOfWork, device_id: int) -> Device:
    device = uow.accounts.device_by_id(device_id)
    if device is None:
        raise NotFound("unknown_device", "Perangkat tidak ditemukan.")
    return device


def revoke_device(ctx: Context, actor: Principal, device_id: int) -> None:
    """Revoke a device's token for good (an admin; a supervisor for a device at their agencies' counter)."""
    _require_manager(actor)

    def work(uow: UnitOfWork) -> None:
        now = ctx.now()
        device = _load_device(uow, device_id)
        if actor.role != "admin" and (device.counter is None
                                      or not manages_counters(actor, ctx.site, [device.counter])):
            raise Forbidden("other_agency", "Perangkat ini bukan milik instansi Anda.")
        if not device.active:
            return
        uow.accounts.deactivate_device(device.id)
        revoked = uow.accounts.revoke_tokens_of(now, device_id=device.id)
        uow.audit.record(now, actor.name, "revoke", f"device:{device.name}", {"active": True},
                         {"active": False, "tokens_revoked": revoked})

    run(ctx, work)


def find_user(ctx: Context, username: str) -> UserView:
    """A user by name (the command line names users, the API numbers them)."""
    with ctx.uow() as uow:
        user = uow.accounts.user_by_name(username)
    if user is None:
        raise NotFound("unknown_user", f"Pengguna '{username}' tidak ada.")
    return _user_view(user)


def find_device(ctx: Context, name: str) -> DeviceView:
    with ctx.uow() as uow:
        device = uow.accounts.device_by_name(name)
    if device is None:
        raise NotFound("unknown_device", f"Perangkat '{name}' tidak ada.")
    return _device_view(ctx, device)

