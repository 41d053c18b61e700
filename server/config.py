"""Load and validate config.toml (plus ANTRE_* environment overrides) into the Site, the server, real-time and
booking settings.

Every problem becomes one ConfigError whose message names the key and what is wrong, so the CLI can print
one line and exit non-zero instead of a traceback.
"""

from __future__ import annotations

import os
import secrets
import socket
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .domain.numbering import valid_prefix
from .domain.site import WEEKDAYS, Agency, Break, Counter, QueueRules, Service, Site
from .site_document import LISTS, live_sections

if TYPE_CHECKING:
    from .booking_config import BookingConfig

DEFAULT_CONFIG = "config.toml"
ASYNC_MODES = ("eventlet", "gevent", "threading")
DEFAULT_PORT = 5000
WILDCARD_HOSTS = ("", "0.0.0.0", "::")  # listen on every interface: no single address to print on a ticket


class ConfigError(Exception):
    """A bad configuration; str() is the one-line reason."""


@dataclass(frozen=True, slots=True)
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 5000
    async_mode: str = "eventlet"
    public_url: str = "http://127.0.0.1:5000"
    secret_key: str = ""
    token_hours: float = 12.0
    login_rate_limit: str = "10/minute"
    public_url_fixed: bool = False  # set in [server] public_url (e.g. behind a proxy); else derived from host/port

    def at(self, host: str, port: int) -> ServerSettings:
        """These settings served at host:port (`run --host/--port`); a derived public_url follows the address."""
        url = self.public_url if self.public_url_fixed else derive_public_url(host, port)
        return replace(self, host=host, port=port, public_url=url)


def derive_public_url(host: str, port: int) -> str:
    """The address tickets carry when [server] public_url is not set: http://HOST:PORT, where a wildcard host
    (0.0.0.0) becomes this machine's address on its LAN, the one visitors' phones on the same network reach."""
    if host in WILDCARD_HOSTS:
        host = _lan_address()
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def _lan_address() -> str:
    # Connecting a UDP socket sends nothing; it only asks the kernel which local address would route outwards.
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never a real host
            return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"


@dataclass(frozen=True, slots=True)
class RealtimeSettings:
    message_queue: str = ""  # redis://… when several server processes run
    public_display: bool = True  # False: a display needs a device token to connect
    announce_max_age_secs: float = 60.0  # a call a TV learns later than this after it happened is not read out


@dataclass(frozen=True, slots=True)
class AppConfig:
    site: Site
    server: ServerSettings
    database_url: str
    booking: BookingConfig
    realtime: RealtimeSettings = field(default_factory=RealtimeSettings)
    raw: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


def _need(table: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...] = str) -> Any:
    if key not in table:
        raise ConfigError(f"{where}: missing key '{key}'")
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ConfigError(f"{where}: '{key}' has the wrong type ({type(value).__name__})")
    return value


def parse_time(value: Any, where: str) -> time | None:
    """"08:00" → time(8, 0); "24:00" → None (end of day)."""
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        raise ConfigError(f"{where}: bad time {value!r} (expected HH:MM)")
    if value == "24:00":
        return None
    try:
        return time(int(value[:2]), int(value[3:]))
    except ValueError:
        raise ConfigError(f"{where}: bad time {value!r} (expected HH:MM)") from None


