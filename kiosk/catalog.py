"""Reading the services board (`GET /services`): agencies in config order, and whether a service can be taken."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

OPEN, QUOTA, CLOSED = "open", "quota", "closed"
LABEL_MAX_CHARS = 24  # a service label on an agency tile longer than this gives way to its acronym
ACRONYM = re.compile(r"^[A-Z][A-Z0-9-]{1,7}$")


@dataclass(frozen=True, slots=True)
class Agency:
    """One home-screen tile: an agency (instansi) and a summary of its services."""

    code: str
    name: str
    services: int
    open_services: int
    waiting: int
    opens: datetime | None = None  # when none of its services is open: the first to open again
    highlights: tuple[str, ...] = ()  # its services' short labels, in config order ("KTP Elektronik", "KIS")


def service_state(service: dict[str, Any]) -> str:
    """`open`, `quota` (Kuota Habis) or `closed` (Layanan Tutup)."""
    if service.get("open_now"):
        return OPEN
    return QUOTA if service.get("closed_reason") == "quota_exhausted" else CLOSED


def next_open(service: dict[str, Any]) -> datetime | None:
    """When a closed service takes tickets again (the server's `next_open`), or None when unknown or open."""
    value = service.get("next_open")
    if service.get("open_now") or not isinstance(value, str):
        return None
    try:
        opens = datetime.fromisoformat(value)
    except ValueError:
        return None
    return opens if opens.tzinfo is not None else None


def first_opening(services: list[dict[str, Any]]) -> datetime | None:
    """The earliest next opening of these services, or None when one of them is open or none says when."""
    if any(service_state(s) != CLOSED for s in services):
        return None
    openings = [o for o in map(next_open, services) if o is not None]
    return min(openings) if openings else None


def agencies(services: list[dict[str, Any]]) -> list[Agency]:
    """The agencies that have services, in the order the site's config lists them."""
    found: dict[str, list[dict[str, Any]]] = {}
    names: dict[str, str] = {}
    for service in services:
        code = str(service.get("agency") or "")
        found.setdefault(code, []).append(service)
        names.setdefault(code, str(service.get("agency_name") or code))
    return [Agency(code, names[code], len(items), sum(service_state(s) == OPEN for s in items),
                   sum(int(s.get("waiting") or 0) for s in items), first_opening(items),
                   tuple(service_label(str(s.get("name") or s.get("code") or "")) for s in items))
            for code, items in found.items()]


def service_label(name: str) -> str:
    """A service's name as a short hint on its agency's tile: "KTP Elektronik (rekam / cetak)" -> "KTP Elektronik",
    "Perizinan Berusaha (NIB / OSS-RBA)" -> "NIB", "Layanan Peserta BPJS Kesehatan" -> "BPJS"."""
    inside = re.findall(r"\(([^)]*)\)", name)
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip() or name
    first = inside[0].split()[0].strip("/,") if inside and inside[0].split() else ""
    if ACRONYM.match(first):
        return first  # the abbreviation in brackets is how visitors know the service (NIB, KIS, SKHPN)
    if len(bare) > LABEL_MAX_CHARS:
        acronym = next((w for w in bare.split() if ACRONYM.match(w)), None)
        return acronym or bare
    return bare


def fold(text: str) -> str:
    """Text as the search compares it: lower case, no accents, punctuation as spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def search(services: list[dict[str, Any]], query: str) -> list[dict[str, Any]]:
    """The services whose name, code or agency contain every word of `query`, best first: names that start with
    it, then names with a word that starts with it, then other name matches, then matches on the agency only.
    An empty query lists every service A-Z."""
    words = fold(query).split()
    if not words:
        return sorted(services, key=lambda s: fold(str(s.get("name") or "")))
    ranked = []
    for service in services:
        name = fold(str(service.get("name") or ""))
        haystack = " ".join([name, fold(str(service.get("code") or "")), fold(str(service.get("agency") or "")),
                             fold(str(service.get("agency_name") or ""))])
        if not all(word in haystack for word in words):
            continue
        phrase = " ".join(words)
        rank = 0 if name.startswith(phrase) else 1 if f" {words[0]}" in f" {name}" else 2 if words[0] in name else 3
        ranked.append((rank, name, service))
    return [service for _, _, service in sorted(ranked, key=lambda r: (r[0], r[1]))]


def services_of(services: list[dict[str, Any]], agency: str | None) -> list[dict[str, Any]]:
    return [s for s in services if s.get("agency") == agency]


def find(services: list[dict[str, Any]], code: str | None) -> dict[str, Any] | None:
    return next((s for s in services if s.get("code") == code), None)


def agency_names(services: list[dict[str, Any]]) -> dict[str, str]:
    """Agency code -> name, for the printed ticket."""
    return {str(s.get("agency")): str(s.get("agency_name") or s.get("agency")) for s in services}


def apply_queue_change(services: list[dict[str, Any]], change: Any) -> bool:
    """Apply a `queue_changed` {service, waiting} message in place; True when something changed."""
    if not isinstance(change, dict):
        return False
    service = find(services, change.get("service"))
    waiting = change.get("waiting")
    if service is None or not isinstance(waiting, int) or service.get("waiting") == waiting:
        return False
    service["waiting"] = waiting
    return True
