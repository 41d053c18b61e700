"""The display's frame loop: drains the client's event queue, advances the state, announces, redraws.

One thread (the caller's) owns pygame: socket threads only fill the queue. A frame is drawn at most every
1/30 s, and only the regions whose inputs changed are repainted.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import pygame

from display.render import Frame, Renderer
from display.settings import DisplaySettings
from display.state import DisplayState, apply, initial_state, spell_digits
from display.voice import compose_event
from hardware.audio import Announcer, AudioError

log = logging.getLogger(__name__)

MIN_FRAME_SECS = 1 / 30  # at most 30 frames per second
IDLE_FRAME_SECS = 0.25  # with nothing moving, still look at the clock and the page rotation this often
MAX_WAIT_SECS = 0.1  # the window's own events (close, Esc) are handled at least this often
RESYNC_RETRY_SECS = 5.0  # a snapshot asked for and not received by then is asked for again
# With several server processes a message may overtake an earlier one: a message past the next seq waits this long
# for the ones before it before the TV applies it (and, if they never came, asks for a snapshot). Issue 16: 5.
REORDER_WINDOW_SECS = 0.5
SEQ_MESSAGES = ("ticket_called", "counter_changed", "queue_changed", "tick")


class EventSource(Protocol):
    """What the app needs from a client: the queue of (name, payload) and a way to ask for a snapshot."""

    events: queue.Queue[tuple[str, Any]]

    def request_snapshot(self) -> bool: ...


class DisplayApp:
    """Holds the state and draws it on surface; `present` shows the changed rectangles (a window's update)."""

    def __init__(self, settings: DisplaySettings, client: EventSource, surface: pygame.Surface,
                 announcer: Announcer | None = None, *, present: Callable[[list[pygame.Rect]], None] | None = None,
                 clock: Callable[[], datetime] | None = None, mono: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.client = client
        self.surface = surface
        self.announcer = announcer if settings.voice else None
        self.state: DisplayState = initial_state(settings.agencies, settings.counters)
        self.renderer = Renderer(surface.get_size(), settings)
        self._present = present
        zone = ZoneInfo(settings.timezone)
        self._clock = clock or (lambda: datetime.now(zone))
        self._mono = mono
        self._asked_snapshot_at: float | None = None
        self.frames = 0
        self._held: list[tuple[str, dict[str, Any]]] = []  # messages that arrived ahead of an earlier one
        self._held_since: float | None = None
        self.last_frame = Frame([])

    # ------------------------------------------------------------------ events
    def handle(self, name: str, payload: Any) -> None:
        """Apply one message to the state (one that came early waits for those before it), announce a new call, ask
        for a snapshot after a gap."""
        if name == "priorities":  # labels for the screen, not queue state
            self.renderer.set_priorities(payload)
            return
        if self._early(name, payload):
            self._held.append((name, payload))
            if self._held_since is None:
                self._held_since = self._mono()
            return
        self._apply(name, payload)
        self._release_held()

    def _early(self, name: str, payload: Any) -> bool:
        if name not in SEQ_MESSAGES or not self.state.synced or not isinstance(payload, dict):
            return False
        seq = payload.get("seq")
        return isinstance(seq, int) and seq > self.state.seq + 1

    def _release_held(self, *, everything: bool = False) -> None:
        """Apply the held messages that are next now (all of them, in seq order, once the window is over)."""
        while self._held:
            self._held.sort(key=lambda m: m[1]["seq"])  # stable: one event's messages keep their order
            name, payload = self._held[0]
            if not everything and payload["seq"] > self.state.seq + 1:
                break
            self._held.pop(0)
            self._apply(name, payload)
        if not self._held:
            self._held_since = None

    def _apply(self, name: str, payload: Any) -> None:
        before = self.state
        try:
            self.state = apply(before, name, payload)
        except Exception:  # one malformed message must not freeze the TV
            log.exception("ignored a malformed %r message", name)
            return
        if name == "snapshot":
            self.renderer.set_ticker(self.state.ticker)
        if name in ("snapshot", "_disconnected"):
            self._asked_snapshot_at = None  # answered, or lost with the connection (the reconnect brings one)
        # A call the server delivers late (after a message-queue outage) is shown but not read out: it is over.
        if name == "ticket_called" and self.state.call_count > before.call_count \
                and not (isinstance(payload, dict) and payload.get("announce") is False):
            self._announce()
        self._resync_if_needed()

    def _announce(self) -> None:
        call = self.state.current
        if self.announcer is None or call is None:
            return
        event = {"number": call.number, "counter": call.counter, "counter_name": call.counter_name,
                 "recall": call.recall}
        try:
            self.announcer.announce(compose_event(event, spell_digits=spell_digits(self.state, call.service)))
        except (ValueError, AudioError) as exc:  # a number the voice cannot say is still shown
            log.warning("call %s not announced: %s", call.number, exc)

    def _resync_if_needed(self) -> None:
        if not self.state.need_snapshot or not self.state.connected:
            return
        now = self._mono()
        if self._asked_snapshot_at is not None and now - self._asked_snapshot_at < RESYNC_RETRY_SECS:
            return  # one request at a time; the flag stays set until it is answered or retried
        if self.client.request_snapshot():
            self._asked_snapshot_at = now
            self.state = apply(self.state, "_snapshot_requested")

    def pump(self, timeout: float = 0.0) -> int:
        """Wait up to timeout for a message, then handle every message queued; returns how many."""
        handled = 0
        try:
            item = self.client.events.get(timeout=timeout) if timeout > 0 else self.client.events.get_nowait()
            while True:
                self.handle(*item)
                handled += 1
                item = self.client.events.get_nowait()
        except queue.Empty:
            pass
        if self._held_since is not None and self._mono() - self._held_since >= REORDER_WINDOW_SECS:
            self._release_held(everything=True)  # what was missing did not come: the gap asks for a snapshot
        if not handled:
            self._resync_if_needed()  # a retry falls due even when nothing arrives
        return handled

    # ------------------------------------------------------------------ frames
    def render(self) -> Frame:
        """Draw what changed and show it."""
        frame = self.renderer.draw(self.surface, self.state, self._clock(), self._mono())
        self.frames += 1
        self.last_frame = frame
        if frame.dirty and self._present is not None:
            self._present(frame.dirty)
        return frame

    def run_until(self, done: Callable[[DisplayState], bool], timeout: float) -> bool:
        """Handle messages and draw until done(state) holds after a frame; False at the deadline."""
        deadline = self._mono() + timeout
        while True:
            self.pump(min(MAX_WAIT_SECS, max(0.0, deadline - self._mono())))
            self.render()
            if done(self.state):
                return True
            if self._mono() >= deadline:
                return False

    def run(self, stop: threading.Event, on_idle: Callable[[], None] | None = None) -> None:
        """The frame loop until stop is set: wake on a message or when the next frame is due."""
        last, next_tick, pending = -math.inf, 0.0, True
        while not stop.is_set():
            now = self._mono()
            due = max(last + MIN_FRAME_SECS, now) if pending else next_tick
            if now < due:
                pending = self.pump(min(due - now, MAX_WAIT_SECS)) > 0 or pending
                if on_idle is not None:
                    on_idle()  # the window's events
                continue
            self.render()
            last, pending = self._mono(), False
            next_tick = last + (MIN_FRAME_SECS if self.renderer.animating(last) else IDLE_FRAME_SECS)
