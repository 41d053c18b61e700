"""Use cases of online booking: slots, book, lookup, cancel, reschedule, check-in (Lapor Hadir), expire no-shows.

Writes go through `context.run` (one transaction, its domain events, retried when a concurrent writer won); the
booking settings come with the context (`ctx.booking`). The NIK is turned into its HMAC at the door and never stored, logged or returned whole.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from ..domain.accounts import Principal
from ..domain.booking import (
    Booking,
    BookingStatus,
    DayOption,
    Session,
    booking_days,
    check_bookable,
    check_checkin_time,
    checkin_window,
    expiry_time,
    find_session,
    make_code,
    normalize_code,
    sessions_on,
)
from ..domain.booking_events import (
    BookingCancelled,
    BookingCheckedIn,
    BookingCreated,
    BookingRescheduled,
    BookingsExpired,
)
from ..domain.errors import Forbidden, Invalid, NotFound, Refused
from ..domain.hours import BOOKED_VISIT
from ..domain.nik import NikWarning, check_nik, mask_nik, nik_hmac
from ..domain.site import Service
from ..domain.ticket import parse_priority
from ..storage.booking_repo import BookingRepository
from ..storage.uow import UnitOfWork
from .context import Context, run
from .lines import TicketInfo, describe
from .phone import normalize_phone
from .tickets import issue_in

MAX_NAME = 100
CHECKIN_SCOPE = "booking"  # idempotency scope of check-in tickets: one ticket per booking code, ever


@dataclass(frozen=True, slots=True)
class BookingRequest:
    service: str
    day: date
    session: str
    name: str
    nik: str
    phone: str = ""
    consent: bool = False
    priority: str | None = None


@dataclass(frozen=True, slots=True)
class Booked:
    booking: Booking
    nik_masked: str  # 6472********0001: the full NIK is at hand only in this answer
    warnings: tuple[NikWarning, ...] = ()


@dataclass(frozen=True, slots=True)
class Slot:
    session: Session
    remaining: int
    available: bool
    reason: str | None = None  # session_over | session_full


def _repo(uow: UnitOfWork) -> BookingRepository:
    return BookingRepository(uow.conn, uow.tz)


def bookable_service(ctx: Context, code: str) -> Service:
    service = ctx.site.services.get(code)
    if service is None:
        raise NotFound("unknown_service", f"Layanan '{code}' tidak ada.")
    if not ctx.booking.bookable(code):
        raise Refused("booking_not_offered", f"Layanan {service.name} tidak melayani antrean online; "
                      "silakan datang dan ambil nomor antrean di kios.")
    return service


def booking_dates(ctx: Context, service: str) -> list[DayOption]:
    """The days of the booking window for `service`, each open or with the reason it is closed."""
    return booking_days(ctx.site, bookable_service(ctx, service), ctx.now().date(), ctx.booking.rules)


def slots(ctx: Context, service: str, day: date) -> list[Slot]:
    """The sessions of `day` with their remaining places (a session that is over or full is not available)."""
    cfg, svc, now = ctx.booking, bookable_service(ctx, service), ctx.now()
    option = next((d for d in booking_days(ctx.site, svc, now.date(), cfg.rules) if d.day == day), None)
    if option is None:
        raise Invalid("date_outside_window", f"Tanggal harus antara hari ini dan {cfg.rules.window_days} hari ke "
                      "depan.", field="date")
    if not option.open:
        raise Refused("date_closed", f"{option.reason}; pilih tanggal lain.")
    with ctx.uow() as uow:
        taken = _repo(uow).taken(service, day)
    out = []
    for s in sessions_on(ctx.site, cfg.sessions[service], day):
        left = max(0, s.quota - taken.get(s.code, 0))
        over = now >= s.ends(day, ctx.site.timezone)
        reason = "session_over" if over else ("session_full" if left == 0 else None)
        out.append(Slot(s, left, reason is None, reason))
    return out


def _name(text: str) -> str:
    name = " ".join(text.split())
    if not 2 <= len(name) <= MAX_NAME or not any(ch.isalpha() for ch in name) or not name.isprintable():
        raise Invalid("invalid_name", f"Nama lengkap: 2-{MAX_NAME} karakter, sesuai KTP.", field="name")
    return name


def book(ctx: Context, req: BookingRequest) -> Booked:
    """Reserve a place in a session: quota and one-active-booking-per-NIK are enforced by the database."""
    cfg, svc = ctx.booking, bookable_service(ctx, req.service)
    if not req.consent:
        raise Invalid("consent_required", "Centang persetujuan pemrosesan data pribadi untuk melanjutkan.",
                      field="consent")
    name, now = _name(req.name), ctx.now()
    nik = check_nik(req.nik, now.date())
    phone = normalize_phone(req.phone) if req.phone.strip() else None
    priority = parse_priority(req.priority)
    session = find_session(sessions_on(ctx.site, cfg.sessions[svc.code], req.day), req.session)
    check_bookable(ctx.site, svc, session, req.day, now, cfg.rules)
    digest = nik_hmac(ctx.secret, nik.nik)

    def work(uow: UnitOfWork) -> Booking:
        repo = _repo(uow)
        repo.expire_overdue(now, nik_hmac=digest)  # an earlier no-show must not block a new booking
        if repo.active_for(digest, svc.code, req.day) is not None:
            raise Refused("duplicate_booking", "NIK ini sudah punya booking aktif untuk layanan ini pada tanggal "
                          "tersebut. Satu NIK hanya boleh satu booking per layanan per hari.")
        if not repo.take_place(svc.code, req.day, session.code, session.quota):
            raise Refused("session_full", f"Kuota sesi {session.name} ({session.hours}) sudah habis; "
                          "pilih sesi atau tanggal lain.")
        booking = Booking(
            code=make_code(secrets.token_bytes(8)), service=svc.code, local_date=req.day, session=session.code,
            name=name, nik_hmac=digest, nik_last4=nik.last4, phone=phone, created_at=now,
            expires_at=expiry_time(session, req.day, ctx.site.timezone, cfg.rules),
            priority=priority.value if priority else None)
        repo.add(booking)  # a clashing code or a concurrent twin raises IntegrityError: run() retries
        uow.record(BookingCreated(now, service=svc.code, day=req.day.isoformat(), session=session.code))
        return booking

    return Booked(run(ctx, work), mask_nik(nik.nik), nik.warnings)


def _verified(repo: BookingRepository, code: str, last4: str, *, lock: bool = False) -> Booking:
    booking = repo.by_code(normalize_code(code), lock=lock)
    given = "".join(last4.split())
    # One answer for "no such code" and "wrong digits", compared in constant time: nothing to probe.
    if booking is None or not hmac.compare_digest(booking.nik_last4.encode(), given.encode()):
        raise NotFound("booking_not_found", "Kode booking atau 4 angka terakhir NIK tidak cocok.")
    return booking


def lookup(ctx: Context, code: str, last4: str) -> Booking:
    """The citizen's booking, found with its code and the last 4 digits of the NIK."""
    with ctx.uow() as uow:
        return _verified(_repo(uow), code, last4)


