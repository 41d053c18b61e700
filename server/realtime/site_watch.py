"""Every process follows the site: after an administrator's change it swaps in the new site (the process that
committed it at once, the others within a second by polling the stored version) and only then tells its OWN screens
(`ignore_queue`), so no screen asks a process that does not know the change yet: kiosks get the new services,
TVs a new snapshot (loket names, tiles) and `site_changed` (to fetch the catalog again), counter pages
`site_changed` (to ask for their view and the services again)."""

from __future__ import annotations

import logging

from flask_socketio import SocketIO

from ..services import queries, site_store
from ..services.context import Context
from ..views.display import display_snapshot
from .emits import COUNTER, DISPLAY, KIOSK
from .failures import LoopFailures

log = logging.getLogger(__name__)
WATCH_INTERVAL_SECS = 1.0  # another process's change reaches this process's screens within this (+ one query)


class SiteWatch:
    def __init__(self, socketio: SocketIO, ctx: Context) -> None:
        self.sio, self.ctx = socketio, ctx
        self._started = False
        self._failures = LoopFailures(log, "site watch failed")

    def start(self) -> None:
        """Poll the stored site version in the background (once per process)."""
        if not self._started:
            self._started = True
            self.sio.start_background_task(self._loop)

    def _loop(self) -> None:
        while True:
            self.sio.sleep(WATCH_INTERVAL_SECS)
            try:
                if site_store.refresh(self.ctx):
                    self.announce()
                self._failures.worked()
            except Exception as exc:  # a database hiccup must not end the watch; the next round tries again
                self._failures.failed(exc)

    def announce(self) -> None:
        """Tell this process's screens that the site changed (the new site is already in `ctx`)."""
        ctx, local = self.ctx, {"ignore_queue": True}
        version = {"version": ctx.stored.version if ctx.stored else 0}
        self.sio.emit("services", queries.list_services(ctx), namespace=KIOSK, **local)
        self.sio.emit("site_changed", version, namespace=DISPLAY, **local)
        self.sio.emit("snapshot", display_snapshot(ctx), namespace=DISPLAY, **local)
        self.sio.emit("site_changed", version, namespace=COUNTER, **local)
