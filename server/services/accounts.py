"""Use cases of accounts: users (argon2), bearer tokens that expire and can be revoked, device tokens, and which
open sessions are no longer valid (the realtime sweep asks)."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..domain.accounts import Principal
from ..domain.errors import DomainError, Invalid
from ..domain.text_input import bad_text
from ..storage.uow import UnitOfWork
from .context import Context, run

SYSTEM = Principal("system", "system", "admin")  # the command line and scripts act as an admin
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 8
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verifying against a dummy hash for unknown users keeps the answer time the same (no username probing);
    made on first use, not at import."""
    return _hasher.hash("antre-dummy-password")


class AuthError(DomainError):
    status = 401


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid("weak_password", f"Kata sandi minimal {MIN_PASSWORD} karakter.", field="password")


def hash_password(password: str) -> str:
    """The argon2 hash of a password long enough to be accepted."""
    check_password(password)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def create_user(ctx: Context, username: str, role: str, password: str, counters: list[str]) -> int:
    """Add a user as the system (scripts and tests); the console and CLI use `admin_accounts.create_user`."""
    from . import admin_accounts  # admin_accounts builds on this module

    return admin_accounts.create_user(ctx, SYSTEM, username, role, password, counters).id


def ensure_admin(ctx: Context) -> str | None:
    """On the first start of an empty database create `admin` with a random password and return it (once)."""
    password = secrets.token_urlsafe(12)

    def work(uow: UnitOfWork) -> str | None:
        now = ctx.now()
        if uow.accounts.count_users() > 0:
            return None
        user_id = uow.accounts.add_user("admin", "admin", _hasher.hash(password), [], now)
        uow.audit.record(now, SYSTEM.name, "create", "user:admin", None,
                         {"id": user_id, "username": "admin", "role": "admin", "active": True})
        return password

    return run(ctx, work)


def login(ctx: Context, username: str, password: str) -> str:
    """Check the password and hand out a bearer token valid for `token_hours`."""
    with ctx.uow() as uow:
        user = uow.accounts.user_by_name(username)
    if not verify_password(user.password_hash if user else _dummy_hash(), password):
        user = None
    if user is None or not user.active:
        raise AuthError("invalid_credentials", "Nama pengguna atau kata sandi salah.")
    token = secrets.token_urlsafe(32)
    now = ctx.now()
    expires = now + timedelta(hours=ctx.token_hours)

    def work(uow: UnitOfWork) -> None:
        uow.accounts.add_token(token_hash(token), now, expires, user_id=user.id)
        uow.accounts.set_last_login(user.id, now)

    run(ctx, work)
    return token


def logout(ctx: Context, token: str) -> None:
    """Revoke a bearer token at once."""
    run(ctx, lambda uow: uow.accounts.revoke_token(token_hash(token), ctx.now()))


def create_device(ctx: Context, name: str, kind: str) -> str:
    """Register a device as the system and return its token (scripts and tests; see `admin_accounts`)."""
    from . import admin_accounts

    return admin_accounts.create_device(ctx, SYSTEM, name, kind)[1]


def resolve(ctx: Context, token: str) -> Principal:
    """Who a bearer token speaks for; AuthError when it is unknown, expired or revoked. A token looked up within
    the last second costs one small query instead of a transaction (see token_cache.py)."""
    if bad_text(token):  # a lone surrogate cannot even be hashed: refused like any unknown token (issue 17)
        raise AuthError("invalid_token", "Token tidak dikenal atau sudah dicabut.")
    hashed, now = token_hash(token), ctx.now()
    cached = ctx.tokens.get(ctx.engine, hashed, now)
    if cached is not None:
        return cached
    with ctx.uow() as uow:
        row = uow.accounts.token(hashed)
        if row is None or row.revoked_at is not None:
            raise AuthError("invalid_token", "Token tidak dikenal atau sudah dicabut.")
        if row.expires_at is not None and row.expires_at <= now:
            raise AuthError("token_expired", "Sesi berakhir, silakan masuk lagi.")
        if row.user_id is not None:
            user = uow.accounts.user_by_id(row.user_id)
            if user is None or not user.active:
                raise AuthError("invalid_token", "Akun tidak aktif.")
            principal = Principal("user", user.username, user.role, user.counters, user.id, user.agencies)
        else:
            device = uow.accounts.device_by_id(row.device_id)
            if device is None or not device.active:
                raise AuthError("invalid_token", "Perangkat tidak aktif.")
            principal = Principal("device", device.name, device.kind, (device.counter,) if device.counter else (),
                                  device.id)
    ctx.tokens.put(hashed, principal, row.expires_at)
    return principal


def invalid_sessions(ctx: Context, hashes: list[str], seen_devices: Sequence[int] = ()) -> set[str]:
    """Which of these token hashes no longer speak for anyone (revoked, logged out, expired, user disabled,
    device revoked): one query. `seen_devices` (devices with an open socket) are marked seen in the same go."""
    now = ctx.now()
    with ctx.uow() as uow:
        valid = uow.accounts.valid_token_hashes(hashes, now)
        if seen_devices:
            uow.accounts.touch_devices(list(seen_devices), now)
            uow.commit()
    dead = set(hashes) - valid
    ctx.tokens.forget(dead)  # another process may have revoked them: no second of grace here
    return dead