def ticket_number(ctx: Context, booking: Booking) -> str | None:
    """The number of the ticket a checked-in booking became."""
    if booking.ticket_id is None:
        return None
    with ctx.uow() as uow:
        ticket = uow.tickets.get(booking.ticket_id)
        return ticket.number if ticket else None


def _active(booking: Booking, now: datetime) -> None:
    if booking.overdue(now):
        raise Refused("booking_not_active", f"Booking {booking.code} sudah lewat waktunya (tidak hadir).")


def cancel(ctx: Context, code: str, last4: str) -> Booking:
    """Cancel a booking; its place in the session is free again at once."""

    def work(uow: UnitOfWork) -> Booking:
        repo, now = _repo(uow), ctx.now()
        booking = _verified(repo, code, last4, lock=True)
        _active(booking, now)
        booking.cancel(now)
        repo.save(booking)
        repo.free_place(booking.service, booking.local_date, booking.session)
        uow.record(BookingCancelled(now, service=booking.service, day=booking.local_date.isoformat(),
                                    session=booking.session))
        return booking

    return run(ctx, work)


def reschedule(ctx: Context, code: str, last4: str, day: date, session_code: str) -> Booking:
    """Move a booking to another day and/or session of the same service (same code); the old place is freed."""
    cfg = ctx.booking

    def work(uow: UnitOfWork) -> Booking:
        repo, now = _repo(uow), ctx.now()
        booking = _verified(repo, code, last4, lock=True)
        _active(booking, now)
        svc = bookable_service(ctx, booking.service)
        session = find_session(sessions_on(ctx.site, cfg.sessions[svc.code], day), session_code)
        check_bookable(ctx.site, svc, session, day, now, cfg.rules)
        if (day, session.code) == (booking.local_date, booking.session):
            raise Invalid("same_slot", "Jadwal baru sama dengan jadwal lama.", field="session")
        if day != booking.local_date and repo.active_for(booking.nik_hmac, svc.code, day) is not None:
            raise Refused("duplicate_booking", "NIK ini sudah punya booking aktif untuk layanan ini pada tanggal "
                          "tersebut.")
        if not repo.take_place(svc.code, day, session.code, session.quota):
            raise Refused("session_full", f"Kuota sesi {session.name} ({session.hours}) sudah habis.")
        old_day, old_session = booking.local_date, booking.session
        repo.free_place(svc.code, old_day, old_session)
        booking.reschedule(day, session.code, expiry_time(session, day, ctx.site.timezone, cfg.rules))
        repo.save(booking)
        uow.record(BookingRescheduled(now, service=svc.code, day=day.isoformat(), session=session.code,
                                      from_day=old_day.isoformat(), from_session=old_session))
        return booking

    return run(ctx, work)


