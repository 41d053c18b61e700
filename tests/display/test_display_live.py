"""The display against a real server subprocess: call → screen + voice, seq-gap resync, restart, --screenshot."""

import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pygame
import pytest

from display.app import DisplayApp
from display.client import DisplayClient
from display.samples import SAMPLE_NOW, sample_settings
from display.state import DisplayState, from_snapshot, initial_state
from display.voice import REQUIRED_CLIPS
from hardware.audio import FakeAnnouncer
from server.domain.ticket import priority_table
from support import Api, ServerProcess, free_port, site_config

ROOT = Path(__file__).resolve().parents[2]
SIZE = (1920, 1080)
WAIT_SECS = 30.0  # an upper bound on a loaded CI machine; every wait ends as soon as its condition holds


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    proc = ServerProcess(tmp_path_factory.mktemp("display-live"), site_config()).start()
    proc.token = proc.add_device("tv-lantai-1", "display")
    proc.add_clerk("budi", "L05", "L07")  # each test uses its own layanan: any order gives the same numbers
    yield proc
    proc.stop()


def make_app(url: str, token: str, client: DisplayClient | None = None) -> tuple[DisplayApp, DisplayClient,
                                                                                FakeAnnouncer]:
    client = client or DisplayClient(url, token)
    announcer = FakeAnnouncer(REQUIRED_CLIPS)
    settings = sample_settings(server=url, token=token, ticker="")
    # A fixed clock: a minute turning over during a test would change the header by itself.
    app = DisplayApp(settings, client, pygame.Surface(SIZE), announcer, clock=lambda: SAMPLE_NOW)
    client.start()
    assert app.run_until(lambda s: s.synced and bool(s.services), WAIT_SECS), "no snapshot from the server"
    return app, client, announcer


def region(app: DisplayApp, name: str) -> bytes:
    return pygame.image.tobytes(app.surface.subsurface(app.renderer.layout.panels[name]), "RGB")


def screen_view(state: DisplayState) -> tuple[Any, ...]:
    """What the TV shows of a state: waiting counts, each loket's number, the big panel's number."""
    return (dict(state.waiting), [(c.code, c.number) for c in state.counters],
            state.current.number if state.current else None)


def same_as_server(app: DisplayApp, api: Api) -> None:
    """Old snapshot + the events applied = a new snapshot (messages of the last event may still be on their way)."""
    fresh = screen_view(from_snapshot(initial_state(), api.get("/display/snapshot").json()))
    app.run_until(lambda s: screen_view(s) == fresh, WAIT_SECS)
    assert screen_view(app.state) == fresh


def test_a_clerk_call_appears_on_the_screen_and_is_announced(server: Any) -> None:
    app, client, announcer = make_app(server.url, server.token)
    try:
        api = Api(server.url).login("budi", "rahasia-123")
        before = region(app, "calling")
        issued = api.post("/tickets", {"service": "PBI"}, headers={"Idempotency-Key": "tv-1"}).json()["number"]
        assert issued == "G001"  # the first PBI ticket of the day
        reply = api.post("/counters/L07/call-next")
        assert reply.status_code == 200 and reply.json()["ticket"]["number"] == issued
        assert app.run_until(lambda s: s.current is not None and s.current.number == issued, WAIT_SECS)
        assert region(app, "calling") != before
        assert announcer.wait_for(1)
        assert announcer.announced == [["chime", "nomor_antrean", "huruf_g", "satu", "silakan_menuju", "loket",
                                        "tujuh"]]
        assert app.run_until(lambda s: s.waiting.get("PBI") == 0, WAIT_SECS)
        same_as_server(app, api)
    finally:
        client.stop()


