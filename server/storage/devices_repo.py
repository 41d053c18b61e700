"""Device health in the `devices` table: a heartbeat stamps `last_seen_at` and keeps the reported state (JSON);
the health monitor reads every active device in one statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from .tables import devices


@dataclass(frozen=True, slots=True)
class DeviceRow:
    id: int
    name: str
    kind: str
    counter: str | None
    last_seen_at: datetime | None
    state: str | None


class DeviceHealthRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def heartbeat(self, device_id: int, state: str, now: datetime) -> bool:
        """Keep the device's latest state and mark it seen now; False when it is unknown or revoked."""
        done = self.conn.execute(update(devices).where(devices.c.id == device_id, devices.c.active.is_(True))
                                 .values(state=state, last_seen_at=now))
        return bool(done.rowcount)

    def state_of(self, device_id: int) -> str | None:
        return self.conn.execute(select(devices.c.state).where(devices.c.id == device_id)).scalar_one_or_none()

    def active(self) -> list[DeviceRow]:
        """Every active device, by name (one statement)."""
        rows: Any = self.conn.execute(
            select(devices.c.id, devices.c.name, devices.c.kind, devices.c.counter, devices.c.last_seen_at,
                   devices.c.state).where(devices.c.active.is_(True)).order_by(devices.c.name))
        return [DeviceRow(r.id, r.name, r.kind, r.counter, r.last_seen_at, r.state) for r in rows]
