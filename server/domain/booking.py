"""Online booking rules (pure): sessions and their quota, the booking window, closed days, booking codes,
the check-in (Lapor Hadir) window and when an unused booking expires as *tidak hadir*.

A booking is a reservation, not a place in line: the place starts when the citizen checks in and a ticket is
issued. Times are aware datetimes in the site's zone; nothing here reads a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from .errors import Invalid, Refused
from .site import WEEKDAYS, Service, Site

# No 0/O, 1/I: a code read aloud or typed on a kiosk keypad is never ambiguous. 32 symbols, so one random
# byte modulo 32 is unbiased.
BOOKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 6


class BookingStatus(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


BOOKING_STATUS_LABELS = {
    BookingStatus.BOOKED: "terjadwal",
    BookingStatus.CHECKED_IN: "sudah lapor hadir",
    BookingStatus.CANCELLED: "dibatalkan",
    BookingStatus.EXPIRED: "tidak hadir",
}


@dataclass(frozen=True, slots=True)
class Session:
    """A bookable part of a day (e.g. Pagi 08.00-10.00) with its own quota."""

    code: str
    name: str
    start: time
    end: time | None  # None = end of day ("24:00")
    quota: int

    def starts(self, day: date, tz: ZoneInfo) -> datetime:
        return datetime.combine(day, self.start, tzinfo=tz)

    def ends(self, day: date, tz: ZoneInfo) -> datetime:
        if self.end is None:
            return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
        return datetime.combine(day, self.end, tzinfo=tz)

    @property
    def hours(self) -> str:
        return f"{hhmm(self.start)}-{hhmm(self.end)}"


@dataclass(frozen=True, slots=True)
class BookingRules:
    window_days: int = 14  # how far ahead (days after today, inclusive) a citizen may book
    checkin_before_minutes: int = 60  # Lapor Hadir opens this long before the session starts
    checkin_grace_minutes: int = 30  # and closes this long after it ends; then the booking expires


@dataclass(frozen=True, slots=True)
class DayOption:
    day: date
    open: bool
    reason: str | None = None


def hhmm(t: time | None) -> str:
    return "24.00" if t is None else t.strftime("%H.%M")


# ---------------------------------------------------------------------- codes
def make_code(random_bytes: bytes) -> str:
    """A booking code from CODE_LENGTH random bytes (the caller supplies them, e.g. secrets.token_bytes)."""
    if len(random_bytes) < CODE_LENGTH:
        raise ValueError(f"need {CODE_LENGTH} random bytes")
    return "".join(BOOKING_ALPHABET[b % len(BOOKING_ALPHABET)] for b in random_bytes[:CODE_LENGTH])


def normalize_code(text: str) -> str:
    """What a citizen or a scanner typed (`k7p 3qx`, `K7P-3QX`) → `K7P3QX`; Invalid when it cannot be a code."""
    code = "".join(text.split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(ch not in BOOKING_ALPHABET for ch in code):
        raise Invalid("invalid_booking_code", f"Kode booking terdiri dari {CODE_LENGTH} huruf/angka, "
                      "tanpa huruf O dan I serta angka 0 dan 1.", field="code")
    return code


# ---------------------------------------------------------------------- days and sessions
def closed_reason(site: Site, service: Service, day: date) -> str | None:
    """Why `service` takes no bookings on `day` (holiday, closed weekday), or None when it is open."""
    if day in site.holidays:
        return f"Hari libur: {site.holidays[day]}"
    if WEEKDAYS[day.weekday()] not in service.days:
        return "Layanan tutup pada hari ini"
    return None


def booking_days(site: Site, service: Service, today: date, rules: BookingRules) -> list[DayOption]:
    """Every day of the booking window, from today, each open or with the reason it is closed."""
    days = (today + timedelta(days=n) for n in range(rules.window_days + 1))
    return [DayOption(d, (r := closed_reason(site, service, d)) is None, r) for d in days]


def sessions_on(site: Site, sessions: tuple[Session, ...], day: date) -> list[Session]:
    """The sessions held on `day`: a session lying wholly inside a break of that weekday (salat Jumat) is dropped."""
    weekday = WEEKDAYS[day.weekday()]
    breaks = [b for b in site.breaks if weekday in b.days]

    def inside_break(s: Session) -> bool:
        return any(b.start <= s.start and s.end is not None and s.end <= b.end for b in breaks)

    return [s for s in sessions if not inside_break(s)]


def find_session(sessions: list[Session], code: str) -> Session:
    for s in sessions:
        if s.code == code.strip().lower():
            return s
    names = ", ".join(s.code for s in sessions) or "-"
    raise Invalid("unknown_session", f"Sesi '{code}' tidak ada pada hari itu (pilihan: {names}).", field="session")


def check_bookable(site: Site, service: Service, session: Session, day: date, now: datetime,
                   rules: BookingRules) -> None:
    """Raise unless `session` of `day` may still be booked at `now` (window, closed days, session over)."""
    today = now.date()
    if day < today or day > today + timedelta(days=rules.window_days):
        last = (today + timedelta(days=rules.window_days)).isoformat()
        raise Invalid("date_outside_window", f"Tanggal harus antara hari ini dan {last} "
                      f"({rules.window_days} hari ke depan).", field="date")
    reason = closed_reason(site, service, day)
    if reason:
        raise Refused("date_closed", f"{reason}; pilih tanggal lain.")
    if now >= session.ends(day, site.timezone):
        raise Refused("session_over", f"Sesi {session.name} ({session.hours}) hari ini sudah lewat; pilih sesi lain.")


# ---------------------------------------------------------------------- check-in and expiry
def checkin_window(session: Session, day: date, tz: ZoneInfo, rules: BookingRules) -> tuple[datetime, datetime]:
    """When Lapor Hadir is open for a booking of `session` on `day`: [opens, closes)."""
    opens = session.starts(day, tz) - timedelta(minutes=rules.checkin_before_minutes)
    closes = session.ends(day, tz) + timedelta(minutes=rules.checkin_grace_minutes)
    return opens, closes


def check_checkin_time(session: Session, day: date, now: datetime, rules: BookingRules) -> None:
    """Raise Refused (checkin_too_early / checkin_too_late) with the times, unless `now` is inside the window."""
    opens, closes = checkin_window(session, day, now.tzinfo, rules)  # type: ignore[arg-type]
    if now < opens:
        when = f"{opens:%d-%m-%Y} pukul {opens:%H.%M}" if opens.date() != now.date() else f"pukul {opens:%H.%M}"
        raise Refused("checkin_too_early", f"Lapor Hadir untuk sesi {session.name} ({session.hours}) baru dibuka "
                      f"{when}.", opens_at=opens.isoformat(timespec="minutes"))
    if now >= closes:
        raise Refused("checkin_too_late", f"Waktu Lapor Hadir sesi {session.name} sudah lewat (ditutup pukul "
                      f"{closes:%H.%M}); booking dinyatakan tidak hadir. Silakan ambil nomor antrean biasa.",
                      closed_at=closes.isoformat(timespec="minutes"))


def expiry_time(session: Session, day: date, tz: ZoneInfo, rules: BookingRules) -> datetime:
    """When an unused booking becomes *tidak hadir*: the end of its session plus the grace period."""
    return checkin_window(session, day, tz, rules)[1]


# ---------------------------------------------------------------------- the booking aggregate
@dataclass(slots=True)
class Booking:
    code: str
    service: str
    local_date: date
    session: str
    name: str
    nik_hmac: str
    nik_last4: str
    phone: str | None
    created_at: datetime
    expires_at: datetime
    priority: str | None = None
    status: BookingStatus = BookingStatus.BOOKED
    checked_in_at: datetime | None = None
    cancelled_at: datetime | None = None
    ticket_id: int | None = None
    checked_in_by: str | None = None
    id: int | None = None

    def _require(self, action: str, *allowed: BookingStatus) -> None:
        if self.status not in allowed:
            raise Refused("booking_not_active", f"Booking {self.code} berstatus '{BOOKING_STATUS_LABELS[self.status]}', "
                          f"tidak bisa {action}.", status=self.status.value)

    def cancel(self, now: datetime) -> None:
        self._require("batalkan", BookingStatus.BOOKED)
        self.status, self.cancelled_at = BookingStatus.CANCELLED, now

    def reschedule(self, day: date, session: str, expires_at: datetime) -> None:
        self._require("ubah jadwal", BookingStatus.BOOKED)
        self.local_date, self.session, self.expires_at = day, session, expires_at

    def check_in(self, now: datetime, ticket_id: int, by: str) -> None:
        self._require("lapor hadir", BookingStatus.BOOKED)
        self.status, self.checked_in_at, self.ticket_id, self.checked_in_by = \
            BookingStatus.CHECKED_IN, now, ticket_id, by

    def overdue(self, now: datetime) -> bool:
        """Still booked after its check-in window closed: a no-show (stored as expired by the next sweep)."""
        return self.status is BookingStatus.BOOKED and now >= self.expires_at

    def effective_status(self, now: datetime) -> BookingStatus:
        return BookingStatus.EXPIRED if self.overdue(now) else self.status