class DroppingQueue(queue.Queue):
    """Loses the first message called `name`: the display must notice the seq gap and resync."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name, self.dropped = name, threading.Event()

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        if item[0] == self.name and not self.dropped.is_set():
            self.dropped.set()
            return
        super().put(item, block, timeout)


def test_a_lost_message_is_noticed_by_its_seq_and_repaired_by_a_snapshot(server: Any) -> None:
    events = DroppingQueue("queue_changed")
    app, client, announcer = make_app(server.url, server.token, DisplayClient(server.url, server.token,
                                                                              events=events))
    try:
        api = Api(server.url).login("budi", "rahasia-123")
        waiting = app.state.waiting.get("KK", 0)
        api.post("/tickets", {"service": "KK"})  # its only message, queue_changed, is lost
        assert events.dropped.wait(WAIT_SECS)
        number = api.post("/tickets", {"service": "KTP"}).json()["number"]
        api.post("/counters/L05/call-next")  # the next seq is one too far: gap → snapshot
        assert app.run_until(lambda s: s.current is not None and s.current.number == number
                             and s.waiting.get("KK") == waiting + 1 and not s.need_snapshot, WAIT_SECS)
        same_as_server(app, api)
    finally:
        client.stop()


def test_after_a_server_restart_the_display_reconnects_and_resyncs_by_itself(tmp_path: Path) -> None:
    first = ServerProcess(tmp_path, site_config()).start()
    token = first.add_device("tv", "display")
    first.add_clerk("sari", "L04")
    app, client, _ = make_app(first.url, token)
    second = None
    try:
        header = region(app, "header")
        first.stop()
        assert app.run_until(lambda s: not s.connected, WAIT_SECS)
        assert region(app, "header") != header  # the Menyambung ulang… mark
        second = ServerProcess(tmp_path, site_config(), port=first.port).start()  # same database
        api = Api(second.url).login("sari", "rahasia-123")
        number = api.post("/tickets", {"service": "KK"}).json()["number"]
        api.post("/counters/L04/call-next")
        assert app.run_until(lambda s: s.connected and s.current is not None and s.current.number == number,
                             WAIT_SECS)
        assert region(app, "header") == header
        same_as_server(app, api)
    finally:
        client.stop()
        (second or first).stop()


def test_the_display_shows_the_servers_priority_labels(server: Any) -> None:
    app, client, _ = make_app(server.url, server.token)
    try:
        assert app.run_until(lambda _: bool(app.renderer.priorities), WAIT_SECS)
        assert app.renderer.priorities == {p["code"]: {"id": p["label"], "en": p["label_en"]}
                                           for p in priority_table()}
    finally:
        client.stop()


def test_a_refused_token_is_shown_on_the_screen(server: Any) -> None:
    client = DisplayClient(server.url, "not-a-token")
    app = DisplayApp(sample_settings(server=server.url, ticker=""), client, pygame.Surface(SIZE),
                     clock=lambda: SAMPLE_NOW)
    client.start()
    try:
        assert app.run_until(lambda s: bool(s.error), WAIT_SECS), "no refusal reached the screen"
        assert app.state.error == "Token tidak dikenal atau sudah dicabut."  # the server's own words
        assert not app.state.connected and not client.connected
    finally:
        client.stop()


class NoticingQueue(queue.Queue):
    """Notes when a message called `name` has passed (and lets every message through)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name, self.seen = name, threading.Event()

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        if item[0] == self.name:
            self.seen.set()
        super().put(item, block, timeout)


def test_a_display_started_before_its_server_connects_once_the_server_is_up(tmp_path: Path) -> None:
    port = free_port()
    events = NoticingQueue("_unreachable")
    client = DisplayClient(f"http://127.0.0.1:{port}", events=events)  # a public display: no token
    app = DisplayApp(sample_settings(ticker=""), client, pygame.Surface(SIZE), clock=lambda: SAMPLE_NOW)
    client.start()
    late = None
    try:
        assert events.seen.wait(WAIT_SECS), "the first attempt did not fail"
        late = ServerProcess(tmp_path, site_config(), port=port).start()
        assert app.run_until(lambda s: s.connected and s.synced and bool(s.services), WAIT_SECS)
        assert app.run_until(lambda _: bool(app.renderer.priorities), WAIT_SECS)
    finally:
        client.stop()
        if late is not None:
            late.stop()


def run_display(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "display", *args], capture_output=True, text=True, timeout=60,
                          cwd=cwd)


def test_screenshot_against_a_live_server_writes_the_png(server: Any, tmp_path: Path) -> None:
    target = tmp_path / "tv.png"
    # "--token=…": a token may start with "-", which argparse would take for an option
    done = run_display("--config", str(server.config_path), "--server", server.url, f"--token={server.token}",
                       "--screenshot", str(target))
    assert done.returncode == 0, done.stderr
    assert pygame.image.load(str(target)).get_size() == SIZE
    assert "Traceback" not in done.stderr


def test_screenshot_with_a_wrong_token_fails_in_one_line(server: Any, tmp_path: Path) -> None:
    done = run_display("--server", server.url, "--token", "not-a-token", "--screenshot", str(tmp_path / "x.png"))
    assert done.returncode == 3
    assert len(done.stderr.strip().splitlines()) == 1 and "ditolak" in done.stderr
    assert not (tmp_path / "x.png").exists()


def test_screenshot_of_an_unreachable_server_fails_in_one_line(tmp_path: Path) -> None:
    done = run_display("--server", f"http://127.0.0.1:{free_port()}", "--screenshot", str(tmp_path / "x.png"),
                       "--timeout", "3")
    assert done.returncode == 3
    assert len(done.stderr.strip().splitlines()) == 1 and "tidak dapat dihubungi" in done.stderr
