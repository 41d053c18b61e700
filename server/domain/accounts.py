"""Who acts: the principal behind a bearer token (a user or a device), and what a supervisor may manage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .site import Site

ROLES = ("admin", "supervisor", "clerk")
DEVICE_KINDS = ("kiosk", "display", "survey")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a bearer token speaks for: a user or a device."""

    kind: str  # user | device | system (the command line)
    name: str
    role: str  # admin | supervisor | clerk | kiosk | display | survey
    counters: tuple[str, ...] = ()
    id: int = 0
    agencies: tuple[str, ...] = ()  # a supervisor's agencies


def counters_of(site: Site, agencies: Iterable[str]) -> set[str]:
    """The counters that serve at least one service of `agencies` (a supervisor's counters)."""
    wanted = set(agencies)
    services = {s.code for s in site.services.values() if s.agency in wanted}
    return {c.code for c in site.counters.values() if services.intersection(c.services)}


def manages_counters(actor: Principal, site: Site, counters: Iterable[str]) -> bool:
    """Whether `actor` may manage a clerk or device bound to `counters`: an admin always; a supervisor only when
    there is at least one and every one serves their agencies (so no other agency's counter is touched)."""
    if actor.role == "admin":
        return True
    if actor.role != "supervisor":
        return False
    wanted = set(counters)
    return bool(wanted) and wanted <= counters_of(site, actor.agencies)
