"""Background jobs of a running server: the daily reset at local midnight (and once at start)."""

from __future__ import annotations

import logging

from flask_socketio import SocketIO

from .services import daily
from .services.context import Context

log = logging.getLogger(__name__)


def _daily_loop(socketio: SocketIO, ctx: Context) -> None:
    while True:
        try:
            expired = daily.close_day(ctx)
            if expired:
                log.info("daily reset: %d ticket(s) of earlier days expired", expired)
        except Exception:  # the loop must survive a database hiccup and try again next midnight
            log.exception("daily reset failed")
        socketio.sleep(daily.seconds_to_midnight(ctx.now()))


def start_jobs(socketio: SocketIO, ctx: Context) -> None:
    """Start the background jobs on the server's own runtime (eventlet, gevent or threads)."""
    socketio.start_background_task(_daily_loop, socketio, ctx)
