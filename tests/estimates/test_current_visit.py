"""A loket's real current visit in the estimate (issue 15): one that has just opened, or finished its visitor, is
free now — not taken as busy for a visit because its status change looks like a call — and one with a visitor needs
the rest of a visit from the time since that call. Known from the line view (the book reads every loket's current
ticket once and follows the tickets written; a use case at a loket reads that loket's ticket anyway)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.domain.accounts import Principal
from server.domain.projection import OpenCounter, project
from server.realtime.emits import emits_for
from server.services import counters, queries, tickets
from server.services.writer import GroupCommit
from support import FakeClock, make_context

WITA = ZoneInfo("Asia/Makassar")
ADMIN = Principal("user", "admin", "admin")
T0 = datetime(2026, 12, 2, 8, 0)


def test_a_loket_known_free_calls_the_first_waiting_ticket_now():
    # KTP tickets waiting since 07:40; Loket 5 opened at 08:00 (its status change is its last change)
    lines = {"KTP": [(T0 - timedelta(minutes=20 - k), f"K{k}", False) for k in range(3)]}
    samples = {"KTP": [400.0, 480.0, 560.0]}
    seconds = {"KTP": 480.0}
    guessed = project(lines, [OpenCounter("L05", ("KTP",), since_call=0.0)], seconds, 2, samples, T0)
    free = project(lines, [OpenCounter("L05", ("KTP",), since_call=0.0, visit_known=True)], seconds, 2, samples, T0)
    busy = project(lines, [OpenCounter("L05", ("KTP",), since_call=0.0, visit_known=True, in_visit=200.0)],
                   seconds, 2, samples, T0)
    assert guessed["K0"].eta_seconds == 480  # the old guess: busy for a whole visit since "its call"
    assert free["K0"].eta_seconds == 0 and free["K1"].eta_seconds == 480
    assert busy["K0"].eta_seconds == 280  # the median of what the visits longer than 200 s had left


@pytest.fixture(params=["line book", "no book"])
def ctx(request):
    context = make_context(FakeClock(datetime(2026, 12, 2, 9, 0, tzinfo=WITA)))
    if request.param == "line book":  # as the server runs on SQLite; PostgreSQL has no book
        context.writer = GroupCommit(context)
    context.published = []
    context.listeners.append(context.published.extend)
    yield context
    if context.writer is not None:
        context.writer.close()
    context.engine.dispose()


def _standings(ctx, service: str) -> dict:
    return next(e.payload for e in emits_for(ctx.site, ctx.public_url, ctx.published[-1])
                if e.name == "queue_changed" and e.namespace == "/ticket" and e.payload["service"] == service
                )["standings"]


def _kiosk_eta(ctx, service: str) -> int:
    return next(s for s in queries.list_services(ctx) if s["code"] == service)["eta_seconds"]


def test_a_loket_that_just_opened_is_free_for_the_first_waiting_ticket(ctx):
    first, _ = tickets.issue_ticket(ctx, "KTP")
    ctx.clock.advance(seconds=60)
    tickets.issue_ticket(ctx, "KTP")
    ctx.clock.advance(minutes=10)
    counters.set_counter_status(ctx, ADMIN, "L05", "open")  # KTP only; nobody called yet
    assert _standings(ctx, "KTP")[first.ticket.number][2] == 0  # was a whole visit (480 s: no history yet)
    # the kiosk: a new ticket is third, after the two waiting, at the one free loket
    assert _kiosk_eta(ctx, "KTP") == 2 * 480  # was 3 visits


def test_a_loket_that_finished_is_free_and_one_serving_is_busy_for_the_rest_of_a_visit(ctx):
    counters.set_counter_status(ctx, ADMIN, "L05", "open")
    for minutes in (10, 2):  # a ten-minute visit, then a two-minute one
        tickets.issue_ticket(ctx, "KTP")
        counters.call_next(ctx, ADMIN, "L05")
        counters.start(ctx, ADMIN, "L05")
        ctx.clock.advance(seconds=100)
        if minutes == 10:  # busy: the rest of the visits longer than 100 s (one of 600 s: no history yet, 480)
            assert _kiosk_eta(ctx, "KTP") == 380
        ctx.clock.advance(seconds=minutes * 60 - 100)
        counters.finish(ctx, ADMIN, "L05")
    ctx.clock.advance(seconds=30)  # 150 s after its call; the guess from the history said 225 s more (0 or 450)
    assert _kiosk_eta(ctx, "KTP") == 0
    info, _ = tickets.issue_ticket(ctx, "KTP")
    # nobody waits, the loket finished: it will call at once. Without a line book (PostgreSQL) the ranking reads the
    # lokets' tickets itself (one statement), so an issue and a page asking later are told the same
    assert info.eta_seconds == 0
