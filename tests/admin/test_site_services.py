"""Site administration through the service layer on SQLite in-process: changes, validation, roles, retire, audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.domain.accounts import Principal
from server.domain.errors import Forbidden, Invalid, Refused
from server.domain.events import SiteChanged
from server.services import site_admin
from server.services.audit import audit_trail
from server.services.tickets import cancel_ticket, get_ticket, issue_ticket
from support import FakeClock, make_context

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
ADMIN = Principal("user", "admin", "admin", id=1)
SUPERVISOR = Principal("user", "sari", "supervisor", id=2, agencies=("DUKCAPIL",))
CLERK = Principal("user", "siti", "clerk", id=3, counters=("L04",))
NEW_SERVICE = {"code": "KTP-LANSIA", "agency": "DUKCAPIL", "name": "KTP-el Lansia", "prefix": "LA",
               "open": "08:00", "close": "12:00", "days": ["mon", "tue", "wed", "thu", "fri"], "daily_quota": 10}


@pytest.fixture
def ctx():
    context = make_context(FakeClock(NOW))
    context.events = []
    context.listeners.append(context.events.extend)
    return context


def version(ctx):
    return site_admin.current_document(ctx)[0]


def test_creating_a_service_stores_a_new_version_with_an_audit_row_and_one_site_changed_event(ctx):
    made = site_admin.create_entity(ctx, ADMIN, "services", NEW_SERVICE)
    assert made["code"] == "KTP-LANSIA" and made["retired"] is False
    assert version(ctx) == 2 and ctx.stored.version == 2 and "KTP-LANSIA" in ctx.site.services
    assert [type(e) for e in ctx.events] == [SiteChanged] and ctx.events[0].version == 2
    [entry] = audit_trail(ctx, ADMIN, "service:KTP-LANSIA")
    assert (entry.user, entry.action, entry.old, entry.new["prefix"]) == ("admin", "create", None, "LA")


def test_updating_a_counter_name_changes_only_that_field(ctx):
    before = site_admin.get_entity(ctx, ADMIN, "counters", "L04")
    after = site_admin.update_entity(ctx, ADMIN, "counters", "L04", {"name": "Loket 4 Baru"})
    assert after == before | {"name": "Loket 4 Baru"} and ctx.site.counters["L04"].name == "Loket 4 Baru"
    [entry] = audit_trail(ctx, ADMIN, "counter:L04")
    assert entry.old["name"] == before["name"] and entry.new["name"] == "Loket 4 Baru"


@pytest.mark.parametrize(("kind", "key", "data", "field", "words"), [
    ("services", None, NEW_SERVICE | {"prefix": "D"}, "prefix", "sudah dipakai"),
    ("services", None, NEW_SERVICE | {"close": "07:00"}, "close", "setelah jam buka"),
    ("services", None, NEW_SERVICE | {"agency": "NOPE"}, "agency", "tidak dikenal"),
    ("services", None, NEW_SERVICE | {"code": "KTP"}, "code", "sudah ada"),
    ("services", None, NEW_SERVICE | {"open": "8 pagi"}, "open", "HH:MM"),
    ("counters", None, {"code": "L99", "name": "Loket 99", "services": []}, "services", "setidaknya satu layanan"),
    ("services", "KTP", {"open": "09:00", "close": "08:00"}, "close", "setelah jam buka"),
    ("services", "KTP", {"code": "KTP2"}, "code", "tidak bisa diubah"),
    ("holidays", None, {"date": "2026-13-01", "name": "?"}, "date", "YYYY-MM-DD"),
    ("breaks", None, {"name": "Siang", "start": "13:00", "end": "12:00"}, "end", "setelah jam mulai"),
])
def test_bad_input_is_a_field_error_in_indonesian_and_changes_nothing(ctx, kind, key, data, field, words):
    with pytest.raises(Invalid) as caught:
        if key is None:
            site_admin.create_entity(ctx, ADMIN, kind, data)
        else:
            site_admin.update_entity(ctx, ADMIN, kind, key, data)
    assert caught.value.details["field"] == field and words in caught.value.message
    assert version(ctx) == 1 and not ctx.events and audit_trail(ctx, ADMIN, limit=10)[0].object == "site"


def test_a_daily_quota_below_todays_issued_count_is_refused(ctx):
    for _ in range(3):
        issue_ticket(ctx, "KTP")
    with pytest.raises(Invalid) as caught:
        site_admin.update_entity(ctx, ADMIN, "services", "KTP", {"daily_quota": 2})
    assert caught.value.details["field"] == "daily_quota" and "(3)" in caught.value.message
    assert site_admin.update_entity(ctx, ADMIN, "services", "KTP", {"daily_quota": 3})["daily_quota"] == 3


def test_retiring_a_service_keeps_it_in_the_document_and_its_tickets(ctx):
    ticket = issue_ticket(ctx, "AKTA")[0].ticket
    with pytest.raises(Refused):  # a waiting ticket: the line must be served first
        site_admin.retire_entity(ctx, ADMIN, "services", "AKTA")
    cancel_ticket(ctx, ticket.token)  # the visitor left: the ticket is cancelled, not deleted
    retired = site_admin.retire_entity(ctx, ADMIN, "services", "AKTA")
    assert retired["retired"] is True and "AKTA" not in ctx.site.services
    assert site_admin.get_entity(ctx, ADMIN, "services", "AKTA")["name"] == retired["name"]
    assert all("AKTA" not in c.services for c in ctx.site.counters.values())
    assert get_ticket(ctx, ticket.token).ticket.service == "AKTA"
    assert site_admin.update_entity(ctx, ADMIN, "services", "AKTA", {"retired": False})["retired"] is False
    assert "AKTA" in ctx.site.services


def test_an_agency_with_live_services_cannot_be_retired(ctx):
    with pytest.raises(Refused) as caught:
        site_admin.retire_entity(ctx, ADMIN, "agencies", "DUKCAPIL")
    assert "KTP" in caught.value.message


def test_a_supervisor_sees_and_changes_only_their_agencies_services_and_counters(ctx):
    services = site_admin.list_entities(ctx, SUPERVISOR, "services")
    assert services and {s["agency"] for s in services} == {"DUKCAPIL"}
    assert [a["code"] for a in site_admin.list_entities(ctx, SUPERVISOR, "agencies")] == ["DUKCAPIL"]
    other = next(s for s in site_admin.list_entities(ctx, ADMIN, "services") if s["agency"] != "DUKCAPIL")
    other_counter = next(c for c in site_admin.list_entities(ctx, ADMIN, "counters")
                         if c not in site_admin.list_entities(ctx, SUPERVISOR, "counters"))
    calls = [
        lambda: site_admin.get_entity(ctx, SUPERVISOR, "services", other["code"]),
        lambda: site_admin.update_entity(ctx, SUPERVISOR, "services", other["code"], {"name": "x"}),
        lambda: site_admin.retire_entity(ctx, SUPERVISOR, "services", other["code"]),
        lambda: site_admin.create_entity(ctx, SUPERVISOR, "services", NEW_SERVICE | {"agency": other["agency"]}),
        lambda: site_admin.update_entity(ctx, SUPERVISOR, "services", "KTP", {"agency": other["agency"]}),
        lambda: site_admin.get_entity(ctx, SUPERVISOR, "counters", other_counter["code"]),
        lambda: site_admin.update_entity(ctx, SUPERVISOR, "counters", other_counter["code"], {"name": "x"}),
        lambda: site_admin.retire_entity(ctx, SUPERVISOR, "counters", other_counter["code"]),
        lambda: site_admin.create_entity(ctx, SUPERVISOR, "counters",
                                         {"code": "X1", "name": "X", "services": [other["code"]]}),
        lambda: site_admin.create_entity(ctx, SUPERVISOR, "agencies", {"code": "BARU", "name": "Baru"}),
        lambda: site_admin.update_entity(ctx, SUPERVISOR, "ticker", "ticker", {"ticker": "x"}),
    ]
    for call in calls:
        with pytest.raises(Forbidden):
            call()
    assert version(ctx) == 1
    assert site_admin.create_entity(ctx, SUPERVISOR, "services", NEW_SERVICE)["agency"] == "DUKCAPIL"


def test_a_clerk_may_not_read_the_site_administration(ctx):
    with pytest.raises(Forbidden):
        site_admin.list_entities(ctx, CLERK, "services")
    with pytest.raises(Forbidden):
        audit_trail(ctx, CLERK)


def test_the_supervisors_audit_trail_holds_only_their_agencies_objects(ctx):
    site_admin.create_entity(ctx, ADMIN, "services", NEW_SERVICE)
    site_admin.update_entity(ctx, ADMIN, "services", "NIB", {"name": "NIB baru"})
    assert [e.object for e in audit_trail(ctx, SUPERVISOR)] == ["service:KTP-LANSIA"]


def test_holidays_breaks_sessions_and_the_ticker_are_managed_too(ctx):
    site_admin.create_entity(ctx, ADMIN, "holidays", {"date": "2026-12-31", "name": "Cuti bersama"})
    site_admin.create_entity(ctx, ADMIN, "breaks", {"name": "Siang", "start": "12:00", "end": "13:00"})
    site_admin.update_entity(ctx, ADMIN, "ticker", "ticker", {"ticker": "Selamat datang"})
    sessions = [{"name": "Pagi", "start": "08:00", "end": "09:00", "quota": 5}]
    site_admin.create_entity(ctx, ADMIN, "sessions", {"key": "service:KTP", "sessions": sessions})
    assert ctx.site.holidays[datetime(2026, 12, 31).date()] == "Cuti bersama"
    assert [b.name for b in ctx.site.breaks] == ["Siang"] and ctx.stored.ticker == "Selamat datang"
    assert [s.quota for s in ctx.booking.sessions["KTP"]] == [5]
    site_admin.retire_entity(ctx, ADMIN, "holidays", "2026-12-31")
    site_admin.retire_entity(ctx, ADMIN, "sessions", "service:KTP")
    assert not ctx.site.holidays and [s.quota for s in ctx.booking.sessions["KTP"]] == [20, 20]
    assert version(ctx) == 7


def test_a_session_outside_the_service_hours_is_refused_on_the_sessions_field(ctx):
    late = [{"name": "Malam", "start": "20:00", "end": "21:00", "quota": 5}]
    site_admin.update_entity(ctx, ADMIN, "services", "KTP", {"close": "16:00"})
    with pytest.raises(Invalid) as caught:
        site_admin.create_entity(ctx, ADMIN, "sessions", {"key": "service:KTP", "sessions": late})
    assert caught.value.details["field"] == "sessions" and "di luar jam layanan" in caught.value.message
