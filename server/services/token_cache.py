"""Who a bearer token speaks for, without a transaction per request. The principal (name, role, counters,
agencies) is remembered for TTL_SECS; whether the token is still alive (not revoked, its user or device still
active) is asked on every request with one small query on a connection kept for it, so a revocation or a disabled
account is refused on the next request, whichever process (server or command line) made the change. An account
change committed by this process forgets every remembered principal at once; one made elsewhere changes a
remembered role or counter list within TTL_SECS."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from ..domain.accounts import Principal

TTL_SECS = 1.0
MAX_ENTRIES = 10_000  # far above an MPP's devices and clerks; a flood of random tokens cannot grow it without bound
_ALIVE = ("SELECT 1 FROM auth_tokens t LEFT JOIN users u ON u.id = t.user_id "
          "LEFT JOIN devices d ON d.id = t.device_id "
          "WHERE t.token_hash = {p} AND t.revoked_at IS NULL AND (u.active OR d.active)")


class TokenCache:
    def __init__(self, ttl_secs: float = TTL_SECS) -> None:
        self.ttl = ttl_secs
        self._entries: dict[str, tuple[Principal, datetime | None, float]] = {}
        self._lock = threading.Lock()  # green under eventlet/gevent: also keeps the one connection to one query
        self._raw: Any = None
        self._cur: Any = None
        self._alive_sql = ""
        self.queries = 0  # sent on the raw connection, which SQLAlchemy's statement events do not see

    def get(self, engine: Engine, token_hash: str, now: datetime) -> Principal | None:
        """The remembered principal, if looked up less than TTL_SECS ago, not expired and still alive."""
        entry = self._entries.get(token_hash)
        if entry is None:
            return None
        principal, expires_at, fresh_until = entry
        if time.monotonic() >= fresh_until or (expires_at is not None and expires_at <= now) \
                or not self._alive(engine, token_hash):
            self._entries.pop(token_hash, None)
            return None
        return principal

    def put(self, token_hash: str, principal: Principal, expires_at: datetime | None) -> None:
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[token_hash] = (principal, expires_at, time.monotonic() + self.ttl)

    def forget(self, token_hashes: Iterable[str]) -> None:
        with self._lock:
            for h in token_hashes:
                self._entries.pop(h, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _alive(self, engine: Engine, token_hash: str) -> bool:
        """One autocommit read on the raw driver connection (no SQLAlchemy statement building, no BEGIN)."""
        with self._lock:
            try:
                if self._raw is None:
                    self._raw = engine.raw_connection()
                    self._alive_sql = _ALIVE.format(p="?" if engine.dialect.paramstyle == "qmark" else "%s")
                    if engine.dialect.name == "postgresql":
                        self._raw.driver_connection.autocommit = True
                        # Planned once, not at every request: the join's planning was 3/4 of its cost (95 → 20 µs
                        # of PostgreSQL's CPU per check, issue 11; as storage/driver_sql.py prepares the hot SQL).
                        prepare = self._raw.cursor()
                        try:
                            prepare.execute("PREPARE antre_token_alive AS " + _ALIVE.format(p="$1"))
                        finally:
                            prepare.close()
                        self._alive_sql = "EXECUTE antre_token_alive(%s)"
                    self._cur = self._raw.cursor()  # kept: no cursor made and closed per request
                self.queries += 1
                self._cur.execute(self._alive_sql, (token_hash,))
                return bool(self._cur.fetchall())  # to its end: no statement (nor its read) left open
            except Exception:  # a broken kept connection: drop it, and let the full lookup decide this time
                self._drop()
                return False

    def _drop(self) -> None:
        raw, self._raw, self._cur = self._raw, None, None
        if raw is not None:
            try:
                raw.invalidate()
            except Exception:
                pass
