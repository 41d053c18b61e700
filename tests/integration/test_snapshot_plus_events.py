"""Zulip's rule for every live screen: random operations on the real service layer, then
apply(snapshot before, the messages this screen got) == snapshot after — for the display (Python reducer), the
counter page and the status page (the browser's own reducer modules, run in Node)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from display.state import apply, initial_state
from server.domain.accounts import Principal
from server.domain.errors import DomainError
from server.domain.ticket import Priority
from server.realtime.emits import COUNTER, DISPLAY, TICKET, counter_room, emits_for, service_room, ticket_room
from server.services import counters, queries, tickets
from server.simulate.engine import InlineCommit
from server.views.counter import counter_json
from server.views.display import display_snapshot
from server.views.tickets import ticket_json
from server.web.status import PUBLIC_FIELDS
from support import ROOT, FakeClock, make_context

WITA = ZoneInfo("Asia/Makassar")
ADMIN = Principal("user", "admin", "admin")
SERVICES = ("KTP", "KK", "AKTA")
COUNTERS = ("L04", "L05", "L06")  # KTP+KK, KTP, KK+AKTA: lines shared by several lokets
NODE = shutil.which("node")

op = st.one_of(
    st.tuples(st.just("issue"), st.sampled_from(SERVICES), st.sampled_from([None, *Priority])),
    st.tuples(st.sampled_from(["call", "call", "start", "finish", "skip", "recall"]), st.sampled_from(COUNTERS)),
    st.tuples(st.just("recall_skipped"), st.sampled_from(COUNTERS), st.integers(0, 5)),
    st.tuples(st.just("transfer"), st.sampled_from(COUNTERS), st.sampled_from(SERVICES)),
    st.tuples(st.just("cancel"), st.integers(0, 30)),
    st.tuples(st.just("status"), st.sampled_from(COUNTERS), st.sampled_from(["open", "paused", "closed"])),
    st.tuples(st.just("wait"), st.integers(1, 600)),
    st.tuples(st.just("serve"), st.sampled_from(COUNTERS)),
)


def run(ctx: Any, clock: FakeClock, step: tuple[Any, ...], issued: list[str]) -> None:
    """One operation; refusals (nobody to start, a busy loket…) are part of the game and change nothing."""
    kind, *args = step
    clock.advance(seconds=7)
    try:
        if kind == "issue":
            issued.append(tickets.issue_ticket(ctx, args[0], args[1])[0].ticket.token)
        elif kind == "call":
            counters.call_next(ctx, ADMIN, args[0])
        elif kind in ("start", "finish", "skip"):
            getattr(counters, kind)(ctx, ADMIN, args[0])
        elif kind == "recall":
            counters.recall(ctx, ADMIN, args[0])
        elif kind == "recall_skipped":
            view = queries.counter_view(ctx, ADMIN, args[0])
            if view.skipped:
                counters.recall(ctx, ADMIN, args[0], view.skipped[args[1] % len(view.skipped)].number)
        elif kind == "transfer":
            counters.transfer(ctx, ADMIN, args[0], args[1])
        elif kind == "cancel" and issued:
            tickets.cancel_ticket(ctx, issued[args[0] % len(issued)])
        elif kind == "status":
            counters.set_counter_status(ctx, ADMIN, args[0], args[1])
        elif kind == "wait":
            clock.advance(seconds=args[0])
        elif kind == "serve":  # a whole visit at once, so finished tickets (the loket's day) come up often
            counters.call_next(ctx, ADMIN, args[0])
            clock.advance(seconds=90)
            counters.start(ctx, ADMIN, args[0])
            clock.advance(seconds=240)
            counters.finish(ctx, ADMIN, args[0])
    except DomainError:
        pass


def counter_snapshot(ctx: Any, code: str) -> dict[str, Any]:
    return counter_json(queries.counter_view(ctx, ADMIN, code))


def status_snapshot(ctx: Any, token: str) -> dict[str, Any]:
    return ticket_json(ctx.site, ctx.public_url, tickets.get_ticket(ctx, token)) | {"seq": queries.current_seq(ctx)}


def received(emits: list[Any], namespace: str, rooms: set[str]) -> list[list[Any]]:
    """What a client in `rooms` of `namespace` got (once per message, whatever number of its rooms it names)."""
    out = []
    for e in emits:
        targets = e.room if isinstance(e.room, list) else [e.room]
        if e.namespace == namespace and (e.room is None or rooms.intersection(targets)):
            out.append([e.name, e.payload])
    return out


def status_messages(emits: list[Any], token: str, service: str) -> list[list[Any]]:
    """A status page's messages; when its ticket moves to another service the page follows it (status.js asks for
    a snapshot, which joins the new service's room)."""
    out: list[list[Any]] = []
    for name, payload in received(emits, TICKET, {ticket_room(token), service_room(service)}):
        if name == "queue_changed" and payload["service"] != service:
            continue  # a message for its old/new room that this page is not in at that moment
        out.append([name, payload])
        if name == "ticket_status":
            service = payload["service"]
    return out


