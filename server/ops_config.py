"""Operations settings read from config.toml: how devices are judged offline, the log format, how long bookings'
personal data is kept, and where backups go. Parsed from the raw TOML so the rest of the config stays untouched."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .config import ConfigError

LOG_FORMATS = ("text", "json")


@dataclass(frozen=True, slots=True)
class OpsSettings:
    offline_after: float = 30.0  # [devices] offline_after: a device silent this long (seconds) is offline
    heartbeat_seconds: float = 10.0  # [devices] heartbeat_seconds: how often kiosks and TVs say they are alive
    alert_check_seconds: float = 1.0  # how often each process looks for new device alerts (only with counters open)
    log_format: str = "text"  # [server] log_format: "text" or "json" (one JSON object per line)
    retain_days: int = 30  # [booking] retain_days: bookings' names, phones and NIK hashes erased after the visit
    proxies: int = 0  # [server] proxies: reverse proxies in front (nginx: 1) whose X-Forwarded-For/-Proto to trust


def _number(table: dict[str, Any], key: str, default: float, where: str, low: float, high: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ConfigError(f"{where}: '{key}' must be a number from {low:g} to {high:g}")
    return float(value)


def _table(raw: dict[str, Any], name: str) -> dict[str, Any]:
    table = raw.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"[{name}] must be a table")
    return table


def load_ops(raw: dict[str, Any]) -> OpsSettings:
    """The operations settings of a config.toml (already parsed); ConfigError names a bad key."""
    devices, server, booking = _table(raw, "devices"), _table(raw, "server"), _table(raw, "booking")
    log_format = server.get("log_format", "text")
    if log_format not in LOG_FORMATS:
        raise ConfigError(f"[server]: 'log_format' must be one of {', '.join(LOG_FORMATS)}")
    return OpsSettings(
        offline_after=_number(devices, "offline_after", 30, "[devices]", 0.5, 86_400),
        heartbeat_seconds=_number(devices, "heartbeat_seconds", 10, "[devices]", 0.2, 3_600),
        alert_check_seconds=_number(devices, "alert_check_seconds", 1, "[devices]", 0.1, 60),
        log_format=str(log_format),
        retain_days=int(_number(booking, "retain_days", 30, "[booking]", 1, 3_650)),
        proxies=int(_number(server, "proxies", 0, "[server]", 0, 5)),
    )
