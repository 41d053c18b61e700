"""The `[booking]` part of config.toml: window, rate limit, check-in window, sessions (default, per place, per
service) and the places citizens book at (the MPP itself, and every `[[agency]]` with a `place` key, e.g. a
kelurahan office). Every problem is one ConfigError line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .config import ConfigError, parse_time
from .domain.booking import BookingRules, Session
from .domain.site import Service, Site
from .site_document import live_sections

SITE_PLACE = "MPP"
DEFAULT_SESSIONS = ({"name": "Pagi", "start": "08:00", "end": "10:00", "quota": 20},
                    {"name": "Siang", "start": "10:00", "end": "12:00", "quota": 20})
MAX_WINDOW_DAYS = 366
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a citizen books: the MPP (kind "mpp") or an office such as a kelurahan (one agency)."""

    code: str
    name: str
    kind: str
    agencies: tuple[str, ...]
    address: str = ""


@dataclass(frozen=True, slots=True)
class BookingConfig:
    rules: BookingRules = field(default_factory=BookingRules)
    rate_limit: str = "20/minute"
    sessions: dict[str, tuple[Session, ...]] = field(default_factory=dict)  # bookable services only
    places: tuple[Place, ...] = ()

    def bookable(self, service: str) -> bool:
        return service in self.sessions

    def place(self, code: str) -> Place | None:
        return next((p for p in self.places if p.code == code), None)

    def place_of(self, site: Site, service: str) -> Place:
        agency = site.services[service].agency
        return next(p for p in self.places if agency in p.agencies)

    def services_at(self, site: Site, place: Place) -> list[Service]:
        return [s for s in site.services.values() if s.agency in place.agencies and self.bookable(s.code)]


def _int(table: dict[str, Any], key: str, default: int, where: str, low: int = 0, high: int = 10_000) -> int:
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"{where}: '{key}' must be a whole number from {low} to {high}")
    return value


def _session(t: Any, where: str) -> Session:
    if not isinstance(t, dict) or not isinstance(t.get("name"), str) or not t["name"].strip():
        raise ConfigError(f"{where}: each session needs a 'name', 'start', 'end' and 'quota'")
    name = t["name"].strip()
    code = str(t.get("code", name)).strip().lower().replace(" ", "-")
    if not _CODE.match(code):
        raise ConfigError(f"{where}: session code {code!r} must be letters, digits, '-' or '_'")
    start = parse_time(t.get("start"), f"{where} session {name!r} start")
    end = parse_time(t.get("end"), f"{where} session {name!r} end")
    if start is None or (end is not None and end <= start):
        raise ConfigError(f"{where}: session {name!r} must end after it starts")
    return Session(code, name, start, end, _int(t, "quota", -1, f"{where} session {name!r}", 1))


def _sessions(value: Any, where: str) -> tuple[Session, ...]:
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where}: 'sessions' must be a non-empty list of {{name, start, end, quota}}")
    sessions = tuple(sorted((_session(t, where) for t in value), key=lambda s: s.start))
    codes = [s.code for s in sessions]
    if len(set(codes)) != len(codes):
        raise ConfigError(f"{where}: two sessions share the code/name {max(codes, key=codes.count)!r}")
    return sessions


def _fits(service: Service, sessions: tuple[Session, ...], where: str) -> None:
    closes = "24:00" if service.close is None else service.close.strftime("%H:%M")
    for s in sessions:
        late = service.close is not None and (s.end is None or s.end > service.close)
        if s.start < service.open or late:
            raise ConfigError(f"{where}: session {s.name!r} ({s.hours}) lies outside the hours of service "
                              f"{service.code} ({service.open:%H:%M}-{closes})")


def _places(site: Site, raw: dict[str, Any]) -> tuple[Place, ...]:
    kinds = {t.get("code"): t for t in raw.get("agency", []) if isinstance(t, dict) and t.get("place")}
    for code, t in kinds.items():
        if not isinstance(t["place"], str):
            raise ConfigError(f"[[agency]] {code}: 'place' must be a text such as \"kelurahan\"")
    mpp = tuple(a for a in site.agencies if a not in kinds)
    site_t = raw.get("site", {})
    places = [Place(SITE_PLACE, site.short_name or site.name, "mpp", mpp, str(site_t.get("address", "")))] if mpp else []
    places += [Place(code, site.agencies[code].name, t["place"], (code,), str(t.get("address", "")))
               for code, t in kinds.items()]
    return tuple(places)


def _service_sessions(site: Site, table: dict[str, Any], places: tuple[Place, ...]) -> dict[str, tuple[Session, ...]]:
    default = _sessions(table.get("sessions", list(DEFAULT_SESSIONS)), "[booking]")
    by_place = table.get("places", {})
    per_service = table.get("services", {})
    if not isinstance(by_place, dict) or not isinstance(per_service, dict):
        raise ConfigError("[booking]: 'places' and 'services' must be tables")
    known_places = {p.kind for p in places} | {p.code for p in places}
    for key in by_place:
        if key not in known_places:
            raise ConfigError(f"[booking.places.{key}]: no place or place kind {key!r}")
    for key in per_service:
        if key not in site.services:
            raise ConfigError(f"[booking.services.{key}]: unknown service {key!r}")
    out: dict[str, tuple[Session, ...]] = {}
    for place in places:
        own = by_place.get(place.code) or by_place.get(place.kind) or {}
        place_sessions = _sessions(own["sessions"], f"[booking.places.{place.code}]") if "sessions" in own else default
        for service in (s for s in site.services.values() if s.agency in place.agencies):
            where = f"[booking.services.{service.code}]"
            t = per_service.get(service.code, {})
            if not isinstance(t, dict) or not isinstance(t.get("enabled", True), bool):
                raise ConfigError(f"{where}: must be a table with 'enabled' (true/false) and/or 'sessions'")
            if not t.get("enabled", True):
                continue
            sessions = _sessions(t["sessions"], where) if "sessions" in t else place_sessions
            _fits(service, sessions, where if "sessions" in t else f"[booking] (place {place.code})")
            out[service.code] = sessions
    return out


def _rate_limit(value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError("[booking]: 'rate_limit' must be a text like \"20/minute\" (\"\" turns it off)")
    if value:
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError:
            raise ConfigError(f"[booking]: bad rate_limit {value!r} (e.g. \"20/minute\")") from None
    return value


def load_booking(site: Site, raw: dict[str, Any]) -> BookingConfig:
    """Validate `[booking]` and the places of the parsed config `raw` of `site` (called by `load_config`);
    raises ConfigError with a one-line reason."""
    raw = live_sections(raw)  # retired agencies and services have no places and no sessions
    table = raw.get("booking", {})
    if not isinstance(table, dict):
        raise ConfigError("[booking] must be a table")
    checkin = table.get("checkin", {})
    if not isinstance(checkin, dict):
        raise ConfigError("[booking.checkin] must be a table")
    rules = BookingRules(
        window_days=_int(table, "window_days", 14, "[booking]", 0, MAX_WINDOW_DAYS),
        checkin_before_minutes=_int(checkin, "before_minutes", 60, "[booking.checkin]", 0, 24 * 60),
        checkin_grace_minutes=_int(checkin, "grace_minutes", 30, "[booking.checkin]", 0, 24 * 60),
    )
    places = _places(site, raw)
    return BookingConfig(rules, _rate_limit(table.get("rate_limit", "20/minute")),
                         _service_sessions(site, table, places), places)
