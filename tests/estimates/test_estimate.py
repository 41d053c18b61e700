"""The estimate: robust to outliers, `eta_seconds` and `no_counter_open` on the ticket, the services list and the
status pages' standings, and the status page's words when no loket serves the ticket's service."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from server.domain.accounts import Principal
from server.domain.eta import robust_service_seconds
from server.realtime.emits import emits_for
from server.services import counters, queries, tickets
from server.views.tickets import ticket_json
from support import FakeClock, make_context

WITA = ZoneInfo("Asia/Makassar")
ADMIN = Principal("user", "admin", "admin")


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 12, 2, 9, 0, tzinfo=WITA))


@pytest.fixture
def ctx(clock):
    context = make_context(clock)
    context.published = []
    context.listeners.append(context.published.extend)
    return context


def test_one_outlier_does_not_move_the_typical_service():
    usual = [540.0 + 15 * (i % 5) for i in range(19)]
    base = robust_service_seconds(usual + [570.0], 480)
    for outlier in (2.0, 90 * 60.0):
        assert abs(robust_service_seconds(usual + [outlier], 480) - base) <= 0.03 * base
    # the plain mean the old estimate used moves by a quarter with the 90-minute one
    assert (sum(usual) + 5400) / 20 > 1.2 * base
    assert robust_service_seconds([], 480) == 480 and robust_service_seconds([600, 2], 480) == 600


def test_a_ticket_says_when_no_loket_serves_its_service(ctx):
    info, _ = tickets.issue_ticket(ctx, "KTP")
    body = ticket_json(ctx.site, ctx.public_url, info)
    assert body["no_counter_open"] is True and body["eta_seconds"] is None and body["eta_minutes"] is None
    ktp = next(s for s in queries.list_services(ctx) if s["code"] == "KTP")
    assert ktp["no_counter_open"] is True and ktp["eta_minutes"] is None and ktp["waiting"] == 1
    counters.set_counter_status(ctx, ADMIN, "L05", "open")  # KTP only
    again = tickets.get_ticket(ctx, info.ticket.token)
    assert again.no_counter_open is False and again.ahead == 0 and again.eta_seconds is not None
    ktp = next(s for s in queries.list_services(ctx) if s["code"] == "KTP")
    assert ktp["no_counter_open"] is False and ktp["eta_seconds"] > 0


def test_standings_carry_seconds_and_the_no_counter_flag(ctx, clock):
    counters.set_counter_status(ctx, ADMIN, "L04", "open")  # KTP and KK
    tickets.issue_ticket(ctx, "KK")
    clock.advance(seconds=30)
    info, _ = tickets.issue_ticket(ctx, "KTP")
    event = ctx.published[-1]
    messages = [e for e in emits_for(ctx.site, ctx.public_url, event) if e.name == "queue_changed" and e.namespace == "/ticket"]
    # the KTP ticket's line and the KK line it shares Loket 4 with are both sent
    assert {m.payload["service"] for m in messages} == {"KTP", "KK"}
    ktp = next(m.payload for m in messages if m.payload["service"] == "KTP")
    ahead, minutes, seconds, closed = ktp["standings"][info.ticket.number]
    assert (ahead, closed) == (1, False)  # the KK ticket that came first, at the same loket
    assert seconds == info.eta_seconds and minutes == -(-seconds // 60)
    counters.set_counter_status(ctx, ADMIN, "L04", "closed")
    event = ctx.published[-1]
    ktp = next(e.payload for e in emits_for(ctx.site, ctx.public_url, event)
               if e.name == "queue_changed" and e.namespace == "/ticket" and e.payload["service"] == "KTP")
    assert ktp["standings"][info.ticket.number] == [0, None, None, True]


def test_a_ticket_taken_before_its_lokets_open_is_told_when_it_will_be_called(clock):
    from support import site_config

    raw = site_config()
    for c in raw["counter"]:  # every loket staffed from 09:30 (the clock says 09:00): none is open now
        c["hours"] = [["09:30", "12:00"], ["13:00", "16:00"]]
    ctx = make_context(clock, raw=raw)
    info, _ = tickets.issue_ticket(ctx, "KTP")
    assert info.no_counter_open is False and info.eta_seconds == 30 * 60 and info.ahead == 0
    ktp = next(s for s in queries.list_services(ctx) if s["code"] == "KTP")
    assert ktp["no_counter_open"] is False and ktp["eta_seconds"] >= 30 * 60


def test_a_loket_s_hours_are_checked_with_a_one_line_message():
    from server.config import ConfigError, config_from_dict
    from support import site_config

    for bad, words in (("08:00-12:00", "list of"), ([["12:00", "08:00"]], "in order"),
                       ([["08:00", "12:00"], ["11:00", "13:00"]], "in order"), ([["8am", "12:00"]], "bad time")):
        raw = site_config()
        raw["counter"][0]["hours"] = bad
        with pytest.raises(ConfigError) as err:
            config_from_dict(raw)
        assert words in str(err.value) and "\n" not in str(err.value)
    raw = site_config()
    raw["counter"][0]["hours"] = [["08:00", "12:00"], ["13:00", "24:00"]]
    code = raw["counter"][0]["code"]
    assert config_from_dict(raw).site.counters[code].hours == ((8 * 3600, 12 * 3600), (13 * 3600, 24 * 3600))


def test_an_issue_sends_only_the_new_tickets_standing_and_the_others_still_hold(clock):
    from server.simulate.engine import InlineCommit

    ctx = make_context(clock)
    ctx.writer = InlineCommit(ctx)  # the SQLite server's writer: its line book keeps each group's projection
    ctx.writer.screens = True  # every use case for screens, as on the server (the simulator ranks only issues)
    published: list = []
    ctx.listeners.append(published.extend)
    for code in ("L04", "L05", "L06"):  # KTP+KK, KTP, KK+AKTA: one group of lines
        counters.set_counter_status(ctx, ADMIN, code, "open")
    told = {}
    for service in ("KTP", "KK", "AKTA", "KTP", "KK", "KTP", "AKTA", "KK"):
        clock.advance(seconds=5)
        info, _ = tickets.issue_ticket(ctx, service)
        told[info.ticket.token] = (info.ahead, info.eta_seconds)
    messages = [e.payload for e in emits_for(ctx.site, ctx.public_url, published[-1])
                if e.name == "queue_changed" and e.namespace == "/ticket"]
    # the last issue (a third KK ticket) appended to the kept projection: its line only, its standing only
    assert [(m["service"], m["waiting"], list(m["standings"])) for m in messages] == [("KK", 3, [info.ticket.number])]
    assert messages[0]["standings"][info.ticket.number][0::2] == [info.ahead, info.eta_seconds]
    # what every ticket was told when it was issued is what a page asking now is told (nobody else moved)
    for token, (ahead, eta) in told.items():
        now = tickets.get_ticket(ctx, token)
        assert (now.ahead, now.eta_seconds) == (ahead, eta)


def test_a_page_opened_after_a_loket_opens_is_told_what_the_event_said(clock):
    # The loket's stamp comes back from the database in UTC, the tickets' in site time: the projection's start must
    # compare them as moments (compared as wall times, 01:00 UTC looked older than 09:00 WITA: 7 s off here).
    ctx = make_context(clock)
    published: list = []
    ctx.listeners.append(published.extend)
    issued = []
    for _ in range(2):
        clock.advance(seconds=7)
        issued.append(tickets.issue_ticket(ctx, "KTP")[0].ticket.token)
    clock.advance(seconds=7)
    counters.set_counter_status(ctx, ADMIN, "L04", "open")
    sent = next(e.payload["standings"] for e in emits_for(ctx.site, ctx.public_url, published[-1])
                if e.name == "queue_changed" and e.namespace == "/ticket" and e.payload["service"] == "KTP")
    for token in issued:
        page = tickets.get_ticket(ctx, token)
        assert sent[page.ticket.number][0::2] == [page.ahead, page.eta_seconds]
