"""The target wait per service (config, console/API change, export/import) and the board's model without a server:
who sees which board, its snapshot, and the part of an event each agency's board gets."""

from __future__ import annotations

import copy
import tomllib
from datetime import UTC, datetime

import pytest

from server.config import ConfigError, build_site
from server.domain.accounts import Principal
from server.domain.errors import Forbidden, Invalid
from server.services import board, counters, site_admin
from server.services.tickets import issue_ticket
from server.views.board import agencies_of, event_json, for_agency, snapshot_json
from support import FakeClock, make_context, site_config

NOW = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # Monday 09.00 WITA
ADMIN = Principal("user", "admin", "admin", id=1)
DUKCAPIL = Principal("user", "sari", "supervisor", id=2, agencies=("DUKCAPIL",))
CLERK = Principal("user", "rina", "clerk", id=3, counters=("L04", "L13"))


@pytest.fixture
def ctx():
    context = make_context(FakeClock(NOW))
    context.events = []
    context.listeners.append(context.events.extend)
    return context


def test_the_target_wait_is_the_sites_unless_a_service_sets_its_own():
    site = build_site(site_config())
    assert site.rules.target_wait_minutes == 30
    assert site.services["KTP"].target_wait_minutes == 30
    assert site.services["PENGADUAN"].target_wait_minutes == 15  # set in the sample config.toml
    raw = site_config(queue__target_wait_minutes=20)
    assert build_site(raw).services["KTP"].target_wait_minutes == 20
    assert build_site(raw).services["PASPOR"].target_wait_minutes == 45


@pytest.mark.parametrize("value", [0, -5, "30", 2000, True])
def test_a_bad_target_wait_is_refused_by_the_validator(value):
    raw = site_config()
    raw["service"][0]["target_wait_minutes"] = value
    with pytest.raises(ConfigError, match="target_wait_minutes"):
        build_site(raw)
    with pytest.raises(ConfigError, match="target_wait_minutes"):
        build_site(site_config(queue__target_wait_minutes=value))


def test_a_stored_site_without_targets_still_loads_with_the_default():
    raw = site_config()
    for s in raw["service"]:
        s.pop("target_wait_minutes", None)
    raw["queue"].pop("target_wait_minutes", None)
    assert {s.target_wait_minutes for s in build_site(raw).services.values()} == {30}


def test_the_console_and_api_change_a_services_target_and_export_import_keep_it(ctx):
    site_admin.update_entity(ctx, DUKCAPIL, "services", "KTP", {"target_wait_minutes": 25})
    assert ctx.site.services["KTP"].target_wait_minutes == 25
    assert site_admin.get_entity(ctx, ADMIN, "services", "KTP")["target_wait_minutes"] == 25
    with pytest.raises(Invalid) as bad:
        site_admin.update_entity(ctx, ADMIN, "services", "KTP", {"target_wait_minutes": 0})
    assert bad.value.details["field"] == "target_wait_minutes" and "menit" in bad.value.message
    exported = site_admin.export_site(ctx)
    ktp = next(s for s in tomllib.loads(exported)["service"] if s["code"] == "KTP")
    assert ktp["target_wait_minutes"] == 25
    site_admin.update_entity(ctx, ADMIN, "services", "KTP", {"target_wait_minutes": None})  # back to the default
    assert ctx.site.services["KTP"].target_wait_minutes == 30
    diff = site_admin.import_site(ctx, ADMIN, exported)
    assert any("target_wait_minutes" in line for line in diff)
    assert ctx.site.services["KTP"].target_wait_minutes == 25


def test_a_board_is_for_admins_and_supervisors_only_and_a_supervisor_sees_their_agencies():
    assert board.board_scope(ADMIN) is None
    assert board.board_scope(DUKCAPIL) == ("DUKCAPIL",)
    with pytest.raises(Forbidden):
        board.board_scope(CLERK)
    with pytest.raises(Forbidden):
        board.board_scope(Principal("device", "kiosk-1", "kiosk", id=9))


def test_the_snapshot_of_a_supervisor_holds_only_their_agencies_services_lokets_and_tickets(ctx):
    issue_ticket(ctx, "KTP")
    issue_ticket(ctx, "PKB")
    counters.call_next(ctx, CLERK, "L13")  # PKB at the SAMSAT loket
    ctx.clock.advance(minutes=45)
    counters.call_next(ctx, CLERK, "L04")  # D001 after 45 minutes: past KTP's 30
    snap = snapshot_json(ctx.site, board.board_snapshot(ctx, ("DUKCAPIL",)), ("DUKCAPIL",))
    assert {s["agency"] for s in snap["services"]} == {"DUKCAPIL"}
    assert "L04" in {c["code"] for c in snap["counters"]} and "L13" not in {c["code"] for c in snap["counters"]}
    assert [t["number"] for t in snap["late"]] == ["D001"]
    everything = snapshot_json(ctx.site, board.board_snapshot(ctx, None), None)
    l12 = next(c for c in everything["counters"] if c["code"] == "L13")
    assert l12["ticket"]["number"] == "M001" and l12["clerk"] == "rina" and l12["status"] == "open"
    assert next(s for s in everything["services"] if s["code"] == "PENGADUAN")["target_wait_minutes"] == 15


def test_an_events_part_for_an_agency_leaves_out_other_agencies_tickets_lines_and_lokets(ctx):
    issue_ticket(ctx, "PKB")
    issue_ticket(ctx, "KTP")
    counters.call_next(ctx, CLERK, "L13")
    called = ctx.events[-1]
    payload = event_json(ctx.site, called)
    assert payload["ticket"]["number"] == "M001" and payload["counter"]["code"] == "L13"
    assert agencies_of(ctx.site, payload) == {"SAMSAT"}
    cut = for_agency(ctx.site, payload, "DUKCAPIL")
    assert set(cut) == {"seq", "event"}
    assert for_agency(ctx.site, payload, "SAMSAT") == payload
    counters.call_next(ctx, CLERK, "L04")
    dukcapil = event_json(ctx.site, ctx.events[-1])
    assert dukcapil["lines"].keys() == {"KTP", "KK"} and "token" not in dukcapil["ticket"]
    assert for_agency(ctx.site, copy.deepcopy(dukcapil), "SAMSAT") == {"seq": dukcapil["seq"], "event": "ticket_called"}
