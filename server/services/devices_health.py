"""Use cases of device health: a kiosk, TV or survey tablet's heartbeat (version, address, uptime, printer state,
last print error), the health of every device, and the alerts the office must see: a device silent longer than
`offline_after` (offline), a printer out of paper, offline or with its cover open. Alerts are computed from the
stored state and the clock, so every server process agrees on them without any message between processes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..domain.accounts import Principal
from ..domain.errors import Forbidden, Invalid
from ..domain.site import Site
from ..storage.devices_repo import DeviceHealthRepository, DeviceRow
from .context import Context

PRINTER_STATES = ("ok", "paper_low", "paper_out", "cover_open", "offline", "unknown", "none")
PRINTER_PROBLEMS = {"paper_out": "paper_out", "offline": "printer_offline", "cover_open": "cover_open"}
PROBLEM_TEXT = {  # Bahasa Indonesia first: the counter banner and the console show these
    "offline": ("tidak terhubung", "offline"),
    "paper_out": ("kertas printer habis", "printer out of paper"),
    "printer_offline": ("printer mati atau tidak terhubung", "printer offline"),
    "cover_open": ("penutup printer terbuka", "printer cover open"),
}
KIND_TEXT = {"kiosk": "Kios", "display": "Layar TV", "survey": "Tablet survei"}
TEXT_LIMITS = {"version": 40, "ip": 64, "error": 120}
DEFAULT_OFFLINE_AFTER = timedelta(seconds=30)

# One server process serves one site with one config: the window is set once at start ([devices] offline_after)
# and read by every use case that says "online" (the console, GET /api/v1/devices, the command line).
_offline_after = DEFAULT_OFFLINE_AFTER


def configure(offline_after_secs: float) -> None:
    """Set how long a silent device still counts as online (called once when the server or a command starts)."""
    global _offline_after
    _offline_after = timedelta(seconds=offline_after_secs)


def offline_after() -> timedelta:
    return _offline_after


def is_online(active: bool, last_seen: datetime | None, now: datetime) -> bool:
    """An active device heard from within `offline_after` (its heartbeat comes every few seconds)."""
    return active and last_seen is not None and now - last_seen <= _offline_after


@dataclass(frozen=True, slots=True)
class DeviceHealth:
    id: int
    name: str
    kind: str
    counter: str | None
    online: bool
    last_seen: datetime | None
    state: dict[str, Any]

    @property
    def printer(self) -> str | None:
        value = self.state.get("printer")
        return str(value) if value is not None else None

    def problems(self) -> list[str]:
        """What needs a person: offline (only for a device seen before: a spare in a drawer is no alarm), else a
        printer that cannot print."""
        if not self.online:
            return ["offline"] if self.last_seen is not None else []
        problem = PRINTER_PROBLEMS.get(self.printer or "")
        return [problem] if problem else []

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "counter": self.counter, "online": self.online,
                "last_seen": self.last_seen.isoformat() if self.last_seen else None, "printer": self.printer,
                "state": self.state, "problems": self.problems()}


@dataclass(frozen=True, slots=True)
class Alert:
    device_id: int
    device: str
    kind: str
    counter: str | None
    problem: str
    since: datetime | None

    def text(self, lang: str = "id") -> str:
        words = PROBLEM_TEXT[self.problem][0 if lang == "id" else 1]
        return f"{KIND_TEXT.get(self.kind, self.kind) if lang == 'id' else self.kind} {self.device}: {words}"

    def to_dict(self) -> dict[str, Any]:
        return {"device_id": self.device_id, "device": self.device, "kind": self.kind, "counter": self.counter,
                "problem": self.problem, "since": self.since.isoformat() if self.since else None,
                "text": self.text("id"), "text_en": self.text("en")}


def _state(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _clean(payload: Any) -> dict[str, Any]:
    """The heartbeat's fields, checked: short texts, a known printer state, a whole uptime in seconds."""
    if not isinstance(payload, dict):
        raise Invalid("invalid_heartbeat", "Detak perangkat harus berupa objek JSON.")
    state: dict[str, Any] = {}
    printer = payload.get("printer")
    if printer is not None:
        if printer not in PRINTER_STATES:
            raise Invalid("invalid_state", f"printer harus salah satu dari: {', '.join(PRINTER_STATES)}.")
        state["printer"] = printer
    for key, limit in TEXT_LIMITS.items():
        value = payload.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str) or len(value) > limit:
            raise Invalid("invalid_heartbeat", f"'{key}' harus teks paling banyak {limit} karakter.")
        state[key] = value
    uptime = payload.get("uptime")
    if uptime is not None:
        if isinstance(uptime, bool) or not isinstance(uptime, int | float) or uptime < 0:
            raise Invalid("invalid_heartbeat", "'uptime' harus angka detik (0 atau lebih).")
        state["uptime"] = int(uptime)
    return state


def heartbeat(ctx: Context, device: Principal, payload: Any, address: str = "") -> DeviceHealth:
    """A device says it is alive and how it is; no domain event (it would wake every TV every few seconds): the
    monitor turns changes into alerts. A printer state the device leaves out stays as last reported."""
    if device.kind != "device":
        raise Forbidden("forbidden", "Hanya perangkat yang mengirim detak.")
    state = _clean(payload)
    if address and "ip" not in state:
        state["ip"] = address[:TEXT_LIMITS["ip"]]
    now = ctx.now()
    with ctx.engine.begin() as conn:
        repo = DeviceHealthRepository(conn)
        merged = _state(repo.state_of(device.id)) | state
        if not repo.heartbeat(device.id, json.dumps(merged, sort_keys=True), now):
            raise Forbidden("invalid_token", "Perangkat tidak aktif.")
    counter = device.counters[0] if device.counters else None
    return DeviceHealth(device.id, device.name, device.role, counter, True, now, merged)


def _health(row: DeviceRow, now: datetime) -> DeviceHealth:
    return DeviceHealth(row.id, row.name, row.kind, row.counter, is_online(True, row.last_seen_at, now),
                        row.last_seen_at, _state(row.state))


def health(ctx: Context) -> list[DeviceHealth]:
    """Every active device with its online state and last report (one query)."""
    now = ctx.now()
    with ctx.engine.connect() as conn:
        rows = DeviceHealthRepository(conn).active()
    return [_health(r, now) for r in rows]


def alerts_of(devices: list[DeviceHealth]) -> list[Alert]:
    return [Alert(d.id, d.name, d.kind, d.counter, p, d.last_seen) for d in devices for p in d.problems()]


def alerts(ctx: Context) -> list[Alert]:
    """The open alerts, by device name; one clears itself as soon as its device reports it recovered."""
    return alerts_of(health(ctx))


def counter_agencies(site: Site, counter: str | None) -> frozenset[str]:
    """The agencies whose services a loket serves (a device standing at it belongs to them)."""
    found = site.counters.get(counter or "")
    if found is None:
        return frozenset()
    return frozenset(site.services[s].agency for s in found.services if s in site.services)


def alerts_for_counter(site: Site, found: list[Alert], counter: str) -> list[Alert]:
    """What a loket's terminal shows: the building's shared devices (kiosks, TVs with no loket) and the devices
    at lokets of the same agency."""
    mine = counter_agencies(site, counter)
    return [a for a in found if a.counter is None or a.counter == counter
            or counter_agencies(site, a.counter) & mine]
