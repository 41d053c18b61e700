"""Every committed event reaches every screen of every process once, in `seq` order — also across a message-queue
outage (issue 16: 3, 5).

A process's own events are delivered to its screens at once and sent to the other processes through Redis as one
message per batch (realtime/redis_batch.py); theirs come back the same way. Both go through a Sequencer, which
releases them in `seq` order. Each event is also logged with its commit (storage/event_log.py), so when an event is
missing — Redis down, or a later event has waited `GAP_SECS` for it — the process reads what it lacks from the log:
a call made while Redis is away reaches the other processes' TVs within `CATCH_UP_SECS` + a poll, not never.

A call delivered later than `announce_max_age` after it happened is shown but marked `"announce": false`, so a TV
does not read out a call that is long over."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Any

from flask_socketio import SocketIO

from ..domain.events import Event
from ..services import queries
from ..services.context import Context
from ..storage import event_log
from .board_emits import board_emits
from .emits import emits_for
from .failures import LoopFailures
from .redis_batch import BatchingRedisManager
from .sequencer import Item, Sequencer

log = logging.getLogger(__name__)
TICK_SECS = 0.1  # how often the watcher looks at the sequencer (no query)
POLL_SECS = 0.5  # how often it reads the site's seq
GAP_SECS = 0.25  # a later event waits this long for a missing one before the log is read
CATCH_UP_SECS = 1.0  # an event the site committed still not here this long after it was seen: read the log
HOLE_SECS = 1.0  # an event missing from the log this long is skipped (PostgreSQL logs just after the commit)
PRUNE_SECS = 300.0  # how often old log rows are deleted
# The log only bridges outages (a screen that was away longer gets a snapshot on its reconnect); each row holds an
# event's messages, with whole lines of standings, so a day of a busy site would be a hundred megabytes.
KEEP = timedelta(hours=1)


class Relay:
    def __init__(self, sio: SocketIO, ctx: Context, manager: BatchingRedisManager,
                 announce_max_age: float = 60.0) -> None:
        self.sio, self.ctx, self.manager = sio, ctx, manager
        self.announce_max_age = timedelta(seconds=announce_max_age)
        self._lock = threading.Lock()  # one delivery at a time, so screens get the events in order
        self._sequencer = Sequencer(queries.current_seq(ctx))
        self._described: dict[int, tuple[list[Any], str]] = {}  # seq → messages and their JSON, built at commit
        self.replayed = 0  # events this process delivered from the log (metrics, tests)
        event_log.keep(ctx.engine, self._describe)
        manager.on_events = self.received
        manager.site_key = site_key(ctx)
        self._listen_now(sio, manager)
        sio.start_background_task(self._watch)

    @staticmethod
    def _listen_now(sio: SocketIO, manager: BatchingRedisManager) -> None:
        """Hear the other processes from the start. python-socketio subscribes at the first socket that connects, so
        a process no screen had reached yet got none of their events through the queue and read every one from the
        log instead (measured with two processes issuing, no screen: a log read of ~100 events every 0.35 s)."""
        server = getattr(sio, "server", None)
        if server is not None and not server.manager_initialized:
            server.manager_initialized = True
            manager.initialize()

    @property
    def delivered(self) -> int:
        return self._sequencer.delivered

    # ------------------------------------------------------------------ in
    def _describe(self, event: Event) -> str:
        """An event's messages as logged and sent — [namespace, room, name, payload] each, the boards' too —
        encoded once as JSON for the log and the message queue (with a line's standings, each event's text is tens
        of kilobytes)."""
        site = self.ctx.site
        messages = [[e.namespace, e.room, e.name, e.payload]
                    for e in (*emits_for(site, self.ctx.public_url, event), *board_emits(site, event))]
        text = json.dumps(messages)
        self._described[event.seq] = (messages, text)
        return text

    def _described_now(self, event: Event) -> tuple[list[Any], str]:
        described = self._described.pop(event.seq, None)
        if described is None:
            self._describe(event)
            described = self._described.pop(event.seq)
        return described

    def publish(self, events: list[Event]) -> None:
        """This process committed `events`: to the other processes first, then to its own screens."""
        described = [self._described_now(e) for e in events]
        if events:  # built for a commit that failed, or taken by another process meanwhile
            for stale in [s for s in self._described if s < events[0].seq]:
                self._described.pop(stale, None)
        items = [(e.seq, messages) for e, (messages, _) in zip(events, described, strict=True)]
        self.manager.publish_events(items, encoded=[text for _, text in described])
        self._offer(items)

    def received(self, items: list[Item]) -> None:
        """Another process's events, from Redis."""
        self._offer(items)

    def _offer(self, items: list[Item]) -> None:
        with self._lock:
            self._deliver(self._sequencer.offer(items, time.monotonic()))

    # ------------------------------------------------------------------ out
    def _deliver(self, items: list[Item]) -> None:
        old = self._announce_before()
        for _seq, messages in items:
            for namespace, room, name, payload in messages:
                if name == "ticket_called" and (at := _at(payload)) is not None and at < old:
                    payload = payload | {"announce": False}  # shown, not read out: it is long over
                self.sio.emit(name, payload, namespace=namespace, to=room, ignore_queue=True)

    def _announce_before(self) -> datetime:
        return self.ctx.now() - self.announce_max_age

    # ------------------------------------------------------------------ catching up
    def _watch(self) -> None:
        failures = LoopFailures(log, "relay watch failed")
        polled = pruned = 0.0
        while True:
            self.sio.sleep(TICK_SECS)
            now = time.monotonic()
            try:
                if self._sequencer.stalled(now, GAP_SECS):
                    self.catch_up()
                if now - polled >= POLL_SECS:
                    polled = now
                    if self._sequencer.behind(queries.current_seq(self.ctx), now, CATCH_UP_SECS):
                        self.catch_up()
                if now - pruned >= PRUNE_SECS:
                    pruned = now
                    self._prune()
                failures.worked()
            except Exception as exc:  # a database hiccup must not end the watch; the next round tries again
                failures.failed(exc)

    def catch_up(self) -> int:
        """Deliver, in order, every logged event this process's screens have not had; how many."""
        with self._lock:
            upto = queries.current_seq(self.ctx)  # read first: every event up to it is in the log read next
            with self.ctx.engine.connect() as conn:
                items = event_log.since(conn, self.delivered, upto=upto, known=self._sequencer.held())
            before = self.delivered
            ready = self._sequencer.fill(items, upto, time.monotonic(), settle=HOLE_SECS)
            self._deliver(ready)
        if ready:
            self.replayed += len(ready)
            log.info("relay: %d event(s) after seq %d delivered from the log", len(ready), before)
        return len(ready)

    def _prune(self) -> None:
        with self.ctx.engine.begin() as conn:
            gone = event_log.prune(conn, self.ctx.now() - KEEP)
        if gone:
            log.info("event log: %d event(s) older than %s deleted", gone, KEEP)


def site_key(ctx: Context) -> str:
    """The same for every process of one site (they share its database), different for another site."""
    url = ctx.engine.url.render_as_string(hide_password=True)
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def _at(payload: dict[str, Any]) -> datetime | None:
    try:
        at = datetime.fromisoformat(str(payload.get("at")))
    except ValueError:
        return None
    return at if at.tzinfo is not None else None
