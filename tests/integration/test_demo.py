"""`python -m server run --demo` (issue 18: 2): the sample site open now, whatever the hour, with simulated visitors
taking tickets and simulated clerks calling and finishing them, in var/demo.db (wiped at every start), never in the
real database."""

from __future__ import annotations

import random
import re
import sqlite3
import tomllib
from collections import Counter
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import tomli_w
from realtime_client import Recorder, board_recorder

from server import demo_live
from server.config import load_config
from server.demo_live import demo_config
from server.domain.errors import DomainError
from support import ROOT, Api, FakeClock, ServerProcess, make_context

SPEED = "20"
WAIT_SECS = 60.0  # upper bounds on a loaded machine; every wait ends as soon as its event arrives


def sample_site() -> dict[str, Any]:
    """The sample config as shipped: its hours, breaks and holidays (the demo must open it by itself)."""
    return tomllib.loads((ROOT / "config.toml").read_text())


def stored_tickets(db: Path) -> set[tuple[str, str]]:
    """(number, issued_at) of every ticket in the demo's database file, read beside the running server (WAL)."""
    with closing(sqlite3.connect(db)) as conn:
        return set(conn.execute("SELECT number, issued_at FROM tickets"))


def admin_api(server: ServerProcess, start: int) -> Api:
    """The admin of this start's fresh demo database (its password is printed at every start)."""
    passwords = re.findall(r"kata sandi '([^']+)'", server.log())
    assert len(passwords) == start, "every demo start makes a new database, so a new first admin"
    return Api(server.url).login("admin", passwords[-1])


def write_sample(folder: Path, database: str = "sqlite:///var/antre.db") -> Path:
    raw = sample_site()
    raw["storage"]["url"] = database
    path = folder / "config.toml"
    path.write_text(tomli_w.dumps(raw))
    return path


