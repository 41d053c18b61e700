"""The survey's use cases in process: a finish is offered to its counter's tablet from the event alone (no query
while publishing), the tablet's offer on connect, a booked visit's ticket, and the report's scoping rules."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from server.domain.accounts import Principal
from server.domain.errors import Forbidden, Invalid, NotFound, Refused
from server.realtime.survey import SURVEY, SurveyNamespace, survey_room
from server.services import counters, survey, survey_report, tickets
from support import FakeClock, make_context

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.querycount import RecordingSocketIO, StatementCounter  # noqa: E402

ADMIN = Principal("user", "admin", "admin")
TABLET = Principal("device", "tablet-l05", "survey", ("L05",), 7)
WITA = ZoneInfo("Asia/Makassar")
FOURS = {f"U{i}": 4 for i in range(1, 10)}


@pytest.fixture
def ctx(tmp_path: Path):  # type: ignore[no-untyped-def]
    context = make_context(FakeClock(datetime(2026, 12, 2, 9, 0, tzinfo=WITA)), f"sqlite:///{tmp_path / 'antre.db'}")
    yield context
    context.engine.dispose()


def serve_one(ctx, service: str = "KTP", counter: str = "L05") -> str:  # type: ignore[no-untyped-def]
    token = tickets.issue_ticket(ctx, service)[0].ticket.token
    counters.call_next(ctx, ADMIN, counter)
    counters.start(ctx, ADMIN, counter)
    counters.finish(ctx, ADMIN, counter)
    return token


def test_a_finish_is_offered_to_the_counters_tablet_without_a_statement(ctx) -> None:  # type: ignore[no-untyped-def]
    sio = RecordingSocketIO()
    SurveyNamespace(sio, ctx)  # type: ignore[arg-type]
    counter = StatementCounter(ctx, sio)
    tickets.issue_ticket(ctx, "KTP")
    counters.call_next(ctx, ADMIN, "L05")
    counters.start(ctx, ADMIN, "L05")
    made = counter.measure(lambda: counters.finish(ctx, ADMIN, "L05"))
    counter.close()
    assert made.publish_sql == []
    assert ("offer", SURVEY, survey_room("L05")) in sio.emits


def test_the_tablet_is_offered_its_counters_last_finish_for_ten_minutes(ctx) -> None:  # type: ignore[no-untyped-def]
    assert survey.tablet_offer(ctx, TABLET) is None
    serve_one(ctx, counter="L04")
    assert survey.tablet_offer(ctx, TABLET) is None  # another counter's visitor
    token = serve_one(ctx)
    offer = survey.tablet_offer(ctx, TABLET)
    assert offer is not None and offer["token"] == token and offer["service_name"]
    ctx.clock.advance(minutes=11)
    assert survey.tablet_offer(ctx, TABLET) is None
    with pytest.raises(Forbidden):
        survey.tablet_offer(ctx, ADMIN)


def test_a_booked_visit_is_surveyed_after_check_in_and_service(tmp_path: Path) -> None:
    from server.services import booking as bk

    clock = FakeClock(datetime(2026, 11, 30, 6, 30, tzinfo=WITA))  # a Monday, before the morning session
    ctx = make_context(clock, f"sqlite:///{tmp_path / 'booked.db'}")
    monday = clock.now.date()
    req = bk.BookingRequest(service="KTP", day=monday, session="pagi", name="Budi Santoso", nik="6472051203900001",
                            phone="081234567890", consent=True)
    code = bk.book(ctx, req).booking.code
    clock.now = datetime(2026, 11, 30, 7, 0, tzinfo=WITA)
    _, info, _ = bk.check_in(ctx, code, Principal("device", "kiosk-1", "kiosk", (), 1))
    token = info.ticket.token
    day = monday
    assert survey.survey_state(ctx, token) == "not_served"
    counters.call_next(ctx, ADMIN, "L05")
    counters.start(ctx, ADMIN, "L05")
    counters.finish(ctx, ADMIN, "L05")
    assert survey.survey_state(ctx, token) == "open"
    survey.submit(ctx, token, survey.parse_submission({"answers": FOURS}))
    assert survey.survey_state(ctx, token) == "answered"
    with pytest.raises(Refused):
        survey.submit(ctx, token, survey.parse_submission({"answers": FOURS}))
    report = survey_report.ikm_report(ctx, survey_report.scope(ctx, ADMIN, day, day))
    assert (report["respondents"], report["ikm"], report["mutu"]) == (1, 100.0, "A")
    ctx.engine.dispose()


def test_report_scopes_and_periods(ctx) -> None:  # type: ignore[no-untyped-def]
    today = ctx.now().date()
    kadis = Principal("user", "kadis", "supervisor", agencies=("DUKCAPIL",))
    assert survey_report.scope(ctx, kadis, today, today).services == {
        s.code for s in ctx.site.services.values() if s.agency == "DUKCAPIL"}
    with pytest.raises(Forbidden):
        survey_report.scope(ctx, kadis, today, today, agency="DINSOS")
    with pytest.raises(NotFound):
        survey_report.scope(ctx, ADMIN, today, today, service="NOPE")
    with pytest.raises(Forbidden):
        survey_report.scope(ctx, Principal("user", "siti", "clerk"), today, today)
    assert survey_report.parse_period(None, None, today) == (today.replace(day=1), today)
    for first, last in (("2026-12-05", "2026-12-01"), ("2020-01-01", "2026-12-01"), ("kemarin", None)):
        with pytest.raises(Invalid):
            survey_report.parse_period(first, last, today)


def test_the_trend_covers_twelve_months_up_to_the_end_of_the_period(ctx) -> None:  # type: ignore[no-untyped-def]
    for when, scores in ((datetime(2025, 12, 1, 9, 0, tzinfo=WITA), 1), (datetime(2026, 10, 5, 9, 0, tzinfo=WITA), 3),
                         (datetime(2026, 12, 2, 9, 30, tzinfo=WITA), 4)):
        ctx.clock.now = when
        token = serve_one(ctx)
        survey.submit(ctx, token, survey.parse_submission({"answers": {f"U{i}": scores for i in range(1, 10)}}))
    december = survey_report.scope(ctx, ADMIN, datetime(2026, 12, 1).date(), datetime(2026, 12, 31).date())
    report = survey_report.ikm_report(ctx, december)
    assert report["respondents"] == 1 and report["ikm"] == 100.0
    assert [(m["month"], m["ikm"], m["mutu"]) for m in report["months"]] == [("2026-10", 75.0, "C"),
                                                                            ("2026-12", 100.0, "A")]
