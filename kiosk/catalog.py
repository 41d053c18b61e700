"""Reading the services board (`GET /services`): agencies in config order, and whether a service can be taken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

OPEN, QUOTA, CLOSED = "open", "quota", "closed"


@dataclass(frozen=True, slots=True)
class Agency:
    """One home-screen tile: an agency (instansi) and a summary of its services."""

    code: str
    name: str
    services: int
    open_services: int
    waiting: int
    opens: datetime | None = None  # when none of its services is open: the first to open again


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
                   sum(int(s.get("waiting") or 0) for s in items), first_opening(items))
            for code, items in found.items()]


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
