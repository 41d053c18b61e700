"""Reads the kiosk's part of config.toml (`[site]`, `[kiosk]`, `[kiosk.printer]`) without importing the server."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hardware.local_server import DEFAULT_SERVER, local_server

DEFAULT_CONFIG = "config.toml"
DEFAULT_IDLE_SECS = 45
LANGUAGES = ("id", "en")
PORTRAIT = (1080, 1920)  # the design size; 1920x1080 landscape works as well


class ConfigError(Exception):
    """A bad or missing setting, described in one line for the operator."""


@dataclass(frozen=True, slots=True)
class KioskConfig:
    """Everything the kiosk reads from config.toml (after command-line overrides)."""

    site_name: str
    timezone: str
    server: str
    token: str
    idle_seconds: float = DEFAULT_IDLE_SECS
    language: str = "id"
    fullscreen: bool = True
    printer: dict[str, Any] = field(default_factory=lambda: {"type": "dummy"})
    agencies: tuple[str, ...] = ()  # `[kiosk] agencies`: only these on this kiosk; () = all of this building
    other_places: tuple[str, ...] = ()  # agencies with a `place` (e.g. a kelurahan office): not in this building

    def shows(self, agency: str) -> bool:
        """Whether this kiosk offers the services of `agency`."""
        return agency in self.agencies if self.agencies else agency not in self.other_places

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def config_path(explicit: str | None) -> Path:
    """`--config`, else `ANTRE_CONFIG`, else ./config.toml."""
    return Path(explicit or os.environ.get("ANTRE_CONFIG") or DEFAULT_CONFIG)


def load_config(path: Path, *, server: str | None = None, token: str | None = None) -> KioskConfig:
    """Parse `path` into a KioskConfig; every problem is a ConfigError naming the file and key."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: berkas konfigurasi tidak ditemukan") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: tidak dapat dibaca ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML tidak valid ({exc})") from None
    return config_from_dict(raw, server=server, token=token, origin=str(path))


def config_from_dict(raw: dict[str, Any], *, server: str | None = None, token: str | None = None,
                     origin: str = "config.toml") -> KioskConfig:
    """Build a KioskConfig from parsed TOML; `server`/`token` override `[kiosk]`."""
    site = _table(raw, "site", origin)
    kiosk = _table(raw, "kiosk", origin)
    timezone = str(site.get("timezone", "Asia/Makassar"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{origin}: [site] timezone = {timezone!r} bukan zona waktu yang dikenal") from None
    idle = kiosk.get("idle_seconds", DEFAULT_IDLE_SECS)
    if isinstance(idle, bool) or not isinstance(idle, int | float) or idle <= 0:
        raise ConfigError(f"{origin}: [kiosk] idle_seconds = {idle!r} harus jumlah detik lebih dari 0")
    language = kiosk.get("language", "id")
    if language not in LANGUAGES:
        raise ConfigError(f"{origin}: [kiosk] language = {language!r} harus \"id\" atau \"en\"")
    fullscreen = kiosk.get("fullscreen", True)
    if not isinstance(fullscreen, bool):
        raise ConfigError(f"{origin}: [kiosk] fullscreen = {fullscreen!r} harus true atau false")
    url = str(server or kiosk.get("server") or DEFAULT_SERVER).rstrip("/")
    if server is None and url == DEFAULT_SERVER:
        url = local_server(raw)
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"{origin}: [kiosk] server = {url!r} harus diawali http:// atau https://")
    printer = kiosk.get("printer", {"type": "dummy"})
    if not isinstance(printer, dict):
        raise ConfigError(f"{origin}: [kiosk.printer] harus berupa tabel")
    agencies = kiosk.get("agencies", [])
    if not isinstance(agencies, list) or not all(isinstance(a, str) for a in agencies):
        raise ConfigError(f"{origin}: [kiosk] agencies = {agencies!r} harus daftar kode instansi, mis. [\"DUKCAPIL\"]")
    # An agency with its own `place` (a kelurahan office) is booked and visited elsewhere, not at this kiosk.
    other_places = tuple(str(a.get("code")) for a in raw.get("agency", [])
                         if isinstance(a, dict) and a.get("place") not in (None, "", "mpp"))
    return KioskConfig(
        site_name=str(site.get("name", "Mal Pelayanan Publik")), timezone=timezone, server=url,
        token=str(token if token is not None else kiosk.get("token", "")).strip(),
        idle_seconds=float(idle), language=language, fullscreen=fullscreen, printer=dict(printer),
        agencies=tuple(agencies), other_places=other_places,
    )


def _table(raw: dict[str, Any], name: str, origin: str) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{origin}: [{name}] harus berupa tabel")
    return value
