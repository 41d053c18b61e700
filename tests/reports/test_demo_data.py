"""`demo-data` through the service layer (issue 13): the fast path (every use case of a simulated day in one
transaction, services/day_batch.py) writes the very history the ordinary path writes (one transaction per use
case, as on the server) for the same seed — the same tickets, numbers, states, timestamps, transitions, bookings,
counters and counters' log — so the speed-up leaves no rule out."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from server.domain.accounts import Principal
from server.domain.report_figures import summarize
from server.domain.report_period import Scope
from server.services import demo_data, reports
from server.storage import tables
from server.storage.booking_tables import bookings
from server.storage.reports_repo import Filter, ReportsRepository, counter_log
from support import ROOT, FakeClock, make_context

LAST_DAY = date(2026, 3, 6)  # a Friday: arrivals during the prayer break are refused (rolled back)
DAYS = 1


def sample_site(path: Path) -> Any:
    raw = tomllib.loads((ROOT / "config.toml").read_text())
    raw["server"].update(secret_key="demo-test-secret")
    return make_context(FakeClock(datetime(2026, 3, 10, 2, 0, tzinfo=UTC)), f"sqlite:///{path}", raw)


def history(path: Path, per_day: bool, busy: float = 1.0) -> tuple[demo_data.DemoResult, dict[str, Any]]:
    ctx = sample_site(path)
    made = demo_data.generate(ctx, DAYS, seed=7, last_day=LAST_DAY, per_day=per_day, busy=busy)
    ids: dict[int, str] = {}
    with ctx.engine.connect() as conn:
        t = tables.tickets
        ticket_rows = []
        for row in conn.execute(select(t).order_by(t.c.local_date, t.c.number)).mappings():
            ids[row["id"]] = f"{row['local_date']} {row['number']}"
            ticket_rows.append({k: v for k, v in row.items() if k not in ("id", "token")})  # token: random
        tr = tables.ticket_transitions
        transitions = [(ids[r["ticket_id"]],) + tuple(v for k, v in r.items() if k not in ("id", "ticket_id"))
                       for r in conn.execute(select(tr).order_by(tr.c.id)).mappings()]
        booked = [{k: v for k, v in r.items() if k not in ("id", "code", "ticket_id")}  # code: random
                  | {"ticket": ids.get(r["ticket_id"])}
                  for r in conn.execute(select(bookings).order_by(bookings.c.id)).mappings()]
        rest = {name: [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]
                for name, table in (("counters", tables.counter_states), ("numbers", tables.daily_counters),
                                    ("seq", tables.site_state))}
        log = [tuple(r)[1:] for r in conn.execute(select(counter_log).order_by(counter_log.c.id))]
    ctx.engine.dispose()
    return made, {"tickets": ticket_rows, "transitions": transitions, "bookings": booked, "log": log, **rest}


@pytest.mark.slow
def test_a_day_in_one_transaction_writes_the_same_history_as_one_transaction_per_use_case(tmp_path: Path) -> None:
    fast, fast_history = history(tmp_path / "fast.db", per_day=True)
    plain, plain_history = history(tmp_path / "plain.db", per_day=False)
    assert (fast.tickets, fast.bookings, fast.refused) == (plain.tickets, plain.bookings, plain.refused)
    assert fast.tickets > 300 and fast.bookings > 0 and fast.refused > 0  # refusals: savepoints rolled back
    actions = {t[1] for t in fast_history["transitions"]}
    assert {"issue", "call", "start", "finish", "skip", "recall", "transfer", "cancel", "expire"} <= actions
    assert len(fast_history["log"]) > 0  # the counters' log is kept on both paths
    for part in fast_history:
        assert fast_history[part] == plain_history[part], part


@pytest.mark.slow
def test_busy_scales_the_walk_ins(tmp_path: Path) -> None:
    usual, _ = history(tmp_path / "usual.db", per_day=True)
    busy, _ = history(tmp_path / "busy.db", per_day=True, busy=1.6)
    assert 1.4 < busy.tickets / usual.tickets < 1.8


@pytest.mark.slow
def test_the_rollups_give_the_figures_of_every_ticket_for_the_site_and_an_agency(tmp_path: Path) -> None:
    """A whole site's or agency's summary sums the per-day rollups (Alembic 0010); the reference recomputes every
    figure from the tickets one by one."""
    ctx = sample_site(tmp_path / "rollups.db")
    demo_data.generate(ctx, 3, seed=5, last_day=LAST_DAY)
    admin = Principal("user", "admin", "admin")
    start = LAST_DAY - timedelta(days=2)
    for scope in (Scope(), Scope(agency="DUKCAPIL")):
        services = [s.code for s in ctx.site.services.values() if scope.agency in (None, s.agency)]
        got = reports.summary(ctx, admin, start, LAST_DAY, scope)
        records = list(reports.ticket_records(ctx, admin, start, LAST_DAY, scope))
        with ctx.engine.connect() as conn:
            log = ReportsRepository(conn).counter_log(Filter(start, LAST_DAY))
        want = summarize(records, site=ctx.site, start=start, end=LAST_DAY, services=services, offset_s=8 * 3600,
                         scope=scope.as_dict(), counter_log=log, today=ctx.now().date())
        assert got.counts.issued > 100 and got.clerks
        assert {k: v for k, v in got.to_dict().items() if k != "bookings"} == \
            {k: v for k, v in want.to_dict().items() if k != "bookings"}, scope
    ctx.engine.dispose()
