"""Supervision board benchmark: a clerk's call → every open board, with 20 boards on the busy sample morning.

`python -m bench board`. Twenty `/board` sockets (python-socketio, WebSocket) stand for twenty supervisors' screens;
one headless Chromium board on top shows the time to the drawn loket card (the reducer and the redraw included).
"""

from __future__ import annotations

import copy
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import socketio
from browser_kit import chromium, new_page, sign_in

from support import PASSWORD, Api, FakeClock, ServerProcess, make_context, site_config

from .stats import ms, percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "board"))  # the busy morning the board's tests and screenshots use
BOARDS = 20
CALLS = 40
WAIT_SECS = 10.0


class _Boards:
    """`BOARDS` admin boards noting when each ticket's call reached each of them."""

    def __init__(self, url: str, token: str) -> None:
        self.arrived: dict[str, list[float]] = {}
        self.cond = threading.Condition()
        self.clients = []
        for _ in range(BOARDS):
            client = socketio.Client(reconnection=False)
            client.on("board_event", self._on_event, namespace="/board")
            client.connect(url, namespaces=["/board"], auth={"token": token}, transports=["websocket"],
                           wait_timeout=10)
            self.clients.append(client)

    def _on_event(self, payload: dict[str, Any]) -> None:
        if payload.get("event") == "ticket_called" and payload.get("ticket"):
            with self.cond:
                self.arrived.setdefault(payload["ticket"]["number"], []).append(time.perf_counter())
                self.cond.notify_all()

    def wait_all(self, number: str) -> list[float]:
        with self.cond:
            assert self.cond.wait_for(lambda: len(self.arrived.get(number, [])) >= BOARDS, WAIT_SECS), number
            return self.arrived[number]

    def close(self) -> None:
        for c in self.clients:
            c.disconnect()


def _server(workdir: Path) -> ServerProcess:
    from busy_morning import safe_play

    from server.domain.accounts import Principal
    from server.services import admin_accounts, tickets

    raw, url, end = site_config(), f"sqlite:///{workdir / 'antre.db'}", datetime.now(UTC)
    clock = FakeClock(end)
    ctx = make_context(clock, url, copy.deepcopy(raw))
    system = Principal("system", "bench", "admin")
    admin_accounts.create_user(ctx, system, "kepala", "admin", PASSWORD)
    admin_accounts.create_user(ctx, system, "tono", "clerk", PASSWORD, counters=["L14"])
    safe_play(ctx, clock, end)
    for _ in range(CALLS):
        tickets.issue_ticket(ctx, "SKHPN")
    ctx.engine.dispose()
    return ServerProcess(workdir, raw, database_url=url).start()


def main() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        server = _server(Path(tmp))
        try:
            admin = Api(server.url).login("kepala", PASSWORD)
            boards = _Boards(server.url, admin.token)
            clerk = Api(server.url).login("tono", PASSWORD)
            last, every, drawn = [], [], []
            with chromium() as browser:
                page = new_page(browser)
                sign_in(page, f"{server.url}/admin/login?next=/admin/board", "kepala", PASSWORD)
                page.wait_for_selector("body[data-seq]")
                for _ in range(CALLS):
                    started = time.perf_counter()
                    reply = clerk.post("/counters/L14/call-next")
                    assert reply.status_code == 200, reply.text
                    number = reply.json()["ticket"]["number"]
                    arrivals = boards.wait_all(number)
                    page.wait_for_selector(f'[data-counter="L14"][data-number="{number}"]')
                    drawn.append(time.perf_counter() - started)
                    every += [a - started for a in arrivals]
                    last.append(max(arrivals) - started)
                    assert clerk.post("/counters/L14/skip").status_code == 200  # frees the loket
            boards.close()
        finally:
            server.stop()
    return "\n".join([
        "## Supervision board",
        "",
        f"{BOARDS} `/board` sockets (admin scope: every loket and service) plus one Chromium board open on the busy "
        f"sample morning (`tests/board/busy_morning.py`); {CALLS} calls at Loket 14 through the REST API, each "
        "timed from sending POST call-next (target: every board current within 1 s):",
        "",
        "| measure | p50 ms | p99 ms | max ms |",
        "| --- | --- | --- | --- |",
        f"| call → one board's socket message | {ms(percentile(every, 50))} | {ms(percentile(every, 99))} | "
        f"{ms(max(every))} |",
        f"| call → the last of the {BOARDS} boards | {ms(percentile(last, 50))} | {ms(percentile(last, 99))} | "
        f"{ms(max(last))} |",
        f"| call → the Chromium board's loket card drawn | {ms(percentile(drawn, 50))} | "
        f"{ms(percentile(drawn, 99))} | {ms(max(drawn))} |",
        "",
        "Method: server subprocess (eventlet, SQLite) on loopback; the boards and the browser run on the same "
        "machine, so the numbers include their CPU share. Each call's event is built once from the committed event "
        "(no query) and sent to `board:all` and to the ticket's agency room.",
    ])
