"""The report use cases on the hand-built day played through the real use cases with a fake clock: the SQL
aggregates give the figures worked out by hand; supervisors see only their agencies (issue 13)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from day_kit import CLERK, CLERK_ROW, COUNTER, DAYS, EXPECTED, HEAT, ORDER, STEPS, THU, WED, local  # noqa: E402

from server.domain.accounts import Principal  # noqa: E402
from server.domain.errors import DomainError  # noqa: E402
from server.domain.report_figures import summarize  # noqa: E402
from server.domain.report_period import BadQuery, Scope  # noqa: E402
from server.domain.site import WEEKDAYS  # noqa: E402
from server.services import counters, daily, reports, tickets  # noqa: E402
from server.services.reports_activity import CounterLog  # noqa: E402
from server.services.reports_export import read_tickets_csv, tickets_csv  # noqa: E402
from support import FakeClock, drop_pg_database, fresh_pg_database, make_context  # noqa: E402

ADMIN = Principal("user", "admin", "admin")
DUKCAPIL_HEAD = Principal("user", "kadis", "supervisor", agencies=("DUKCAPIL",))
BPJS_HEAD = Principal("user", "kacab", "supervisor", agencies=("BPJSKES",))


def play_the_day(url: str = "sqlite://"):  # type: ignore[no-untyped-def]
    clock = FakeClock(datetime(2026, 12, 1, 16, tzinfo=UTC))
    ctx = make_context(clock, url)
    clerk = Principal("user", CLERK, "clerk", (COUNTER,))
    letters, tokens = iter(ORDER), {}
    for day, hhmm, action, arg in STEPS:
        clock.now = local(day, hhmm).astimezone(UTC)
        if action == "issue":
            tokens[next(letters)] = tickets.issue_ticket(ctx, arg)[0].ticket
        elif action == "call":
            assert counters.call_next(ctx, clerk, COUNTER).ticket.number == tokens[arg].number
        elif action == "recall":
            counters.recall(ctx, clerk, COUNTER, tokens[arg].number)
        elif action == "cancel":
            tickets.cancel_ticket(ctx, tokens[arg].token)
        elif action == "close_day":
            daily.close_day(ctx)
        else:
            getattr(counters, action)(ctx, clerk, COUNTER)
    return ctx


@pytest.fixture(scope="module")
def ctx():  # type: ignore[no-untyped-def]
    return play_the_day()


def test_the_sql_figures_of_the_hand_built_day_are_the_ones_worked_out_by_hand(ctx) -> None:  # type: ignore[no-untyped-def]
    summary = reports.summary(ctx, ADMIN, WED, THU, Scope()).to_dict()
    for key, value in EXPECTED.items():
        assert summary[key] == value, key
    assert summary["clerks"] == [CLERK_ROW]
    assert {d["date"]: (d["issued"], d["served"]) for d in summary["days"]} == DAYS
    heat = summary["arrivals_by_hour"]
    assert {(d, h): n for d in WEEKDAYS for h, n in enumerate(heat[d]) if n} == HEAT


def test_postgresql_gives_the_same_figures(pg_url: str) -> None:
    url = fresh_pg_database(pg_url)
    try:
        pg = play_the_day(url)
        summary = reports.summary(pg, ADMIN, WED, THU, Scope()).to_dict()
        for key, value in EXPECTED.items():
            assert summary[key] == value, key
        assert summary["clerks"] == [CLERK_ROW]
        heat = summary["arrivals_by_hour"]
        assert {(d, h): n for d in WEEKDAYS for h, n in enumerate(heat[d]) if n} == HEAT
        text = "".join(tickets_csv(reports.ticket_records(pg, ADMIN, WED, THU, Scope()), pg.site))
        assert "2026-12-02T23:30:00+08:00" in text
        pg.engine.dispose()
    finally:
        drop_pg_database(pg_url, url)


def test_the_raw_tickets_read_back_give_the_same_figures(ctx) -> None:  # type: ignore[no-untyped-def]
    text = "".join(tickets_csv(reports.ticket_records(ctx, ADMIN, WED, THU, Scope()), ctx.site))
    again = summarize(read_tickets_csv(text), site=ctx.site, start=WED, end=THU, services=ctx.site.services,
                      offset_s=8 * 3600, bookings=reports.summary(ctx, ADMIN, WED, THU, Scope()).bookings)
    assert again.to_dict() == reports.summary(ctx, ADMIN, WED, THU, Scope()).to_dict()
    assert ",23:30" not in text and "2026-12-02T23:30:00+08:00" in text  # site time with its offset


def test_a_supervisor_sees_only_their_agencies(ctx) -> None:  # type: ignore[no-untyped-def]
    own = reports.summary(ctx, DUKCAPIL_HEAD, WED, THU, Scope()).to_dict()
    assert own["issued"] == 8
    assert reports.summary(ctx, BPJS_HEAD, WED, THU, Scope()).counts.issued == 0
    for scope, code in ((Scope(agency="DUKCAPIL"), "agency_not_yours"), (Scope(service="KTP"), "service_not_yours"),
                        (Scope(counter=COUNTER), "counter_not_yours")):
        with pytest.raises(DomainError) as refused:
            reports.summary(ctx, BPJS_HEAD, WED, THU, scope)
        assert (refused.value.status, refused.value.code) == (403, code)
    with pytest.raises(DomainError) as clerk:
        reports.summary(ctx, Principal("user", CLERK, "clerk", (COUNTER,)), WED, THU, Scope())
    assert clerk.value.status == 403


def test_scopes_narrow_the_figures_and_unknown_codes_are_bad_requests(ctx) -> None:  # type: ignore[no-untyped-def]
    assert reports.summary(ctx, ADMIN, WED, THU, Scope(service="KK")).counts.issued == 2
    assert reports.summary(ctx, ADMIN, WED, THU, Scope(counter=COUNTER)).counts.served == 6
    assert reports.summary(ctx, ADMIN, WED, THU, Scope(clerk="nobody")).counts.issued == 0
    with pytest.raises(BadQuery) as bad:
        reports.summary(ctx, ADMIN, WED, THU, Scope(agency="NOPE"))
    assert (bad.value.status, bad.value.code) == (400, "unknown_agency")
    with pytest.raises(BadQuery) as mismatch:
        reports.summary(ctx, ADMIN, WED, THU, Scope(agency="BPJSKES", service="KTP"))
    assert mismatch.value.code == "scope_mismatch"


def test_the_report_facts_follow_today_and_freeze_a_day_only_once_it_is_closed() -> None:
    clock = FakeClock(local(WED, "09:00").astimezone(UTC))
    ctx = make_context(clock)
    tickets.issue_ticket(ctx, "KTP")
    assert reports.summary(ctx, ADMIN, WED, WED, Scope()).counts.issued == 1
    tickets.issue_ticket(ctx, "KTP")  # today is never final: the next report sees the new ticket
    assert reports.summary(ctx, ADMIN, WED, WED, Scope()).counts.issued == 2
    clock.now = local(THU, "00:00").astimezone(UTC)
    assert reports.summary(ctx, ADMIN, WED, WED, Scope()).counts.expired == 0  # still waiting: not final yet
    daily.close_day(ctx)
    assert reports.summary(ctx, ADMIN, WED, WED, Scope()).counts.expired == 2
    assert reports.refresh_facts(ctx, WED, WED) == 0  # closed and final: never rebuilt again


def test_idle_share_counts_only_the_time_the_counter_was_open() -> None:
    clock = FakeClock(local(WED, "08:00").astimezone(UTC))
    ctx = make_context(clock)
    ctx.listeners.append(CounterLog(ctx))
    clerk = Principal("user", CLERK, "clerk", (COUNTER,))

    def at(hhmm: str) -> None:
        clock.now = local(WED, hhmm).astimezone(UTC)

    counters.set_counter_status(ctx, clerk, COUNTER, "open")  # Buka at 08:00
    tickets.issue_ticket(ctx, "KTP")
    for hhmm, step in (("08:10", counters.call_next), ("08:11", counters.start), ("08:21", counters.finish)):
        at(hhmm)
        step(ctx, clerk, COUNTER)
    at("08:30")
    counters.set_counter_status(ctx, clerk, COUNTER, "paused")  # Istirahat for an hour
    at("09:30")
    tickets.issue_ticket(ctx, "KTP")
    for hhmm, step in (("09:40", counters.call_next), ("09:41", counters.start), ("09:51", counters.finish)):
        at(hhmm)
        step(ctx, clerk, COUNTER)  # the call opens the paused counter again
    row = reports.summary(ctx, ADMIN, WED, WED, Scope()).to_dict()["clerks"][0]
    # open 08:00–08:30 and 09:40–09:51 (the call reopened it): 1800 + 660 s, serving 600 + 600 s
    assert row["idle_share"] == round(1 - 1200 / 2460, 4)
