"""Database statements per event: each use case's own, the real-time hub's after the commit, and each watcher's."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest.mock import patch
from zoneinfo import ZoneInfo

from server.domain.accounts import Principal
from server.realtime import hub as hub_module
from server.realtime.hub import Hub
from server.services import accounts, counters, tickets
from support import FakeClock, make_context

from .querycount import RecordingSocketIO, StatementCounter

WITA = ZoneInfo("Asia/Makassar")
BACKGROUND_TICKETS = 30  # a few lines already waiting, so no count rides on an empty table


def _use_cases(ctx: Any) -> list[tuple[str, Any]]:
    """(label, action) in an order where each action is legal after the previous ones."""
    admin, state = Principal("user", "admin", "admin"), {}

    def issue() -> None:
        state["token"] = tickets.issue_ticket(ctx, "KTP")[0].ticket.token

    return [
        ("issue ticket", issue),
        ("counter open", lambda: counters.set_counter_status(ctx, admin, "L05", "open")),
        ("call next", lambda: counters.call_next(ctx, admin, "L05")),
        ("recall", lambda: counters.recall(ctx, admin, "L05")),
        ("start", lambda: counters.start(ctx, admin, "L05")),
        ("finish", lambda: counters.finish(ctx, admin, "L05")),
        ("call next (again)", lambda: counters.call_next(ctx, admin, "L05")),
        ("skip", lambda: counters.skip(ctx, admin, "L05")),
        ("call next (third)", lambda: counters.call_next(ctx, admin, "L05")),
        ("transfer", lambda: counters.transfer(ctx, admin, "L05", "KK")),
        ("cancel (status page)", lambda: tickets.cancel_ticket(ctx, state["token"])),
        ("counter pause", lambda: counters.set_counter_status(ctx, admin, "L05", "paused")),
    ]


def _watchers(ctx: Any, hub: Any, counter: StatementCounter) -> list[str]:
    """What one screen's own read costs: the status page's ticket and the counter page's state, through the hub's
    handler of the measured code (`refresh` before issue 10, `snapshot` after: how often pages send it is in the
    watchers table)."""
    accounts.create_user(ctx, "bench", "clerk", "rahasia-123", ["L05"])
    clerk = accounts.login(ctx, "bench", "rahasia-123")
    token = tickets.issue_ticket(ctx, "KTP")[0].ticket.token
    status_read = getattr(hub, "_ticket_refresh", None) or hub._ticket_snapshot
    counter_read = getattr(hub, "_counter_refresh", None) or hub._counter_snapshot
    with patch.object(hub_module, "join_room"):  # the snapshot handlers join rooms: no Socket.IO request here
        status = counter.measure(lambda: status_read({"token": token}))
        board = counter.measure(lambda: counter_read({"token": clerk, "counter": "L05"}))
    return [f"| status page reads its ticket (/ticket `{status_read.__name__.split('_')[-1]}`), waiting ticket "
            f"| {status.use_case} |",
            f"| counter page reads its state (/counter `{counter_read.__name__.split('_')[-1]}`; "
            f"`GET /counters/<code>` is the same read) | {board.use_case} |"]


def measure() -> tuple[list[str], list[str], list[str]]:
    """Rows of the use-case table, rows of the per-watcher table, and the statements the hub ran on one call."""
    rows, call_sql = [], []
    with tempfile.TemporaryDirectory() as tmp:
        ctx = make_context(FakeClock(datetime(2026, 12, 2, 9, 0, tzinfo=WITA)), f"sqlite:///{Path(tmp) / 'q.db'}")
        for i in range(BACKGROUND_TICKETS):
            tickets.issue_ticket(ctx, ("KTP", "KK", "AKTA")[i % 3])
        sio = RecordingSocketIO()
        hub = Hub(sio, ctx)  # type: ignore[arg-type]  # the stand-in has what the hub uses
        counter = StatementCounter(ctx, sio)
        for label, action in _use_cases(ctx):
            got = counter.measure(action)
            rows.append(f"| {label} | {got.use_case} | {got.publish} | {got.emits} |")
            if label == "call next" and not call_sql:
                call_sql = got.publish_sql
        watcher_rows = _watchers(ctx, hub, counter)
        counter.close()
        ctx.engine.dispose()
    return rows, watcher_rows, call_sql


def main() -> str:
    rows, watcher_rows, call_sql = measure()
    sql = "; ".join(f"`{s}`" for s in call_sql) or "none"
    return "\n".join([
        "### Database statements per event",
        "",
        "In-process (`python -m bench queries`): a Context on a temporary SQLite file with "
        f"{BACKGROUND_TICKETS} waiting tickets, the real `server.realtime.hub.Hub` on a stand-in SocketIO that "
        "records emits; a SQLAlchemy `before_cursor_execute` listener counts statements (BEGIN included) during "
        "the use case and during the hub's `publish` after the commit.",
        "",
        "| use case | statements in the use case | statements in hub `publish` | messages emitted |",
        "| --- | ---: | ---: | ---: |",
        *rows,
        "",
        f"The hub's statements on `call next`: {sql}.",
        "",
        "What one screen's own read costs (statements per read; how many reads a call causes is in the table "
        "above):",
        "",
        "| screen's read | statements |",
        "| --- | ---: |",
        *watcher_rows,
    ])

