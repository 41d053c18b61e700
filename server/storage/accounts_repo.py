"""Accounts repository: users and their counters, devices, and bearer tokens (stored as SHA-256 hashes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, true, update

from .tables import auth_tokens, devices, user_agencies, user_counters, users


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: str
    password_hash: str
    active: bool
    counters: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    last_login_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Device:
    id: int
    name: str
    kind: str
    active: bool
    state: str | None = None
    counter: str | None = None
    last_seen_at: datetime | None = None


def _device(row: Any) -> Device:
    return Device(row.id, row.name, row.kind, row.active, row.state, row.counter, row.last_seen_at)


class AccountRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.changed = False  # who some token speaks for changed: cached token lookups are dropped at commit

    # ------------------------------------------------------------------ users
    def _user(self, row: Any) -> User:
        return self._users([row])[0]

    def _users(self, rows: list[Any]) -> list[User]:
        """Users with their counters and agencies: three statements however many users there are."""
        ids = [r.id for r in rows]
        counters: dict[int, list[str]] = {i: [] for i in ids}
        agencies: dict[int, list[str]] = {i: [] for i in ids}
        for user_id, code in self.conn.execute(select(user_counters.c.user_id, user_counters.c.counter)
                                               .where(user_counters.c.user_id.in_(ids))
                                               .order_by(user_counters.c.counter)):
            counters[user_id].append(code)
        for user_id, code in self.conn.execute(select(user_agencies.c.user_id, user_agencies.c.agency)
                                               .where(user_agencies.c.user_id.in_(ids))
                                               .order_by(user_agencies.c.agency)):
            agencies[user_id].append(code)
        return [User(r.id, r.username, r.role, r.password_hash, r.active, tuple(counters[r.id]),
                     tuple(agencies[r.id]), r.last_login_at) for r in rows]

    def all_users(self) -> list[User]:
        return self._users(list(self.conn.execute(select(users).order_by(users.c.username))))

    def user_by_name(self, username: str) -> User | None:
        row = self.conn.execute(select(users).where(users.c.username == username)).first()
        return self._user(row) if row else None

    def user_by_id(self, user_id: int) -> User | None:
        row = self.conn.execute(select(users).where(users.c.id == user_id)).first()
        return self._user(row) if row else None

    def count_users(self) -> int:
        return len(self.conn.execute(select(users.c.id)).all())

    def active_admin_ids(self) -> list[int]:
        """The active admins, locked (PostgreSQL) so two transactions cannot each remove "another" last admin."""
        q = select(users.c.id).where(users.c.role == "admin", users.c.active.is_(true())).with_for_update()
        return [int(i) for i in self.conn.execute(q).scalars()]

    def add_user(self, username: str, role: str, password_hash: str, counters: list[str], now: datetime) -> int:
        user_id = self.conn.execute(insert(users).values(username=username, role=role, password_hash=password_hash,
                                                         active=True, created_at=now).returning(users.c.id)).scalar_one()
        self.set_counters(user_id, counters)
        return int(user_id)

    def set_counters(self, user_id: int, counters: list[str]) -> None:
        self.changed = True
        self.conn.execute(delete(user_counters).where(user_counters.c.user_id == user_id))
        if counters:
            self.conn.execute(insert(user_counters), [{"user_id": user_id, "counter": c} for c in sorted(set(counters))])

    def set_agencies(self, user_id: int, agencies: list[str]) -> None:
        self.changed = True
        self.conn.execute(delete(user_agencies).where(user_agencies.c.user_id == user_id))
        if agencies:
            self.conn.execute(insert(user_agencies), [{"user_id": user_id, "agency": a} for a in sorted(set(agencies))])

    def set_role(self, user_id: int, role: str) -> None:
        self.changed = True
        self.conn.execute(update(users).where(users.c.id == user_id).values(role=role))

    def set_active(self, user_id: int, active: bool) -> None:
        self.changed = True
        self.conn.execute(update(users).where(users.c.id == user_id).values(active=active))

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self.changed = True
        self.conn.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))

    def set_last_login(self, user_id: int, now: datetime) -> None:
        self.conn.execute(update(users).where(users.c.id == user_id).values(last_login_at=now))

    # ------------------------------------------------------------------ devices
    def add_device(self, name: str, kind: str, now: datetime, counter: str | None = None) -> int:
        return int(self.conn.execute(insert(devices).values(name=name, kind=kind, created_at=now, active=True,
                                                            counter=counter).returning(devices.c.id)).scalar_one())

    def device_by_name(self, name: str) -> Device | None:
        row = self.conn.execute(select(devices).where(devices.c.name == name)).first()
        return _device(row) if row else None

    def device_by_id(self, device_id: int) -> Device | None:
        row = self.conn.execute(select(devices).where(devices.c.id == device_id)).first()
        return _device(row) if row else None

    def all_devices(self) -> list[Device]:
        return [_device(r) for r in self.conn.execute(select(devices).order_by(devices.c.name))]

    def deactivate_device(self, device_id: int) -> None:
        self.changed = True
        self.conn.execute(update(devices).where(devices.c.id == device_id).values(active=False))

    def touch_devices(self, device_ids: list[int], now: datetime) -> None:
        """Mark devices with an open socket as seen now (one statement for all of this process's devices)."""
        if device_ids:
            self.conn.execute(update(devices).where(devices.c.id.in_(device_ids)).values(last_seen_at=now))

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
        self.changed = True
        result = self.conn.execute(update(auth_tokens).where(auth_tokens.c.token_hash == token_hash,
                                                             auth_tokens.c.revoked_at.is_(None)).values(revoked_at=now))
        return result.rowcount == 1

    def revoke_tokens_of(self, now: datetime, *, user_id: int | None = None, device_id: int | None = None) -> int:
        """Revoke every live token of one user or one device; the number revoked."""
        self.changed = True
        owner = auth_tokens.c.user_id == user_id if user_id is not None else auth_tokens.c.device_id == device_id
        result = self.conn.execute(update(auth_tokens).where(owner, auth_tokens.c.revoked_at.is_(None))
                                   .values(revoked_at=now))
        return int(result.rowcount)

    def valid_token_hashes(self, hashes: list[str], now: datetime) -> set[str]:
        """Which of `hashes` still speak for someone: not revoked, not expired, of an active user or device.
        One statement, however many sockets ask (the realtime sweep runs it every second)."""
        if not hashes:
            return set()
        q = (select(auth_tokens.c.token_hash)
             .select_from(auth_tokens.outerjoin(users, users.c.id == auth_tokens.c.user_id)
                          .outerjoin(devices, devices.c.id == auth_tokens.c.device_id))
             .where(auth_tokens.c.token_hash.in_(hashes), auth_tokens.c.revoked_at.is_(None),
                    or_(auth_tokens.c.expires_at.is_(None), auth_tokens.c.expires_at > now),
                    or_(and_(auth_tokens.c.user_id.is_not(None), users.c.active.is_(true())),
                        and_(auth_tokens.c.device_id.is_not(None), devices.c.active.is_(true())))))
        return set(self.conn.execute(q).scalars())
