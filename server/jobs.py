"""Background jobs of a running server: the daily reset at local midnight (and once at start), and the erasure of
bookings' personal data past the retention period (at start and every few hours)."""

from __future__ import annotations

import logging

from flask_socketio import SocketIO

from .services import daily, retention
from .services.context import Context

log = logging.getLogger(__name__)
RETENTION_EVERY_SECS = 6 * 3600  # idempotent: every process may run it; a day's visits are erased within hours


def _daily_loop(socketio: SocketIO, ctx: Context) -> None:
    while True:
        try:
            expired = daily.close_day(ctx)
            if expired:
                log.info("daily reset: %d ticket(s) of earlier days expired", expired)
        except Exception:  # the loop must survive a database hiccup and try again next midnight
            log.exception("daily reset failed")
        socketio.sleep(daily.seconds_to_midnight(ctx.now()))


def _retention_loop(socketio: SocketIO, ctx: Context, retain_days: int) -> None:
    while True:
        try:
            retention.erase_expired_bookings(ctx, retain_days)  # logs and audits how many, when any
        except Exception:  # a database hiccup must not end the job: the next round tries again
            log.exception("data retention failed")
        socketio.sleep(RETENTION_EVERY_SECS)


def start_jobs(socketio: SocketIO, ctx: Context, retain_days: int = retention.DEFAULT_RETAIN_DAYS) -> None:
    """Start the background jobs on the server's own runtime (eventlet, gevent or threads)."""
    socketio.start_background_task(_daily_loop, socketio, ctx)
    socketio.start_background_task(_retention_loop, socketio, ctx, retain_days)