def session_of(ctx: Context, booking: Booking) -> Session | None:
    """The configured session of a booking (None if the config no longer has it)."""
    return next((s for s in ctx.booking.sessions.get(booking.service, ()) if s.code == booking.session), None)


def checkin_open(ctx: Context, booking: Booking, now: datetime) -> bool:
    """Whether Lapor Hadir is possible at `now` for this booking (for lists: the button is shown or not)."""
    session = session_of(ctx, booking)
    if booking.status is not BookingStatus.BOOKED or session is None or booking.overdue(now):
        return False
    opens, closes = checkin_window(session, booking.local_date, ctx.site.timezone, ctx.booking.rules)
    return opens <= now < closes


def _may_check_in(ctx: Context, actor: Principal, service: str) -> None:
    if actor.kind == "user" and actor.role != "admin":
        if not any(service in ctx.site.counters[c].services for c in actor.counters if c in ctx.site.counters):
            raise Forbidden("not_your_service", "Layanan booking ini tidak dilayani di loket Anda.")


def check_in(ctx: Context, code: str, actor: Principal) -> tuple[Booking, TicketInfo, bool]:
    """Lapor Hadir: inside the window around the session, issue the ticket (source "online") and mark the booking,
    in one transaction with the booking row locked, so a concurrent cancel either happens before (and the check-in
    is refused) or after (and is refused itself). Idempotent: a repeat returns the same ticket with created=False."""
    code = normalize_code(code)

    def work(uow: UnitOfWork) -> tuple[Booking, TicketInfo, bool]:
        repo, now = _repo(uow), ctx.now()
        booking = repo.by_code(code, lock=True)
        if booking is None:
            raise NotFound("booking_not_found", f"Kode booking {code} tidak ditemukan.")
        _may_check_in(ctx, actor, booking.service)
        if booking.status is BookingStatus.CHECKED_IN and booking.ticket_id is not None:
            ticket = uow.tickets.get(booking.ticket_id)
            if ticket is not None:
                return booking, describe(uow, ctx.site, ticket), False
        _check_checkin_allowed(ctx, booking, now)
        info, created = issue_in(
            uow, ctx, booking.service, now, parse_priority(booking.priority), source="online",
            admission=BOOKED_VISIT, idempotency_scope=CHECKIN_SCOPE, idempotency_key=code,
            device_id=actor.id if actor.kind == "device" else None)
        assert info.ticket.id is not None
        booking.check_in(now, info.ticket.id, f"{actor.role}:{actor.name}")
        repo.save(booking)
        uow.record(BookingCheckedIn(now, service=booking.service, day=booking.local_date.isoformat(),
                                    session=booking.session, number=info.ticket.number))
        return booking, info, created

    return run(ctx, work)


def _check_checkin_allowed(ctx: Context, booking: Booking, now: datetime) -> None:
    if booking.status is BookingStatus.CANCELLED:
        raise Refused("booking_not_active", f"Booking {booking.code} sudah dibatalkan.")
    if booking.status is BookingStatus.EXPIRED:
        raise Refused("checkin_too_late", f"Booking {booking.code} sudah lewat waktunya (tidak hadir). "
                      "Silakan ambil nomor antrean biasa.")
    session = session_of(ctx, booking)
    if session is not None:
        check_checkin_time(session, booking.local_date, now, ctx.booking.rules)
    elif booking.overdue(now):
        raise Refused("checkin_too_late", f"Booking {booking.code} sudah lewat waktunya (tidak hadir).")


def expire_no_shows(ctx: Context) -> int:
    """Mark bookings not checked in by the end of their session plus grace as *tidak hadir*; returns how many."""

    def work(uow: UnitOfWork) -> int:
        now = ctx.now()
        count = _repo(uow).expire_overdue(now)
        if count:
            uow.record(BookingsExpired(now, count=count))
        return count

    return run(ctx, work)


def appointments_today(ctx: Context, actor: Principal, agency: str | None) -> list[tuple[Booking, str | None]]:
    """Today's bookings of an agency (a kelurahan office) or of the clerk's counters, each with the number of
    the ticket it became (if checked in); no-shows are swept first."""
    site = ctx.site
    if agency is not None and agency not in site.agencies:
        raise NotFound("unknown_agency", f"Instansi '{agency}' tidak ada.")
    mine = {s for c in actor.counters if c in site.counters for s in site.counters[c].services}
    services = [s.code for s in site.services.values()
                if (agency is None or s.agency == agency) and (actor.role == "admin" or s.code in mine)]
    if agency is not None and not services:
        raise Forbidden("not_your_agency", "Loket Anda tidak melayani instansi ini.")
    expire_no_shows(ctx)
    with ctx.uow() as uow:
        rows = _repo(uow).of_day(ctx.now().date(), services)
        tickets = {b.ticket_id: uow.tickets.get(b.ticket_id) for b in rows if b.ticket_id is not None}
        return [(b, t.number if (t := tickets.get(b.ticket_id)) else None) for b in rows]
