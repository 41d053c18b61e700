"""Tests of the frame loop with a fake client: announcements, resync requests, partial redraws, flash, fps cap."""

import queue
import threading
import time
from typing import Any

import pygame
import pytest

from display.app import MIN_FRAME_SECS, REORDER_WINDOW_SECS, RESYNC_RETRY_SECS, DisplayApp
from display.render import FLASH_PERIOD_SECS, FLASH_SECS
from display.samples import SAMPLE_NOW, calling_snapshot, catalog, sample_settings
from display.settings import DisplaySettings
from display.voice import REQUIRED_CLIPS
from hardware.audio import FakeAnnouncer

SIZE = (1920, 1080)


class FakeClient:
    """A queue like DisplayClient's, and a count of snapshot requests."""

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.snapshot_requests = 0

    def request_snapshot(self) -> bool:
        self.snapshot_requests += 1
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def called(number: str, counter: int, seq: int, service: str = "KTP", **extra: Any) -> dict[str, Any]:
    return {"number": number, "service": service, "counter": f"L{counter:02d}", "counter_name": f"Loket {counter}",
            "recall": False, "priority": None, "seq": seq, "at": "2026-11-28T08:15:00+08:00"} | extra


def make_app(settings: DisplaySettings | None = None) -> tuple[DisplayApp, FakeClient, FakeAnnouncer, Clock]:
    client, announcer, mono = FakeClient(), FakeAnnouncer(REQUIRED_CLIPS), Clock()
    app = DisplayApp(settings or sample_settings(ticker=""), client, pygame.Surface(SIZE), announcer,
                     clock=lambda: SAMPLE_NOW, mono=mono)
    client.events.put(("services", catalog()))
    client.events.put(("snapshot", calling_snapshot()))  # seq 40
    app.pump()
    app.render()
    return app, client, announcer, mono


def region(app: DisplayApp, name: str) -> bytes:
    rect = app.renderer.layout.panels[name]
    return pygame.image.tobytes(app.surface.subsurface(rect), "RGB")


def test_a_live_call_is_announced_once_with_the_right_clips() -> None:
    app, client, announcer, _ = make_app()
    assert announcer.announced == []  # the snapshot's calls are old news
    client.events.put(("ticket_called", called("D012", 4, 41)))
    client.events.put(("queue_changed", {"service": "KTP", "waiting": 13, "seq": 41}))
    assert app.pump() == 2
    assert announcer.announced == [["chime", "nomor_antrean", "huruf_d", "dua", "belas", "silakan_menuju",
                                     "loket", "empat"]]


def test_a_recall_and_a_digit_by_digit_service_are_announced_their_way() -> None:
    app, client, announcer, _ = make_app()
    services = [s | {"spell_digits": True} if s["code"] == "SIM" else s for s in catalog()]
    client.events.put(("services", services))
    client.events.put(("ticket_called", called("L105", 12, 41, service="SIM")))
    client.events.put(("ticket_called", called("L105", 12, 42, service="SIM", recall=True)))
    app.pump()
    assert announcer.announced == [
        ["chime", "nomor_antrean", "huruf_l", "satu", "nol", "lima", "silakan_menuju", "loket", "dua", "belas"],
        ["chime", "panggilan_ulang", "nomor_antrean", "huruf_l", "satu", "nol", "lima", "silakan_menuju", "loket",
         "dua", "belas"],
    ]


def test_calls_for_another_floor_are_neither_shown_nor_announced() -> None:
    app, client, announcer, _ = make_app(sample_settings(ticker="", agencies=("POLRI",)))
    client.events.put(("ticket_called", called("D012", 4, 41)))
    client.events.put(("ticket_called", called("K001", 11, 42, service="SKCK")))
    app.pump()
    assert [c.number for c in app.state.calls] == ["K001"]
    assert len(announcer.announced) == 1 and announcer.announced[0][2] == "huruf_k"


def test_voice_off_in_config_means_silence() -> None:
    app, client, announcer, _ = make_app(sample_settings(ticker="", voice=False))
    client.events.put(("ticket_called", called("D012", 4, 41)))
    app.pump()
    assert app.state.current is not None and app.state.current.number == "D012"
    assert announcer.announced == []


def test_a_seq_gap_requests_one_snapshot_then_retries_only_after_a_while() -> None:
    app, client, _, mono = make_app()
    client.events.put(("queue_changed", {"service": "KTP", "waiting": 9, "seq": 45}))
    app.pump()
    assert client.snapshot_requests == 0  # held a moment: 41..44 may still be on their way (issue 16: 5)
    mono.now += REORDER_WINDOW_SECS
    app.pump()
    assert client.snapshot_requests == 1
    client.events.put(("queue_changed", {"service": "KTP", "waiting": 8, "seq": 48}))
    app.pump()
    assert client.snapshot_requests == 1  # still waiting for the answer
    mono.now += RESYNC_RETRY_SECS + 0.1
    app.pump()
    assert client.snapshot_requests == 2
    client.events.put(("snapshot", calling_snapshot() | {"seq": 48}))
    app.pump()
    assert not app.state.need_snapshot and app.state.waiting["KTP"] == 14


