"""Lapor Hadir and a cancel of the same booking at the same moment, on SQLite and on PostgreSQL: exactly one wins,
and a booking never ends up cancelled with a ticket (nor checked in without one)."""

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from threading import Barrier, Thread
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from server.domain.accounts import Principal
from server.domain.booking import BookingStatus
from server.domain.booking_events import BookingCancelled, BookingCheckedIn
from server.domain.errors import DomainError
from server.domain.events import TicketIssued
from server.services import booking as bk
from server.storage.tables import tickets
from support import FakeClock, drop_pg_database, fresh_pg_database, make_context, site_config

WITA = ZoneInfo("Asia/Makassar")
MONDAY = date(2026, 11, 30)
KIOSK = Principal("device", "kiosk-1", "kiosk", (), 1)
ROUNDS = 30
BLOCKED_SECS = 0.3  # how long the cancel must stay blocked behind the check-in's open transaction


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ctx(request: pytest.FixtureRequest, tmp_path) -> Iterator:
    """A service Context on a file SQLite database (real concurrent connections) or a fresh PostgreSQL one,
    at 08:00 on the booked day: the check-in window of the session is open."""
    raw = site_config()
    raw["booking"].update(rate_limit="", places={}, services={},
                          sessions=[{"name": "Pagi", "start": "08:00", "end": "10:00", "quota": 100}])
    clock = FakeClock(datetime(2026, 11, 30, 8, 0, tzinfo=WITA))
    if request.param == "sqlite":
        context = make_context(clock, f"sqlite:///{tmp_path / 'antre.db'}", raw)
        yield context
        context.engine.dispose()
        return
    admin = request.getfixturevalue("pg_url")
    url = fresh_pg_database(admin)
    context = make_context(clock, url, raw)
    try:
        yield context
    finally:
        context.engine.dispose()
        drop_pg_database(admin, url)


def book(ctx, n: int) -> str:
    req = bk.BookingRequest(service="KTP", day=MONDAY, session="pagi", name="Budi Santoso",
                            nik=f"64720512039{n:05d}", consent=True)
    return bk.book(ctx, req).booking.code


def outcome(action: Callable[[], object]) -> str:
    try:
        action()
    except DomainError as exc:
        return exc.code
    return "ok"


def online_tickets(ctx) -> int:
    with ctx.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(tickets).where(tickets.c.source == "online")).scalar_one()


def race(ctx, code: str, last4: str) -> tuple[str, str]:
    """Check in and cancel `code` from two threads released at once; the outcome of each."""
    start = Barrier(2)

    def at_once(action: Callable[[], object]) -> str:
        start.wait()
        return outcome(action)

    with ThreadPoolExecutor(2) as pool:
        checked = pool.submit(at_once, lambda: bk.check_in(ctx, code, KIOSK))
        cancelled = pool.submit(at_once, lambda: bk.cancel(ctx, code, last4))
        return checked.result(), cancelled.result()


def test_a_check_in_and_a_cancel_at_the_same_moment_never_both_win(ctx):
    bookings = {book(ctx, n): f"{n:04d}" for n in range(1, ROUNDS + 1)}
    events: list = []
    ctx.listeners.append(events.extend)
    results = {code: race(ctx, code, last4) for code, last4 in bookings.items()}

    for code, (checked, cancelled) in results.items():
        assert sorted([checked, cancelled]) == ["booking_not_active", "ok"], (code, checked, cancelled)
        status = bk.lookup(ctx, code, bookings[code]).status
        assert status is (BookingStatus.CHECKED_IN if checked == "ok" else BookingStatus.CANCELLED), code
    winners = sum(checked == "ok" for checked, _ in results.values())
    assert online_tickets(ctx) == winners  # no ticket for a cancelled booking
    kinds = [type(e) for e in events]
    assert kinds.count(TicketIssued) == kinds.count(BookingCheckedIn) == winners
    assert kinds.count(BookingCancelled) == ROUNDS - winners


def test_a_cancel_arriving_while_the_check_in_issues_the_ticket_waits_and_is_refused(ctx, monkeypatch):
    code = book(ctx, 1)
    cancel_result: list[str] = []
    cancel = Thread(target=lambda: cancel_result.append(outcome(lambda: bk.cancel(ctx, code, "0001"))))
    real_issue = bk.issue_in

    def issue_then_let_a_cancel_in(*args, **kwargs):
        # The moment the old three-transaction check-in let a cancel slip in: the ticket is being issued.
        cancel.start()
        cancel.join(BLOCKED_SECS)
        assert cancel.is_alive(), "the cancel went through while the check-in held the booking"
        return real_issue(*args, **kwargs)

    monkeypatch.setattr(bk, "issue_in", issue_then_let_a_cancel_in)
    booking, info, created = bk.check_in(ctx, code, KIOSK)
    cancel.join()
    assert created and booking.status is BookingStatus.CHECKED_IN and booking.ticket_id == info.ticket.id
    assert cancel_result == ["booking_not_active"]
    assert bk.lookup(ctx, code, "0001").status is BookingStatus.CHECKED_IN and online_tickets(ctx) == 1


def test_a_check_in_after_a_cancel_is_refused_and_issues_no_ticket(ctx):
    code = book(ctx, 1)
    bk.cancel(ctx, code, "0001")
    assert outcome(lambda: bk.check_in(ctx, code, KIOSK)) == "booking_not_active"
    assert online_tickets(ctx) == 0
