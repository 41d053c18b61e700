"""Booking use cases on a real in-memory SQLite database with an injected clock: quota, one booking per NIK per
service per day, cancel and reschedule free places, check-in window and idempotency, no-show expiry, events."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.domain.accounts import Principal
from server.domain.booking import Booking, BookingStatus
from server.domain.booking_events import BookingCheckedIn, BookingCreated, BookingsExpired
from server.domain.errors import DomainError
from server.domain.events import TicketIssued
from server.services import booking as bk
from server.services import daily, tickets
from server.storage.booking_repo import BookingRepository
from server.storage.booking_tables import bookings
from support import FakeClock, make_context, site_config

WITA = ZoneInfo("Asia/Makassar")
MONDAY = date(2026, 11, 30)
KIOSK = Principal("device", "kiosk-1", "kiosk", (), 1)
NIKS = [f"64720512039{n:05d}" for n in range(1, 200)]


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 11, 30, 6, 30, tzinfo=WITA))


def setup(clock, raw=None):
    ctx = make_context(clock, raw=raw or site_config())
    ctx.published = []
    ctx.listeners.append(ctx.published.extend)
    return ctx


@pytest.fixture
def env(clock):
    return setup(clock)


def book(ctx, nik=NIKS[0], service="KTP", day=MONDAY, session="pagi", **kw):
    req = bk.BookingRequest(service=service, day=day, session=session, name=kw.pop("name", "Budi Santoso"), nik=nik,
                            phone=kw.pop("phone", "081234567890"), consent=kw.pop("consent", True), **kw)
    return bk.book(ctx, req).booking


def code_of(fn, *args, **kw):
    with pytest.raises(DomainError) as err:
        fn(*args, **kw)
    return err.value.code


def remaining(env, service="KTP", day=MONDAY):
    return {s.session.code: s.remaining for s in bk.slots(env, service, day)}


def test_a_session_gives_out_no_more_places_than_its_quota(clock):
    raw = site_config()
    raw["booking"]["sessions"] = [{"name": "Pagi", "start": "08:00", "end": "10:00", "quota": 3}]
    env = setup(clock, raw)
    for nik in NIKS[:3]:
        book(env, nik)
    assert code_of(book, env, NIKS[3]) == "session_full"
    slot = bk.slots(env, "KTP", MONDAY)[0]
    assert (slot.remaining, slot.available, slot.reason) == (0, False, "session_full")


def test_one_active_booking_per_nik_per_service_per_day(env):
    book(env)
    assert code_of(book, env, session="siang") == "duplicate_booking"
    book(env, service="KK")                                   # another service the same day
    book(env, day=MONDAY + timedelta(days=1))                 # the same service another day
    assert code_of(book, env, nik="6472 0512.0390-0001", service="KK") == "duplicate_booking"  # typed differently


def test_the_database_itself_refuses_a_second_active_booking_for_a_nik(env):
    ctx = env
    first = book(env)
    twin = Booking(code="ZZZZZZ", service="KTP", local_date=MONDAY, session="siang", name="X", nik_hmac=first.nik_hmac,
                   nik_last4="0001", phone=None, created_at=ctx.now(), expires_at=ctx.now())
    with ctx.uow() as uow, pytest.raises(IntegrityError):
        BookingRepository(uow.conn, uow.tz).add(twin)


def test_cancelling_frees_the_place_and_allows_booking_again(env):
    b = book(env)
    assert remaining(env)["pagi"] == 19
    cancelled = bk.cancel(env, b.code, "0001")
    assert cancelled.status is BookingStatus.CANCELLED and remaining(env)["pagi"] == 20
    assert code_of(bk.cancel, env, b.code, "0001") == "booking_not_active"
    book(env)


def test_lookup_and_cancel_need_the_right_last_four_digits(env):
    b = book(env)
    assert bk.lookup(env, b.code.lower(), "0001").code == b.code
    assert code_of(bk.lookup, env, b.code, "9999") == "booking_not_found"
    assert code_of(bk.lookup, env, "ZZZZZZ", "0001") == "booking_not_found"
    assert code_of(bk.cancel, env, b.code, "9999") == "booking_not_found"


def test_reschedule_moves_the_place_and_keeps_the_code(env):
    b = book(env)
    moved = bk.reschedule(env, b.code, "0001", MONDAY + timedelta(days=2), "siang")
    assert moved.code == b.code and (moved.local_date, moved.session) == (MONDAY + timedelta(days=2), "siang")
    assert remaining(env)["pagi"] == 20 and remaining(env, day=MONDAY + timedelta(days=2))["siang"] == 19
    assert code_of(bk.reschedule, env, b.code, "0001", MONDAY + timedelta(days=2), "siang") == "same_slot"


def test_check_in_follows_the_window_and_issues_an_online_ticket_once(env, clock):
    ctx = env
    b = book(env)
    clock.now = datetime(2026, 11, 30, 6, 59, tzinfo=WITA)
    assert code_of(bk.check_in, ctx, b.code, KIOSK) == "checkin_too_early"
    clock.advance(minutes=1)
    booking, info, created = bk.check_in(ctx, b.code, KIOSK)
    assert created and info.ticket.source == "online" and info.ticket.number == "D001"
    assert booking.status is BookingStatus.CHECKED_IN and booking.ticket_id == info.ticket.id
    again, info2, created2 = bk.check_in(ctx, b.code.lower(), KIOSK)
    assert not created2 and info2.ticket.id == info.ticket.id
    assert code_of(bk.cancel, ctx, b.code, "0001") == "booking_not_active"


def test_check_in_is_refused_after_the_session_plus_grace_and_the_booking_expires(env, clock):
    ctx = env
    b = book(env)
    clock.now = datetime(2026, 11, 30, 10, 30, tzinfo=WITA)
    assert code_of(bk.check_in, ctx, b.code, KIOSK) == "checkin_too_late"
    assert bk.lookup(ctx, b.code, "0001").effective_status(ctx.now()) is BookingStatus.EXPIRED


def test_a_booked_check_in_skips_walk_in_hours_and_quota(clock):
    raw = site_config()
    raw["service"][3].update(open="08:00", close="15:00", daily_quota=1)
    ctx = setup(clock, raw)
    b = book(ctx)
    clock.now = datetime(2026, 11, 30, 7, 15, tzinfo=WITA)  # before the service opens
    assert code_of(tickets.issue_ticket, ctx, "KTP") == "service_closed"
    _, info, _ = bk.check_in(ctx, b.code, KIOSK)
    assert info.ticket.number == "D001"
    clock.now = datetime(2026, 11, 30, 8, 0, tzinfo=WITA)
    assert code_of(tickets.issue_ticket, ctx, "KTP") == "quota_exhausted"  # the walk-in quota is unchanged


def test_a_clerk_checks_in_only_bookings_of_services_at_their_counters(env, clock):
    ctx = env
    b = book(env, service="SDD-DOMISILI")
    clock.now = datetime(2026, 11, 30, 8, tzinfo=WITA)
    mpp_clerk = Principal("user", "rina", "clerk", ("L04",), 7)
    kel_clerk = Principal("user", "sari", "clerk", ("SDD1",), 8)
    assert code_of(bk.check_in, ctx, b.code, mpp_clerk) == "not_your_service"
    _, info, _ = bk.check_in(ctx, b.code, kel_clerk)
    assert info.ticket.number == "SB001"
    rows = bk.appointments_today(ctx, kel_clerk, "KEL-SIDODADI")
    assert [(r.code, n) for r, n in rows] == [(b.code, "SB001")]
    assert code_of(bk.appointments_today, ctx, mpp_clerk, "KEL-SIDODADI") == "not_your_agency"


def test_no_shows_expire_as_tidak_hadir_in_the_daily_sweep(env, clock):
    ctx = env
    early, late = book(env, NIKS[0]), book(env, NIKS[1], session="siang")
    clock.now = datetime(2026, 11, 30, 10, 30, tzinfo=WITA)
    assert bk.expire_no_shows(ctx) == 1
    assert bk.lookup(ctx, early.code, early.nik_last4).status is BookingStatus.EXPIRED
    assert bk.lookup(ctx, late.code, late.nik_last4).status is BookingStatus.BOOKED
    clock.now = datetime(2026, 12, 1, 0, 0, 5, tzinfo=WITA)
    daily.close_day(ctx)
    assert bk.lookup(ctx, late.code, late.nik_last4).status is BookingStatus.EXPIRED
    assert [e.count for e in ctx.published if isinstance(e, BookingsExpired)] == [1, 1]
    assert bk.expire_no_shows(ctx) == 0


def test_a_no_show_does_not_block_a_later_session_the_same_day(env, clock):
    book(env, session="pagi")
    clock.now = datetime(2026, 11, 30, 10, 31, tzinfo=WITA)
    later = book(env, session="siang")
    assert later.status is BookingStatus.BOOKED


def test_the_nik_is_stored_only_as_a_keyed_hash_and_its_last_four_digits(env):
    ctx = env
    nik = "6472055203900002"
    book(env, nik)
    with ctx.engine.connect() as conn:
        row = conn.execute(select(bookings)).one()._mapping
    assert nik not in " ".join(str(v) for v in row.values())
    assert row["nik_last4"] == "0002" and len(row["nik_hmac"]) == 64 and row["phone"] == "+6281234567890"


def test_every_use_case_records_one_event_without_personal_data(env, clock):
    ctx = env
    b = book(env, name="Siti Aminah")
    clock.now = datetime(2026, 11, 30, 8, tzinfo=WITA)
    bk.check_in(ctx, b.code, KIOSK)
    names = [type(e) for e in ctx.published]
    assert names == [BookingCreated, TicketIssued, BookingCheckedIn]
    seqs = [e.seq for e in ctx.published]
    assert seqs == list(range(seqs[0], seqs[0] + 3))
    text = repr(ctx.published)
    assert "Siti" not in text and "6472" not in text and b.code not in text


@pytest.mark.parametrize("change, error", [
    ({"consent": False}, "consent_required"),
    ({"name": " 1 "}, "invalid_name"),
    ({"phone": "12345"}, "invalid_phone"),
    ({"nik": "123"}, "invalid_nik"),
    ({"session": "malam"}, "unknown_session"),
    ({"service": "PENGADUAN"}, "booking_not_offered"),
    ({"priority": "vip"}, "invalid_priority"),
])
def test_bad_requests_are_refused_with_a_clear_code(env, change, error):
    assert code_of(book, env, **change) == error