def replay_in_node(cases: list[dict[str, Any]], tmp_path: Path) -> list[Any]:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases))
    done = subprocess.run([NODE, str(ROOT / "tests/js/reduce.mjs"), str(path)], capture_output=True, text=True,
                          timeout=60, check=True)
    return json.loads(done.stdout)


def visible(state: Any) -> tuple[Any, ...]:
    return state.calls, state.counters, dict(state.waiting)


@pytest.mark.slow
@pytest.mark.skipif(NODE is None, reason="Node.js is needed for the browser reducers (make installs it)")
@pytest.mark.parametrize("book", [False, True], ids=["per-use-case", "group-commit-book"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(op, max_size=25), after=st.lists(op, min_size=1, max_size=25))
def test_snapshot_before_plus_events_equals_snapshot_after(book, before, after, tmp_path) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=WITA))
    ctx, issued = make_context(clock), []
    if book:  # the SQLite server's writer: its line book keeps each group's projection, so issues only append
        ctx.writer = InlineCommit(ctx)
        ctx.writer.screens = True  # every use case ranks for screens, as on the server
    published: list[Any] = []
    ctx.listeners.append(published.extend)
    for step in before:
        run(ctx, clock, step, issued)
    tv = apply(initial_state(), "snapshot", display_snapshot(ctx))
    lokets = {c: counter_snapshot(ctx, c) for c in COUNTERS}
    pages = {t: status_snapshot(ctx, t) for t in issued}
    published.clear()
    for step in after:
        run(ctx, clock, step, issued)
    emits = [e for event in published for e in emits_for(ctx.site, ctx.public_url, event)]

    for name, payload in received(emits, DISPLAY, set()):
        tv = apply(tv, name, payload)
    assert not tv.need_snapshot
    assert visible(tv) == visible(apply(initial_state(), "snapshot", display_snapshot(ctx)))

    cases = [{"kind": "counter", "snapshot": snap, "messages": received(
        emits, COUNTER, {counter_room(c), *(service_room(s) for s in ctx.site.counters[c].services)})}
        for c, snap in lokets.items()]
    cases += [{"kind": "status", "snapshot": snap, "messages": status_messages(emits, t, snap["service"])}
              for t, snap in pages.items()]
    results = replay_in_node(cases, tmp_path)
    for code, got in zip(lokets, results, strict=False):
        want = counter_snapshot(ctx, code)
        assert {k: v for k, v in got.items() if k != "seq"} == {k: v for k, v in want.items() if k != "seq"}, code
    for token, got in zip(pages, results[len(lokets):], strict=True):
        want = status_snapshot(ctx, token)
        assert {k: got[k] for k in PUBLIC_FIELDS} == {k: want[k] for k in PUBLIC_FIELDS}, want["number"]