def test_the_demo_config_opens_every_service_all_day_in_its_own_wiped_file(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTRE_DATABASE_URL", f"sqlite:///{tmp_path / 'real.db'}")  # the real site's, by environment
    monkeypatch.setenv("ANTRE_MESSAGE_QUEUE", "redis://127.0.0.1:6390/0")
    path = write_sample(tmp_path)
    text = path.read_text()
    (tmp_path / "var").mkdir()
    for name in ("demo.db", "demo.db-wal"):
        (tmp_path / "var" / name).write_text("kemarin")  # yesterday's demo
    real = load_config(path)
    demo = demo_config(real, 1.0)
    assert demo.database_url == f"sqlite:///{tmp_path / 'var' / 'demo.db'}" != real.database_url
    assert real.realtime.message_queue and not demo.realtime.message_queue, "its calls reach no real TV"
    assert not list((tmp_path / "var").iterdir()), "the last demo's files are deleted"
    assert all(s.open.hour == 0 and s.close is None and len(s.days) == 7 and s.daily_quota == 0
               for s in demo.site.services.values())
    assert not demo.site.breaks and not demo.site.holidays and demo.site.rules.ticket_cutoff_minutes == 0
    assert real.site.breaks and real.site.holidays, "the real config is left as it was"
    assert path.read_text() == text


def test_the_demo_refuses_a_speed_of_zero_and_the_real_database_as_its_own(tmp_path: Path) -> None:
    with pytest.raises(DomainError, match="--demo-speed"):
        demo_config(load_config(write_sample(tmp_path)), 0)
    with pytest.raises(DomainError, match="basis data situs ini"):
        demo_config(load_config(write_sample(tmp_path, "sqlite:///var/demo.db")), 1)


class Played(Exception):
    """The simulated time is over."""


class FakeSocketIO:
    """socketio.sleep on a simulated clock: the demo's waits and the use cases' "now" move together, instantly."""

    def __init__(self, clock: FakeClock, hours: float) -> None:
        self.clock, self.mono, self.end = clock, 0.0, hours * 3600

    def monotonic(self) -> float:
        return self.mono

    def sleep(self, seconds: float) -> None:
        self.mono += seconds
        self.clock.advance(seconds=seconds)
        if self.mono >= self.end:
            raise Played


def test_three_hours_of_the_demo_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the clerks and visitors do, played through the use cases on a simulated clock (a Monday from 09.00
    WITA, when the sample's morning booking session is on)."""
    clock = FakeClock(datetime(2026, 12, 7, 1, 0, tzinfo=UTC))
    sio = FakeSocketIO(clock, hours=3)
    monkeypatch.setattr(demo_live, "timer", sio)  # the demo's monotonic clock is the simulated one
    ctx = make_context(clock, raw=demo_config(load_config(write_sample(tmp_path)), 1.0).raw)
    events: list[Any] = []
    ctx.listeners.append(events.extend)
    demo = demo_live.LiveDemo(sio, ctx, 1.0, random.Random(7))  # type: ignore[arg-type]
    with pytest.raises(Played):
        demo.run()
    seen = Counter(e.name for e in events)
    issued = [e for e in events if e.name == "ticket_issued"]
    assert 200 < len(issued) < 2000, seen  # a busy morning of the whole site, not a trickle or a flood
    assert {e.service for e in issued} >= {"KTP", "PASPOR", "PKB", "SKL-SKTM"}
    assert 0.02 < sum(1 for e in issued if e.priority) / len(issued) < 0.2
    assert seen["booking_checked_in"] >= 10  # booked citizens of the morning session did Lapor Hadir
    assert seen["ticket_finished"] > 0.6 * len(issued)  # the clerks keep up with the hall
    assert seen["ticket_skipped"] >= 3 and any(e.name == "ticket_called" and e.info.ticket.recalls for e in events)
    paused = {e.counter for e in events if e.name == "counter_status_changed" and e.tile.status.value == "paused"}
    assert len(paused) >= 15, "almost every clerk took a break in three hours"
    finished = [e.info.ticket for e in events if e.name == "ticket_finished"]
    minutes = Counter(t.service for t in finished)
    served = {s: sum((t.finished_at - t.started_at).total_seconds() / 60 for t in finished if t.service == s) / n
              for s, n in minutes.items() if n >= 5}
    assert 3 < served["KTP"] < 10 and 7 < served["PASPOR"] < 18  # around Dukcapil's 6 and Imigrasi's 12 minutes
    assert clock.now - datetime(2026, 12, 7, 1, 0, tzinfo=UTC) >= timedelta(hours=3)


@pytest.mark.slow
def test_the_demo_lives_at_any_hour_in_its_own_wiped_database(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, sample_site(), run_args=("--demo", "--demo-speed", SPEED))
    real_db = tmp_path / "antre.db"  # what [storage] url names
    demo_db = tmp_path / "var" / "demo.db"
    server.start()
    try:
        assert f"Mode demo: data di {demo_db} dihapus setiap mulai" in server.log()
        services = Api(server.url).get("/services").json()
        assert all(s["open_now"] for s in services), "every service is open in the demo, whatever the hour"

        token = re.search(r"Kiosk demo: python -m kiosk --token=(\S+)", server.log())
        assert token, "the demo registers a kiosk and says how to start it"
        kiosk = Recorder(server.url, "/kiosk", {"token": token.group(1)}).connect()
        assert len(kiosk.wait_for("services", timeout=WAIT_SECS)) == len(services)
        kiosk.close()
        display = Recorder(server.url, "/display").connect()
        board = board_recorder(server.url, admin_api(server, 1).token)  # hears every loket, whichever is busy
        first_call = display.wait_for("ticket_called", timeout=WAIT_SECS)  # a kiosk issued it, a clerk called it
        assert re.fullmatch(r"[A-Z]{1,2}\d{3}", first_call["number"])
        finished = board.wait_for("board_event", lambda d: d["event"] == "ticket_finished", timeout=WAIT_SECS)
        assert finished["ticket"]["status"] == "done" and finished["counter"]["code"] == finished["ticket"]["counter"]
        display.close()
        board.close()
    finally:
        server.stop()
    assert demo_db.exists() and not real_db.exists(), "the demo never opens the real database"
    first = stored_tickets(demo_db)
    assert first, "the first start's demo issued tickets"

    server.start()  # the second start wipes the first one's tickets: numbering starts again at 001
    try:
        assert server.log().count("Mode demo: data di") == 2
        admin_api(server, 2)
        display = Recorder(server.url, "/display").connect()
        call = display.wait_for("ticket_called", timeout=WAIT_SECS)  # this start's demo lives too
        again = stored_tickets(demo_db)
        assert call["number"] in {number for number, _ in again}
        assert not again & first, "none of the first start's tickets is left"
        firsts = {min(n for n, _ in again if n[:-3] == prefix) for prefix in {n[:-3] for n, _ in again}}
        assert all(n.endswith("001") for n in firsts), f"every service's numbering starts again at 001: {firsts}"
        display.close()
    finally:
        server.stop()
    assert not real_db.exists()
    assert "Traceback" not in server.log()


def test_the_demo_clock_runs_at_the_demo_speed_from_its_start() -> None:
    """At --demo-speed 30 a minute of wall time is half an hour of the hall's: waits and service times read in the
    hall's minutes (the counter and board pages tick at `clock_rate`)."""
    wall = FakeClock(datetime(2026, 12, 16, 1, 30, tzinfo=UTC))
    clock = demo_live.DemoClock(wall, 30.0)
    assert clock() == wall.now
    wall.advance(seconds=60)
    assert clock() == datetime(2026, 12, 16, 2, 0, tzinfo=UTC)
    assert demo_live.clock_rate(SimpleNamespace(clock=clock)) == 30.0
    assert demo_live.clock_rate(SimpleNamespace(clock=wall)) == 1.0  # a real site's clock
