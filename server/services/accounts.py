"""Use cases of accounts: users (argon2), bearer tokens that expire and can be revoked, device tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..domain.accounts import Principal
from ..domain.errors import DomainError, Invalid, NotFound
from ..storage.uow import UnitOfWork
from .context import Context, run

ROLES = ("clerk", "admin")
DEVICE_KINDS = ("kiosk", "display")
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


def create_user(ctx: Context, username: str, role: str, password: str, counters: list[str]) -> int:
    """Add a clerk or admin; the password is stored only as an argon2 hash."""
    if not USERNAME.match(username):
        raise Invalid("invalid_username", "Nama pengguna: 2-64 huruf kecil, angka, titik, - atau _.")
    if role not in ROLES:
        raise Invalid("invalid_role", f"Peran harus salah satu dari: {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD:
        raise Invalid("weak_password", f"Kata sandi minimal {MIN_PASSWORD} karakter.")
    for code in counters:
        if code not in ctx.site.counters:
            raise NotFound("unknown_counter", f"Loket '{code}' tidak ada.")
    password_hash = _hasher.hash(password)

    def work(uow: UnitOfWork) -> int:
        if uow.accounts.user_by_name(username):
            raise DomainError("user_exists", f"Pengguna '{username}' sudah ada.")
        return uow.accounts.add_user(username, role, password_hash, counters, ctx.now())

    return run(ctx, work)


def ensure_admin(ctx: Context) -> str | None:
    """On the first start of an empty database create `admin` with a random password and return it (once)."""
    password = secrets.token_urlsafe(12)

    def work(uow: UnitOfWork) -> str | None:
        if uow.accounts.count_users() > 0:
            return None
        uow.accounts.add_user("admin", "admin", _hasher.hash(password), [], ctx.now())
        return password

    return run(ctx, work)


def login(ctx: Context, username: str, password: str) -> str:
    """Check the password and hand out a bearer token valid for `token_hours`."""
    with ctx.uow() as uow:
        user = uow.accounts.user_by_name(username)
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None or not user.active:
        raise AuthError("invalid_credentials", "Nama pengguna atau kata sandi salah.")
    token = secrets.token_urlsafe(32)
    expires = ctx.now() + timedelta(hours=ctx.token_hours)
    run(ctx, lambda uow: uow.accounts.add_token(token_hash(token), ctx.now(), expires, user_id=user.id))
    return token


def logout(ctx: Context, token: str) -> None:
    """Revoke a bearer token at once."""
    run(ctx, lambda uow: uow.accounts.revoke_token(token_hash(token), ctx.now()))


def create_device(ctx: Context, name: str, kind: str) -> str:
    """Register a kiosk or display and return its token (shown once; only its hash is kept)."""
    if kind not in DEVICE_KINDS:
        raise Invalid("invalid_kind", f"Jenis perangkat harus salah satu dari: {', '.join(DEVICE_KINDS)}.")
    if not USERNAME.match(name.lower()):
        raise Invalid("invalid_name", "Nama perangkat: 2-64 huruf, angka, titik, - atau _.")
    token = secrets.token_urlsafe(32)

    def work(uow: UnitOfWork) -> None:
        if uow.accounts.device_by_name(name):
            raise DomainError("device_exists", f"Perangkat '{name}' sudah ada.")
        device_id = uow.accounts.add_device(name, kind, ctx.now())
        uow.accounts.add_token(token_hash(token), ctx.now(), None, device_id=device_id)

    run(ctx, work)
    return token


def resolve(ctx: Context, token: str) -> Principal:
    """Who a bearer token speaks for; AuthError when it is unknown, expired or revoked."""
    with ctx.uow() as uow:
        row = uow.accounts.token(token_hash(token))
        if row is None or row.revoked_at is not None:
            raise AuthError("invalid_token", "Token tidak dikenal atau sudah dicabut.")
        if row.expires_at is not None and row.expires_at <= ctx.now():
            raise AuthError("token_expired", "Sesi berakhir, silakan masuk lagi.")
        if row.user_id is not None:
            user = uow.accounts.user_by_id(row.user_id)
            if user is None or not user.active:
                raise AuthError("invalid_token", "Akun tidak aktif.")
            return Principal("user", user.username, user.role, user.counters, user.id)
        device = uow.accounts.device_by_id(row.device_id)
        if device is None or not device.active:
            raise AuthError("invalid_token", "Perangkat tidak aktif.")
        return Principal("device", device.name, device.kind, (), device.id)