def _days(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where}: 'days' must be a non-empty list like [\"mon\", \"tue\"]")
    for d in value:
        if d not in WEEKDAYS:
            raise ConfigError(f"{where}: unknown day {d!r} in 'days' (use {', '.join(WEEKDAYS)})")
    return tuple(value)


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def _unique(items: list[Any], kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        if item.code in out:
            raise ConfigError(f"[[{kind}]]: duplicate code {item.code!r}")
        out[item.code] = item
    return out


def _agency(t: dict[str, Any]) -> Agency:
    where = f"[[agency]] {t.get('code', '?')}"
    return Agency(_need(t, "code", where), _need(t, "name", where), t.get("floor"))


def _target(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 24 * 60:
        raise ConfigError(f"{where}: 'target_wait_minutes' must be a whole number from 1 to 1440")
    return value


def _service(t: dict[str, Any], agencies: dict[str, Agency], rules: QueueRules) -> Service:
    where = f"[[service]] {t.get('code', '?')}"
    code, agency = _need(t, "code", where), _need(t, "agency", where)
    if agency not in agencies:
        raise ConfigError(f"{where}: unknown agency {agency!r}")
    prefix = _need(t, "prefix", where)
    if not valid_prefix(prefix):
        raise ConfigError(f"{where}: bad prefix {prefix!r} (1-2 capital letters, never I or O)")
    opens = parse_time(_need(t, "open", where), f"{where} open")
    if opens is None:
        raise ConfigError(f"{where}: 'open' cannot be 24:00")
    closes = parse_time(_need(t, "close", where), f"{where} close")
    if closes is not None and closes <= opens:
        raise ConfigError(f"{where}: 'close' must be after 'open'")
    quota = t.get("daily_quota", 0)
    if not isinstance(quota, int) or isinstance(quota, bool) or quota < 0:
        raise ConfigError(f"{where}: 'daily_quota' must be a whole number >= 0")
    return Service(
        code=code, agency=agency, name=_need(t, "name", where), prefix=prefix, open=opens, close=closes,
        days=_days(t.get("days", list(WEEKDAYS[:5])), where), daily_quota=quota,
        cutoff_minutes=t.get("cutoff_minutes"), spell_digits=bool(t.get("spell_digits", False)),
        target_wait_minutes=_target(t.get("target_wait_minutes", rules.target_wait_minutes), where),
        requirements=_strings(t.get("requirements"), where, "requirements"),
        procedure=_strings(t.get("procedure"), where, "procedure"),
        duration=t.get("duration", ""), fee=t.get("fee", ""), product=t.get("product", ""),
        complaint=t.get("complaint", ""),
    )


def _counter(t: dict[str, Any], services: dict[str, Service]) -> Counter:
    where = f"[[counter]] {t.get('code', '?')}"
    served = _strings(_need(t, "services", where, list), where, "services")
    for s in served:
        if s not in services:
            raise ConfigError(f"{where}: unknown service {s!r}")
    return Counter(_need(t, "code", where), _need(t, "name", where), served, _hours(t.get("hours", []), where))


def _hours(value: Any, where: str) -> tuple[tuple[int, int], ...]:
    """A loket's daily hours, e.g. [["08:00", "12:00"], ["13:00", "16:00"]], as seconds after midnight."""
    if not isinstance(value, list):
        raise ConfigError(f"{where}: 'hours' must be a list of [\"HH:MM\", \"HH:MM\"] pairs")
    out: list[tuple[int, int]] = []
    for pair in value:
        if not isinstance(pair, list) or len(pair) != 2:
            raise ConfigError(f"{where}: 'hours' must be a list of [\"HH:MM\", \"HH:MM\"] pairs")
        start, end = (parse_time(v, f"{where} hours") for v in pair)
        if start is None:
            raise ConfigError(f"{where}: hours cannot start at 24:00")
        a = start.hour * 3600 + start.minute * 60
        b = 86400 if end is None else end.hour * 3600 + end.minute * 60
        if b <= a or (out and a < out[-1][1]):
            raise ConfigError(f"{where}: hours must be in order, each ending after it starts")
        out.append((a, b))
    return tuple(out)


def _rules(t: dict[str, Any]) -> QueueRules:
    try:
        rules = QueueRules(
            priority_burst=int(t.get("priority_burst", 2)),
            ticket_cutoff_minutes=int(t.get("ticket_cutoff_minutes", 30)),
            default_service_minutes=float(t.get("default_service_minutes", 8)),
            eta_sample_size=int(t.get("eta_sample_size", 20)),
            target_wait_minutes=_target(t.get("target_wait_minutes", 30), "[queue]"),
        )
    except (TypeError, ValueError):
        raise ConfigError("[queue]: values must be numbers") from None
    if rules.priority_burst < 0 or rules.ticket_cutoff_minutes < 0 or rules.default_service_minutes <= 0:
        raise ConfigError("[queue]: priority_burst and ticket_cutoff_minutes must be >= 0, default_service_minutes > 0")
    return rules


def _break(t: dict[str, Any]) -> Break:
    where = "[[break]]"
    start = parse_time(_need(t, "start", where), f"{where} start")
    end = parse_time(_need(t, "end", where), f"{where} end")
    if start is None or end is None or end <= start:
        raise ConfigError(f"{where}: 'end' must be after 'start'")
    return Break(_days(t.get("days", list(WEEKDAYS)), where), start, end, t.get("name", "Istirahat"))


def _holidays(items: list[dict[str, Any]]) -> dict[date, str]:
    out: dict[date, str] = {}
    for h in items:
        raw = h.get("date")
        try:
            day = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
        except ValueError:
            raise ConfigError(f"[[holiday]]: bad date {raw!r} (expected YYYY-MM-DD)") from None
        out[day] = str(h.get("name", "Hari libur"))
    return out


def _check_retired(raw: dict[str, Any]) -> None:
    for kind in LISTS:
        for t in raw.get(kind, []):
            if isinstance(t, dict) and not isinstance(t.get("retired", False), bool):
                raise ConfigError(f"[[{kind}]] {t.get('code', t.get('date', '?'))}: 'retired' must be true or false")


def build_site(raw: dict[str, Any]) -> Site:
    """Validate the site part of a parsed config and build the domain's Site (entries with `retired = true` stay
    in the document but are no part of the live site)."""
    _check_retired(raw)
    raw = live_sections(raw)
    site_t = raw.get("site", {})
    name = _need(site_t, "name", "[site]")
    tz_name = _need(site_t, "timezone", "[site]")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"[site]: unknown timezone {tz_name!r} (e.g. \"Asia/Makassar\")") from None
    agencies = _unique([_agency(t) for t in raw.get("agency", [])], "agency")
    rules = _rules(raw.get("queue", {}))
    services = _unique([_service(t, agencies, rules) for t in raw.get("service", [])], "service")
    if not services:
        raise ConfigError("config: at least one [[service]] is needed")
    prefixes: dict[str, str] = {}
    for s in services.values():
        if s.prefix in prefixes:
            raise ConfigError(f"[[service]] {s.code}: prefix {s.prefix!r} already used by {prefixes[s.prefix]}")
        prefixes[s.prefix] = s.code
    counters = _unique([_counter(t, services) for t in raw.get("counter", [])], "counter")
    return Site(
        name=name, timezone=tz, agencies=agencies, services=services, counters=counters,
        rules=rules, breaks=tuple(_break(b) for b in raw.get("break", [])),
        holidays=_holidays(raw.get("holiday", [])), short_name=site_t.get("short_name", name),
    )


def _port(value: Any) -> int:
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"[server]: bad port {value!r}") from None
    if not 0 < port < 65536:
        raise ConfigError(f"[server]: bad port {value!r} (1-65535)")
    return port


