"""The site as configured: agencies, services, counters, hours, breaks, holidays and queue rules (values only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class Agency:
    code: str
    name: str
    floor: int | None = None


@dataclass(frozen=True, slots=True)
class Break:
    """A daily pause (e.g. Friday prayer) during which no tickets are issued."""

    days: tuple[str, ...]
    start: time
    end: time
    name: str = "Istirahat"


@dataclass(frozen=True, slots=True)
class Service:
    code: str
    agency: str
    name: str
    prefix: str
    open: time
    close: time | None  # None = end of day ("24:00")
    days: tuple[str, ...]
    daily_quota: int = 0  # 0 = unlimited
    cutoff_minutes: int | None = None  # None = the site's [queue] ticket_cutoff_minutes
    spell_digits: bool = False  # announce "A satu dua tiga" instead of "A seratus dua puluh tiga"
    target_wait_minutes: int = 30  # the wait this service aims to stay under (board colours, reports' share)
    requirements: tuple[str, ...] = ()
    procedure: tuple[str, ...] = ()
    duration: str = ""
    fee: str = ""
    product: str = ""
    complaint: str = ""


@dataclass(frozen=True, slots=True)
class Counter:
    code: str
    name: str
    services: tuple[str, ...]
    # When the loket is staffed each day: (from, until) in seconds after local midnight, in order; empty = not
    # known (the estimate then counts only the lokets open at the moment). Lets a ticket taken before its lokets
    # open, or before a break, get a true estimate.
    hours: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class QueueRules:
    priority_burst: int = 2
    ticket_cutoff_minutes: int = 30
    default_service_minutes: float = 8.0
    eta_sample_size: int = 20
    target_wait_minutes: int = 30  # a service's target wait unless it sets its own


@dataclass(frozen=True, slots=True)
class Site:
    name: str
    timezone: ZoneInfo
    agencies: dict[str, Agency]
    services: dict[str, Service]
    counters: dict[str, Counter]
    rules: QueueRules = field(default_factory=QueueRules)
    breaks: tuple[Break, ...] = ()
    holidays: dict[date, str] = field(default_factory=dict)
    short_name: str = ""

    def counters_serving(self, service: str) -> list[Counter]:
        return [c for c in self.counters.values() if service in c.services]
