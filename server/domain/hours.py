"""Opening hours, cutoff, closed days, holidays, breaks and daily quota: may a ticket be issued now?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from .errors import Refused
from .site import WEEKDAYS, Service, Site


@dataclass(frozen=True, slots=True)
class Availability:
    open: bool
    code: str | None = None  # why not: service_closed, service_break, quota_exhausted, ...
    message: str | None = None


OPEN = Availability(True)


def _hhmm(t: time | None) -> str:
    return "24.00" if t is None else t.strftime("%H.%M")


def _at(now: datetime, t: time | None) -> datetime:
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if t is None:
        return day_start + timedelta(days=1)
    return day_start.replace(hour=t.hour, minute=t.minute)


@dataclass(frozen=True, slots=True)
class Admission:
    """Which walk-in rules a new ticket must pass: rules as data, chosen by the use case, not a flag."""

    hours: bool  # open today, inside the opening hours before the cutoff, no holiday, no break
    quota: bool  # the service's daily quota


WALK_IN = Admission(hours=True, quota=True)
# A booked visit was admitted when its session window was checked (`booking.check_checkin_time`): its ticket
# neither waits for the walk-in hours nor is refused by the daily quota (it still counts towards it).
BOOKED_VISIT = Admission(hours=False, quota=False)


def _closed(site: Site, service: Service, now: datetime) -> Availability | None:
    day = WEEKDAYS[now.weekday()]
    if now.date() in site.holidays:
        return Availability(False, "service_closed", f"Layanan tutup: hari libur ({site.holidays[now.date()]}).")
    if day not in service.days:
        return Availability(False, "service_closed", "Layanan tutup hari ini.")
    opens, closes = _at(now, service.open), _at(now, service.close)
    if now < opens:
        return Availability(False, "service_closed", f"Layanan belum buka (buka pukul {_hhmm(service.open)}).")
    cutoff = site.rules.ticket_cutoff_minutes if service.cutoff_minutes is None else service.cutoff_minutes
    if now >= closes - timedelta(minutes=cutoff):
        return Availability(False, "service_closed", f"Pengambilan nomor sudah ditutup (layanan tutup pukul {_hhmm(service.close)}).")
    for pause in site.breaks:
        if day in pause.days and _at(now, pause.start) <= now < _at(now, pause.end):
            return Availability(False, "service_break", f"{pause.name}: dibuka kembali pukul {_hhmm(pause.end)}.")
    return None


def availability(site: Site, service: Service, now: datetime, issued_today: int,
                 admission: Admission = WALK_IN) -> Availability:
    """Whether `service` may issue a ticket at `now` (site-local), given how many it issued today and which
    rules apply to this visitor."""
    closed = _closed(site, service, now) if admission.hours else None
    if closed is not None:
        return closed
    if admission.quota and service.daily_quota and issued_today >= service.daily_quota:
        return Availability(False, "quota_exhausted", "Kuota habis: kuota layanan hari ini sudah terpenuhi.")
    return OPEN


def require_open(site: Site, service: Service, now: datetime, issued_today: int,
                 admission: Admission = WALK_IN) -> None:
    """Raise Refused with the reason's code when no ticket may be issued."""
    state = availability(site, service, now, issued_today, admission)
    if not state.open:
        raise Refused(state.code or "service_closed", state.message or "Layanan tutup.")


# A closed stretch longer than this (a long holiday) leaves `next_opening` without an answer: "closed" is enough.
OPENING_HORIZON_DAYS = 31


def next_opening(site: Site, service: Service, now: datetime) -> datetime | None:
    """When `service` next takes walk-in tickets after `now` (site-local): None when its hours admit one now or
    nothing opens within `OPENING_HORIZON_DAYS`. The quota is not an opening: a used-up quota waits for tomorrow's
    opening like any closed day."""
    if _closed(site, service, now) is None:
        return None
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    for offset in range(OPENING_HORIZON_DAYS + 1):
        day = today + timedelta(days=offset)
        # A service opens at its opening time or again at the end of a break inside its hours.
        starts = [_at(day, service.open)] + [_at(day, b.end) for b in site.breaks if WEEKDAYS[day.weekday()] in b.days]
        for start in sorted(starts):
            if start > now and _closed(site, service, start) is None:
                return start
    return None