def _public_url(t: dict[str, Any], host: str, port: int) -> tuple[str, bool]:
    """(public_url, whether it was configured): a value equal to what the file's own host/port would give, or
    to the sample's "http://127.0.0.1:5000", counts as not configured, so a port changed in the file, ANTRE_PORT
    or `run --port` moves it along."""
    given = str(t.get("public_url", "")).strip().rstrip("/")
    ports = (_port(t.get("port", DEFAULT_PORT)), DEFAULT_PORT)
    hosts = ("127.0.0.1", "localhost", str(t.get("host", "127.0.0.1")))
    defaults = {f"http://{h}:{p}" for h in hosts for p in ports}
    if given and given not in defaults:
        return given, True
    return derive_public_url(host, port), False


def _server(t: dict[str, Any]) -> ServerSettings:
    port = _port(os.environ.get("ANTRE_PORT") or t.get("port", DEFAULT_PORT))
    mode = t.get("async_mode", "eventlet")
    if mode not in ASYNC_MODES:
        raise ConfigError(f"[server]: async_mode {mode!r} is not one of {', '.join(ASYNC_MODES)}")
    host = str(t.get("host", "127.0.0.1"))
    public_url, fixed = _public_url(t, host, port)
    return ServerSettings(
        host=host, port=port, async_mode=mode, public_url=public_url, public_url_fixed=fixed,
        secret_key=os.environ.get("ANTRE_SECRET_KEY", str(t.get("secret_key", ""))),
        token_hours=float(t.get("token_hours", 12)), login_rate_limit=str(t.get("login_rate_limit", "10/minute")),
    )


def _realtime(t: Any) -> RealtimeSettings:
    if not isinstance(t, dict):
        raise ConfigError("[realtime] must be a table")
    queue = os.environ.get("ANTRE_MESSAGE_QUEUE", t.get("message_queue", ""))
    if not isinstance(queue, str):
        raise ConfigError("[realtime]: 'message_queue' must be a text such as \"redis://127.0.0.1:6379/0\"")
    public = t.get("public_display", True)
    if not isinstance(public, bool):
        raise ConfigError("[realtime]: 'public_display' must be true or false")
    age = t.get("announce_max_age_secs", 60)
    if isinstance(age, bool) or not isinstance(age, int | float) or age < 0:
        raise ConfigError("[realtime]: 'announce_max_age_secs' must be a number of seconds, 0 or more")
    return RealtimeSettings(queue, public, float(age))


def load_config(path: str | os.PathLike[str] | None = None) -> AppConfig:
    """Read the config file named by `path`, $ANTRE_CONFIG or ./config.toml and validate it."""
    file = Path(path or os.environ.get("ANTRE_CONFIG") or DEFAULT_CONFIG)
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{file}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot be read ({exc})") from None
    try:
        return config_from_dict(raw, file)
    except ConfigError as exc:
        raise ConfigError(f"{file}: {exc}") from None


def config_from_dict(raw: dict[str, Any], path: Path | None = None) -> AppConfig:
    """Validate an already-parsed config (tests build them in memory)."""
    # Imported here: the booking loader builds on this module's ConfigError and parse_time.
    from .booking_config import load_booking

    url = os.environ.get("ANTRE_DATABASE_URL") or raw.get("storage", {}).get("url", "sqlite:///var/antre.db")
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and path is not None:
        # A relative SQLite path is relative to the config file, not to wherever the server was started.
        url = "sqlite:///" + str((path.parent / url[len("sqlite:///"):]).resolve())
    site = build_site(raw)
    return AppConfig(
        site=site, server=_server(raw.get("server", {})), database_url=url, booking=load_booking(site, raw),
        realtime=_realtime(raw.get("realtime", {})), raw=raw, path=path,
    )


def load_secret(config: AppConfig) -> bytes:
    """The server secret: from config/ANTRE_SECRET_KEY, else generated once and kept in var/secret_key beside
    the config file (tokens and NIK hashes depend on it, so it must survive restarts)."""
    if config.server.secret_key:
        return config.server.secret_key.encode()
    base = config.path.parent if config.path else Path.cwd()
    file = base / "var" / "secret_key"
    if file.exists():
        return file.read_text().strip().encode()
    file.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    file.write_text(value + "\n")
    file.chmod(0o600)
    return value.encode()
