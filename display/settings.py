"""The display's settings: the `[display]` and `[site]` tables of config.toml, checked, with CLI overrides."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hardware.audio import parse_quiet_hours
from hardware.local_server import DEFAULT_SERVER, local_server

WAITING_MODES = ("auto", "service", "agency")
LANGUAGES = ("id", "en")


class ConfigError(Exception):
    """A setting is missing or wrong; the message names the key and fits on one line."""


@dataclass(frozen=True, slots=True)
class DisplaySettings:
    """Everything `python -m display` needs; defaults match the sample config.toml."""

    server: str = DEFAULT_SERVER
    token: str = ""
    fullscreen: bool = True
    agencies: tuple[str, ...] = ()  # limit this TV to some agencies (one floor); () = all
    counters: tuple[str, ...] = ()  # or to some counters; () = all
    ticker: str = ""
    voice: bool = True
    voice_pack: str = ""  # "" = the built-in espeak-ng pack
    volume: float = 1.0
    repeat: int = 2
    quiet: tuple[str, ...] = ()
    site_name: str = ""
    site_short_name: str = ""
    timezone: str = "Asia/Makassar"
    title: str = ""  # optional second header line, e.g. "Lantai 2"
    logo: str = ""  # optional PNG shown in the header; "" = a drawn emblem with the short name
    language: str = "id"  # "id" or "en" for the screen's labels
    waiting_by: str = "auto"  # people waiting per "service", per "agency", or "auto" (whichever fits)
    agency_short_names: tuple[tuple[str, str], ...] = ()  # (code, short_name) from the [[agency]] tables, if any
    size: tuple[int, int] = (1920, 1080)  # window size when not fullscreen, and of --screenshot


def _get(table: Mapping[str, Any], key: str, kind: type | tuple[type, ...], default: Any, where: str) -> Any:
    value = table.get(key, default)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float)):
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{where}: '{key}' should be {expected}, got {value!r}")
    return value


def _str_list(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = _get(table, key, list, [], where)
    if not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: '{key}' should be a list of strings, got {value!r}")
    return tuple(item.strip() for item in value if item.strip())


def check_server_url(url: str) -> str:
    """The server's base URL without a trailing slash; raises ConfigError unless it is http(s)://host…."""
    url = url.strip().rstrip("/")
    scheme, _, rest = url.partition("://")
    if scheme not in ("http", "https") or not rest:
        raise ConfigError(f"[display] server: expected a URL like http://192.168.1.10:5000, got {url!r}")
    return url


def settings_from_dict(raw: Mapping[str, Any]) -> DisplaySettings:
    """Build and check the settings from a parsed config.toml (only [display] and [site] are read)."""
    table = raw.get("display", {})
    site = raw.get("site", {})
    if not isinstance(table, dict) or not isinstance(site, dict):
        raise ConfigError("config: [display] and [site] must be tables")
    where = "[display]"
    server = check_server_url(_get(table, "server", str, DEFAULT_SERVER, where))
    settings = DisplaySettings(
        server=local_server(raw) if server == DEFAULT_SERVER else server,
        token=_get(table, "token", str, "", where).strip(),
        fullscreen=_get(table, "fullscreen", bool, True, where),
        agencies=_str_list(table, "agencies", where),
        counters=_str_list(table, "counters", where),
        ticker=" ".join(_get(table, "ticker", str, "", where).split()),
        voice=_get(table, "voice", bool, True, where),
        voice_pack=_get(table, "voice_pack", str, "", where).strip(),
        volume=_get(table, "volume", float, 1.0, where),
        repeat=_get(table, "repeat", int, 2, where),
        quiet=_str_list(table, "quiet", where),
        site_name=_get(site, "name", str, "", "[site]").strip(),
        site_short_name=_get(site, "short_name", str, "", "[site]").strip(),
        timezone=_get(site, "timezone", str, "Asia/Makassar", "[site]").strip(),
        title=_get(table, "title", str, "", where).strip(),
        logo=_get(table, "logo", str, "", where).strip(),
        language=_get(table, "language", str, "id", where).strip(),
        waiting_by=_get(table, "waiting_by", str, "auto", where).strip(),
        agency_short_names=_short_names(raw.get("agency", [])),
    )
    return check(settings)


def _short_names(agencies: Any) -> tuple[tuple[str, str], ...]:
    """The optional `short_name` of each `[[agency]]` in the same config file (the site's), for the TV's rows."""
    if not isinstance(agencies, list):
        return ()
    out = []
    for agency in agencies:
        if not isinstance(agency, dict) or "short_name" not in agency:
            continue
        short = agency["short_name"]
        if not isinstance(short, str):
            raise ConfigError(f"[[agency]] {agency.get('code', '?')}: 'short_name' should be str, got {short!r}")
        if short.strip() and isinstance(agency.get("code"), str):
            out.append((agency["code"], short.strip()))
    return tuple(out)


def check(settings: DisplaySettings) -> DisplaySettings:
    """Raise ConfigError naming the first wrong value; return the settings unchanged otherwise."""
    if not 0.0 <= settings.volume <= 1.0:
        raise ConfigError(f"[display] volume: expected 0.0 to 1.0, got {settings.volume}")
    if not 1 <= settings.repeat <= 5:
        raise ConfigError(f"[display] repeat: expected 1 to 5, got {settings.repeat}")
    if settings.language not in LANGUAGES:
        raise ConfigError(f"[display] language: expected one of {', '.join(LANGUAGES)}, got {settings.language!r}")
    if settings.waiting_by not in WAITING_MODES:
        raise ConfigError(f"[display] waiting_by: expected one of {', '.join(WAITING_MODES)}, "
                          f"got {settings.waiting_by!r}")
    try:
        parse_quiet_hours(settings.quiet)
    except ValueError as exc:
        raise ConfigError(f"[display] quiet: {exc}") from None
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"[site] timezone: unknown time zone {settings.timezone!r}") from None
    width, height = settings.size
    if width < 320 or height < 240:
        raise ConfigError(f"size: expected at least 320x240, got {width}x{height}")
    return settings


def config_path(explicit: str | None) -> tuple[Path, bool]:
    """The config file to read and whether it must exist (given by --config or ANTRE_CONFIG)."""
    if explicit:
        return Path(explicit), True
    env = os.environ.get("ANTRE_CONFIG", "").strip()
    if env:
        return Path(env), True
    return Path("config.toml"), False


def load_settings(path: str | None = None, **overrides: Any) -> DisplaySettings:
    """Read config.toml (defaults when absent and not asked for by name), then apply non-None overrides."""
    file, required = config_path(path)
    raw: dict[str, Any] = {}
    if file.is_file():
        try:
            raw = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: cannot read: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: not valid TOML: {exc}") from None
    elif required:
        raise ConfigError(f"{file}: config file not found")
    settings = settings_from_dict(raw)
    changes = {key: value for key, value in overrides.items() if value is not None}
    if "server" in changes:
        changes["server"] = check_server_url(changes["server"])
    return check(replace(settings, **changes))


def parse_size(text: str) -> tuple[int, int]:
    """"1366x768" -> (1366, 768); raises ConfigError on anything else."""
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise ConfigError(f"size: expected WIDTHxHEIGHT like 1920x1080, got {text!r}")
    return int(width), int(height)
