"""Accounts repository: users and their counters, devices, and bearer tokens (stored as SHA-256 hashes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from .tables import auth_tokens, devices, user_counters, users


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: str
    password_hash: str
    active: bool
    counters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Device:
    id: int
    name: str
    kind: str
    active: bool
    state: str | None = None


class AccountRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # ------------------------------------------------------------------ users
    def _user(self, row: Any) -> User:
        counters = self.conn.execute(select(user_counters.c.counter).where(user_counters.c.user_id == row.id)
                                     .order_by(user_counters.c.counter)).scalars().all()
        return User(row.id, row.username, row.role, row.password_hash, row.active, tuple(counters))

    def user_by_name(self, username: str) -> User | None:
        row = self.conn.execute(select(users).where(users.c.username == username)).first()
        return self._user(row) if row else None

    def user_by_id(self, user_id: int) -> User | None:
        row = self.conn.execute(select(users).where(users.c.id == user_id)).first()
        return self._user(row) if row else None

    def count_users(self) -> int:
        return len(self.conn.execute(select(users.c.id)).all())

    def add_user(self, username: str, role: str, password_hash: str, counters: list[str], now: datetime) -> int:
        user_id = self.conn.execute(insert(users).values(username=username, role=role, password_hash=password_hash,
                                                         active=True, created_at=now).returning(users.c.id)).scalar_one()
        self.set_counters(user_id, counters)
        return int(user_id)

    def set_counters(self, user_id: int, counters: list[str]) -> None:
        self.conn.execute(delete(user_counters).where(user_counters.c.user_id == user_id))
        if counters:
            self.conn.execute(insert(user_counters), [{"user_id": user_id, "counter": c} for c in sorted(set(counters))])

    # ------------------------------------------------------------------ devices
    def add_device(self, name: str, kind: str, now: datetime) -> int:
        return int(self.conn.execute(insert(devices).values(name=name, kind=kind, created_at=now, active=True)
                                     .returning(devices.c.id)).scalar_one())

    def device_by_name(self, name: str) -> Device | None:
        row = self.conn.execute(select(devices).where(devices.c.name == name)).first()
        return Device(row.id, row.name, row.kind, row.active, row.state) if row else None

    def device_by_id(self, device_id: int) -> Device | None:
        row = self.conn.execute(select(devices).where(devices.c.id == device_id)).first()
        return Device(row.id, row.name, row.kind, row.active, row.state) if row else None

    def set_device_state(self, device_id: int, state: str, now: datetime) -> None:
        self.conn.execute(update(devices).where(devices.c.id == device_id).values(state=state, last_seen_at=now))

    # ------------------------------------------------------------------ tokens
    def add_token(self, token_hash: str, now: datetime, expires_at: datetime | None, *,
                  user_id: int | None = None, device_id: int | None = None) -> None:
        self.conn.execute(insert(auth_tokens).values(token_hash=token_hash, user_id=user_id, device_id=device_id,
                                                     created_at=now, expires_at=expires_at))

    def token(self, token_hash: str) -> Any:
        return self.conn.execute(select(auth_tokens).where(auth_tokens.c.token_hash == token_hash)).first()

    def revoke_token(self, token_hash: str, now: datetime) -> bool:
        result = self.conn.execute(update(auth_tokens).where(auth_tokens.c.token_hash == token_hash,
                                                             auth_tokens.c.revoked_at.is_(None)).values(revoked_at=now))
        return result.rowcount == 1
