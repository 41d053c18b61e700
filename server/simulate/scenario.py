"""A simulation scenario from TOML: the day, each service's arrivals per hour and service-time distribution, the
counters with their hours, breaks and speed, priority and no-show shares (see bench/scenarios/*.toml)."""

from __future__ import annotations

import math
import random
import tomllib
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

from ..domain.errors import Invalid

DISTRIBUTIONS = ("lognormal", "exponential", "fixed")


@dataclass(frozen=True, slots=True)
class ServicePlan:
    code: str
    mean_minutes: float
    rates: dict[int, float]  # local hour → arrivals per hour
    distribution: str = "lognormal"
    cv: float = 0.5  # coefficient of variation of the log-normal

    def draw_seconds(self, rng: random.Random) -> float:
        """One service time in seconds."""
        mean = self.mean_minutes * 60
        if self.distribution == "fixed":
            return mean
        if self.distribution == "exponential":
            return rng.expovariate(1 / mean)
        sigma2 = math.log(1 + self.cv ** 2)
        return rng.lognormvariate(math.log(mean) - sigma2 / 2, math.sqrt(sigma2))


@dataclass(frozen=True, slots=True)
class CounterPlan:
    code: str
    services: tuple[str, ...]
    open: int  # seconds after local midnight
    close: int
    breaks: tuple[tuple[int, int], ...] = ()
    speed: float = 1.0  # its clerk's service times are the service's drawn times × this (1.5: half again as long)


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    day: date
    timezone: str
    services: tuple[ServicePlan, ...]
    counters: tuple[CounterPlan, ...]
    priority_share: float = 0.0
    no_show_share: float = 0.0
    no_show_seconds: float = 60.0  # a clerk waits this long for a called visitor before skipping
    walk_seconds: float = 0.0  # from the call to the start of the service
    burst: int = 2
    default_service_minutes: float = 8.0
    sample_size: int = 20
    end: int = 24 * 3600  # the simulation stops here (seconds after midnight)
    hours_known: bool = True  # the site is told its lokets' hours and breaks ([[counter]] hours)


def arrival_times(rates: dict[int, float], rng: random.Random) -> list[float]:
    """Arrival moments (seconds after midnight) of a Poisson process with a rate constant within each hour
    (memoryless: restarted at every hour)."""
    out = []
    for hour, rate in sorted(rates.items()):
        if rate <= 0:
            continue
        t = hour * 3600 + rng.expovariate(rate / 3600)
        while t < (hour + 1) * 3600:
            out.append(t)
            t += rng.expovariate(rate / 3600)
    return out


def _seconds(text: str, where: str) -> int:
    try:
        at = time.fromisoformat(text)
    except (TypeError, ValueError):
        raise Invalid("bad_time", f"{where}: jam '{text}' tidak valid (HH:MM)") from None
    return at.hour * 3600 + at.minute * 60 + at.second


def parse(raw: dict[str, Any]) -> Scenario:
    """A scenario from its parsed TOML; Invalid with an Indonesian message on a bad field."""
    try:
        services = tuple(ServicePlan(
            code=str(s["code"]), mean_minutes=float(s["mean_minutes"]),
            rates={int(h): float(r) for h, r in dict(s["rate"]).items()},
            distribution=str(s.get("distribution", "lognormal")), cv=float(s.get("cv", 0.5)))
            for s in raw["service"])
        counters = tuple(CounterPlan(
            code=str(c["code"]), services=tuple(c["services"]), open=_seconds(c["open"], c["code"]),
            close=_seconds(c["close"], c["code"]),
            breaks=tuple((_seconds(a, c["code"]), _seconds(b, c["code"])) for a, b in c.get("breaks", [])),
            speed=float(c.get("speed", 1.0)))
            for c in raw["counter"])
        scenario = Scenario(
            name=str(raw.get("name", "scenario")), day=date.fromisoformat(str(raw["date"])),
            timezone=str(raw.get("timezone", "Asia/Makassar")), services=services, counters=counters,
            priority_share=float(raw.get("priority_share", 0)), no_show_share=float(raw.get("no_show_share", 0)),
            no_show_seconds=float(raw.get("no_show_seconds", 60)), walk_seconds=float(raw.get("walk_seconds", 0)),
            burst=int(raw.get("burst", 2)), default_service_minutes=float(raw.get("default_service_minutes", 8)),
            sample_size=int(raw.get("sample_size", 20)),
            end=_seconds(raw["end"], "end") if "end" in raw else 24 * 3600 - 1,
            hours_known=bool(raw.get("hours_known", True)))
    except (KeyError, TypeError, ValueError) as exc:
        raise Invalid("bad_scenario", f"Skenario tidak valid: {exc}") from None
    codes = {s.code for s in services}
    for s in services:
        if s.distribution not in DISTRIBUTIONS or s.mean_minutes <= 0:
            raise Invalid("bad_scenario", f"{s.code}: distribusi {DISTRIBUTIONS} dan mean_minutes > 0")
    for c in counters:
        if c.speed <= 0:
            raise Invalid("bad_scenario", f"{c.code}: speed > 0")
        if not set(c.services) <= codes:
            raise Invalid("bad_scenario", f"{c.code}: layanan tidak dikenal {sorted(set(c.services) - codes)}")
    return scenario


def load(path: Path) -> Scenario:
    return parse(tomllib.loads(path.read_text(encoding="utf-8")))


def site_config(s: Scenario) -> dict[str, Any]:
    """The site the scenario runs on, as a config dict: its services open all day (the kiosk never refuses: the
    arrivals decide), its counters."""
    return {
        "site": {"name": f"Simulasi: {s.name}", "timezone": s.timezone},
        "queue": {"priority_burst": s.burst, "default_service_minutes": s.default_service_minutes,
                  "eta_sample_size": s.sample_size, "ticket_cutoff_minutes": 0},
        "agency": [{"code": "SIM", "name": "Simulasi"}],
        "service": [{"code": p.code, "agency": "SIM", "name": p.code, "prefix": _prefix(i), "open": "00:00",
                     "close": "24:00", "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}
                    for i, p in enumerate(s.services)],
        "counter": [{"code": c.code, "name": c.code, "services": list(c.services)}
                    | ({"hours": _hours(c)} if s.hours_known else {}) for c in s.counters],
    }


def _hours(c: CounterPlan) -> list[list[str]]:
    """A loket's hours as the site configures them: from opening to closing, less its breaks."""
    cuts = [c.open, *(x for a, b in sorted(c.breaks) for x in (a, b)), c.close]
    return [[_hhmm(a), _hhmm(b)] for a, b in zip(cuts[::2], cuts[1::2], strict=True) if b > a]


def _hhmm(seconds: int) -> str:
    return "24:00" if seconds >= 24 * 3600 - 1 else f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _prefix(i: int) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return letters[i] if i < len(letters) else letters[i // len(letters) - 1] + letters[i % len(letters)]
