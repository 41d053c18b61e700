"""Use cases on a real (in-memory SQLite) database with an injected clock: numbering, quota, idempotency,
transfer, ETA, authorisation, and the events every use case publishes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.domain.accounts import Principal
from server.domain.errors import DomainError
from server.domain.events import TicketCalled, TicketIssued
from server.domain.ticket import Priority, Status
from server.services import accounts, counters, queries, tickets
from support import FakeClock, make_context, site_config

WITA = ZoneInfo("Asia/Makassar")
ADMIN = Principal("user", "admin", "admin")


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 11, 30, 9, 0, tzinfo=WITA))


@pytest.fixture
def ctx(clock):
    context = make_context(clock)
    context.published = []
    context.listeners.append(context.published.extend)
    return context


def issue(ctx, service="KTP", priority=None, **kw):
    return tickets.issue_ticket(ctx, service, priority, **kw)[0].ticket


def test_numbers_run_per_service_and_restart_after_local_midnight(ctx, clock):
    assert [issue(ctx).number for _ in range(3)] == ["D001", "D002", "D003"]
    assert issue(ctx, "KK").number == "E001"
    clock.now = datetime(2026, 11, 30, 23, 59, tzinfo=WITA)
    assert issue(ctx).number == "D004"
    clock.advance(minutes=2)  # 00:01 WITA is still 16:01 UTC the day before: the site's zone decides
    t = issue(ctx)
    assert t.number == "D001" and t.local_date.isoformat() == "2026-12-01"


def test_yesterdays_tickets_are_not_called_today(ctx, clock):
    issue(ctx)
    clock.advance(days=1)
    assert counters.call_next(ctx, ADMIN, "L04") is None


def test_same_idempotency_key_returns_the_same_ticket(ctx):
    first, created = tickets.issue_ticket(ctx, "KTP", idempotency_scope="kiosk:1", idempotency_key="abc")
    again, created_again = tickets.issue_ticket(ctx, "KTP", idempotency_scope="kiosk:1", idempotency_key="abc")
    other, _ = tickets.issue_ticket(ctx, "KTP", idempotency_scope="kiosk:2", idempotency_key="abc")
    assert (created, created_again) == (True, False)
    assert again.ticket.number == first.ticket.number == "D001" and other.ticket.number == "D002"


def test_quota_refuses_the_ticket_after_the_last_and_keeps_the_count(clock):
    raw = site_config()
    raw["service"][3]["daily_quota"] = 2  # KTP
    ctx = make_context(clock, raw=raw)
    issue(ctx), issue(ctx)
    with pytest.raises(DomainError) as err:
        issue(ctx)
    assert err.value.code == "quota_exhausted"
    board = {s["code"]: s for s in queries.list_services(ctx)}
    assert board["KTP"]["open_now"] is False and board["KTP"]["remaining"] == 0


def test_a_closed_service_refuses_with_its_code(clock):
    raw = site_config()
    raw["service"][3].update(open="10:00")
    raw["booking"]["services"]["KTP"] = {"enabled": False}  # else its 08:00 booking session is refused by the config
    ctx = make_context(clock, raw=raw)
    with pytest.raises(DomainError) as err:
        issue(ctx)
    assert err.value.code == "service_closed"


def test_a_counter_serving_two_services_takes_the_longest_waiting(ctx, clock):
    issue(ctx, "KK")
    clock.advance(minutes=1)
    issue(ctx, "KTP")
    assert counters.call_next(ctx, ADMIN, "L04").ticket.number == "E001"


def test_transfer_keeps_the_original_place_in_the_new_line(ctx, clock):
    first = issue(ctx, "KTP")
    clock.advance(minutes=5)
    issue(ctx, "AKTA")
    counters.call_next(ctx, ADMIN, "L05")  # KTP only
    counters.start(ctx, ADMIN, "L05")
    moved = counters.transfer(ctx, ADMIN, "L05", "AKTA")
    assert moved.ticket.status is Status.WAITING and moved.ticket.number == first.number
    assert moved.ahead == 0
    assert counters.call_next(ctx, ADMIN, "L06").ticket.number == first.number  # L06 serves KK + AKTA


def test_a_busy_counter_must_finish_or_skip_before_calling_again(ctx):
    issue(ctx), issue(ctx)
    counters.call_next(ctx, ADMIN, "L05")
    with pytest.raises(DomainError) as err:
        counters.call_next(ctx, ADMIN, "L05")
    assert err.value.code == "counter_busy"


def test_skipped_ticket_is_recalled_by_number_the_same_day(ctx):
    issue(ctx)
    counters.call_next(ctx, ADMIN, "L05")
    counters.skip(ctx, ADMIN, "L05")
    back = counters.recall(ctx, ADMIN, "L05", "D001")
    assert back.ticket.status is Status.CALLED and back.ticket.recalls == 1
    assert isinstance(ctx.published[-1], TicketCalled) and ctx.published[-1].recall is True


def test_clerk_may_only_act_at_assigned_counters(ctx):
    clerk = Principal("user", "siti", "clerk", ("L04",))
    issue(ctx)
    with pytest.raises(DomainError) as err:
        counters.call_next(ctx, clerk, "L05")
    assert err.value.code == "counter_not_assigned" and err.value.status == 403
    assert counters.call_next(ctx, clerk, "L04").ticket.number == "D001"


def test_eta_uses_recent_service_times_and_open_counters(ctx, clock):
    for _ in range(3):
        issue(ctx)
    counters.call_next(ctx, ADMIN, "L05")
    counters.start(ctx, ADMIN, "L05")
    clock.advance(minutes=12)
    counters.finish(ctx, ADMIN, "L05")
    last = tickets.issue_ticket(ctx, "KTP")[0]
    # 2 still waiting ahead × 12 min; open counters for KTP: L05 only (free now: it called 12 minutes ago)
    assert last.ahead == 2 and last.eta_minutes == 24 and last.eta_seconds == 24 * 60
    counters.set_counter_status(ctx, ADMIN, "L04", "open")
    # L04 (KTP, KK) just opened: taken as busy for a typical service (mean of KTP 12 and KK's default 8 minutes);
    # L05 calls the first at 0, L04 the second at 10, L05 the last at 12 minutes.
    assert tickets.get_ticket(ctx, last.ticket.token).eta_minutes == 12


def test_each_use_case_publishes_one_event_with_consecutive_seq(ctx):
    issue(ctx, "KTP", Priority.LANSIA)
    counters.call_next(ctx, ADMIN, "L05")
    counters.start(ctx, ADMIN, "L05")
    counters.finish(ctx, ADMIN, "L05")
    names = [e.name for e in ctx.published]
    assert names == ["ticket_issued", "ticket_called", "ticket_started", "ticket_finished"]
    assert [e.seq for e in ctx.published] == [1, 2, 3, 4]
    assert isinstance(ctx.published[0], TicketIssued) and ctx.published[0].waiting == {"KTP": 1}
    assert ctx.published[1].waiting == {"KTP": 0}  # L05 serves KTP only


def test_a_refused_use_case_publishes_nothing_and_changes_nothing(ctx):
    with pytest.raises(DomainError):
        counters.start(ctx, ADMIN, "L05")
    assert ctx.published == []
    assert queries.display_snapshot(ctx).seq == 0


def test_accounts_tokens_expire_and_can_be_revoked(ctx, clock):
    accounts.create_user(ctx, "siti", "clerk", "rahasia-123", ["L04"])
    token = accounts.login(ctx, "siti", "rahasia-123")
    assert accounts.resolve(ctx, token).counters == ("L04",)
    accounts.logout(ctx, token)
    with pytest.raises(DomainError) as err:
        accounts.resolve(ctx, token)
    assert err.value.code == "invalid_token"
    token = accounts.login(ctx, "siti", "rahasia-123")
    clock.advance(hours=ctx.token_hours, seconds=1)
    with pytest.raises(DomainError) as err:
        accounts.resolve(ctx, token)
    assert err.value.code == "token_expired"


def test_wrong_password_and_unknown_user_get_the_same_answer(ctx):
    accounts.create_user(ctx, "siti", "clerk", "rahasia-123", [])
    codes = set()
    for user, pw in [("siti", "salah-salah"), ("nobody", "rahasia-123")]:
        with pytest.raises(DomainError) as err:
            accounts.login(ctx, user, pw)
        codes.add((err.value.code, err.value.message))
    assert len(codes) == 1


def test_first_start_creates_one_admin_with_a_random_password(ctx):
    password = accounts.ensure_admin(ctx)
    assert password and len(password) >= 12
    assert accounts.ensure_admin(ctx) is None
    assert accounts.resolve(ctx, accounts.login(ctx, "admin", password)).role == "admin"


def test_passwords_are_stored_as_argon2_hashes(ctx):
    accounts.create_user(ctx, "siti", "clerk", "rahasia-123", [])
    with ctx.uow() as uow:
        stored = uow.accounts.user_by_name("siti").password_hash
    assert stored.startswith("$argon2") and "rahasia" not in stored


def test_the_daily_reset_expires_yesterdays_tickets_but_a_restart_keeps_todays_counters(ctx, clock):
    from server.services import daily

    issue(ctx)
    counters.set_counter_status(ctx, ADMIN, "L05", "open")
    assert daily.close_day(ctx) == 0  # same day (a server restart): nothing changes
    assert queries.counter_view(ctx, ADMIN, "L05").status == "open"
    clock.advance(days=1)
    assert daily.close_day(ctx) == 1
    assert queries.counter_view(ctx, ADMIN, "L05").status == "closed"
    with ctx.uow() as uow:
        assert uow.tickets.by_number(clock.now.date() - timedelta(days=1), "D001").status is Status.CANCELLED


def test_a_ticket_called_at_one_loket_cannot_be_taken_over_by_another(ctx):
    ticket = issue(ctx, "KTP")
    counters.call_next(ctx, ADMIN, "L04")
    with pytest.raises(DomainError) as err:
        counters.recall(ctx, ADMIN, "L05", ticket.number)
    assert err.value.code == "not_skipped"
    assert queries.counter_view(ctx, ADMIN, "L04").current.number == ticket.number