def test_only_the_regions_that_changed_are_redrawn() -> None:
    app, client, _, _ = make_app()
    assert app.render().dirty == []  # nothing new, no ticker: nothing to paint
    client.events.put(("queue_changed", {"service": "KTP", "waiting": 15, "seq": 41}))
    app.pump()
    assert app.render().dirty == [app.renderer.layout.waiting]
    client.events.put(("ticket_called", called("D012", 4, 42)))
    app.pump()
    dirty = app.render().dirty
    layout = app.renderer.layout
    assert dirty[:2] == [layout.calling, layout.history]
    (tile,) = dirty[2:]  # of the loket grid only the tile of Loket 4 is repainted
    assert layout.counters.contains(tile) and tile.width * tile.height < layout.counters.width * layout.counters.height / 10


def test_a_new_call_flashes_the_panel_then_it_settles() -> None:
    app, client, _, mono = make_app()
    quiet = region(app, "calling")
    client.events.put(("ticket_called", called("D012", 4, 41)))
    app.pump()
    app.render()
    bright = region(app, "calling")
    mono.now += FLASH_PERIOD_SECS + 0.01
    app.render()
    dark = region(app, "calling")
    mono.now += FLASH_SECS
    app.render()
    settled = region(app, "calling")
    assert len({quiet, bright, dark}) == 3  # new number on yellow, then on blue
    assert settled == dark
    assert not app.renderer.flashing(mono.now)
    panel = app.renderer.layout.calling
    assert app.surface.get_at((panel.x + 40, panel.centery))[:3] != (255, 204, 51)


def test_the_reconnecting_mark_appears_in_the_header_and_the_screen_keeps_its_content() -> None:
    app, client, _, _ = make_app()
    header, calling = region(app, "header"), region(app, "calling")
    client.events.put(("_disconnected", {"reason": "transport error"}))
    app.pump()
    assert app.render().dirty == [app.renderer.layout.header]
    assert region(app, "header") != header and region(app, "calling") == calling
    client.events.put(("_connected", {}))
    app.pump()
    app.render()
    assert region(app, "header") == header


def test_a_malformed_message_is_skipped_and_the_loop_goes_on() -> None:
    app, client, _, _ = make_app()
    before = app.state
    client.events.put(("ticket_called", {"number": None, "counter": ["L04"], "seq": "x"}))
    client.events.put(("snapshot", {"seq": 50, "counters": [5], "calls": "none"}))
    assert app.pump() == 2
    assert app.state == before
    client.events.put(("queue_changed", {"service": "KTP", "waiting": 2, "seq": 41}))
    app.pump()
    assert app.state.waiting["KTP"] == 2
    app.render()


@pytest.mark.parametrize("ticker", ["", "Selamat datang di MPP Kota Samarinda."])
def test_the_frame_loop_stays_at_or_under_thirty_frames_per_second(ticker: str) -> None:
    client = FakeClient()
    app = DisplayApp(sample_settings(ticker=ticker), client, pygame.Surface((640, 360)), None)
    stop = threading.Event()
    worker = threading.Thread(target=app.run, args=(stop,))
    started = time.monotonic()
    worker.start()
    for seq in range(1, 200):  # a flood of messages must not turn into a flood of frames
        client.events.put(("tick", {"seq": seq}))
    stop.wait(0.6)  # the loop runs for a fixed wall time; we count its frames
    stop.set()
    worker.join(5)
    elapsed = time.monotonic() - started
    assert app.frames <= elapsed / MIN_FRAME_SECS + 2
    if ticker:
        assert app.frames >= 5  # the running text keeps moving


def test_a_call_the_server_delivers_late_is_shown_but_not_read_out() -> None:
    app, client, announcer, _ = make_app()
    client.events.put(("ticket_called", called("D012", 4, 41, announce=False)))  # learnt after a Redis outage
    app.pump()
    assert announcer.announced == [] and app.state.current is not None and app.state.current.number == "D012"
    client.events.put(("ticket_called", called("D013", 4, 42)))
    app.pump()
    assert len(announcer.announced) == 1


def test_a_message_that_overtook_the_one_before_it_waits_for_it_no_snapshot() -> None:
    app, client, announcer, mono = make_app()
    client.events.put(("queue_changed", {"service": "KTP", "waiting": 12, "seq": 42}))  # 41 still on its way
    app.pump()
    assert app.state.seq == 40 and client.snapshot_requests == 0
    mono.now += REORDER_WINDOW_SECS / 2
    client.events.put(("ticket_called", called("D012", 4, 41, waiting={"KTP": 13})))
    app.pump()
    mono.now += REORDER_WINDOW_SECS
    app.pump()
    assert app.state.seq == 42 and app.state.waiting["KTP"] == 12 and not app.state.need_snapshot
    assert client.snapshot_requests == 0 and len(announcer.announced) == 1

