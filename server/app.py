"""The application factory: database, service context, REST blueprints, Socket.IO hub, rate limits."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask, jsonify
from flask_socketio import SocketIO
from werkzeug.middleware.proxy_fix import ProxyFix

from . import http_guard, metrics, rate_limits, security_headers, session_cookie
from .api import admin_accounts, auth, booking, counters, devices, openapi, priorities, site_admin, tickets
from .api import reports as reports_api
from .api import survey as survey_api
from .api.errors import register_error_handlers
from .config import AppConfig, load_secret
from .ops_config import load_ops
from .realtime.board import Board
from .realtime.heartbeat import DeviceMonitor
from .realtime.hub import Hub
from .realtime.redis_batch import BatchingRedisManager
from .realtime.safe_packet import SafePacket
from .realtime.survey import SurveyNamespace
from .services import devices_health, site_store
from .services.context import Context, system_clock
from .services.reports_activity import CounterLog
from .services.writer import GroupCommit, group_commit_applies
from .storage.database import make_engine, migrate
from .web import register as register_pages

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"
MAX_BODY_BYTES = 64 * 1024
MAX_SYNC_CACHE = 1024  # hooks and views: a few dozen; a caller passing new callables each time cannot grow it


class AntreFlask(Flask):
    """Flask, remembering which hooks and views are plain functions: Flask's `ensure_sync` (its documented override
    point) asks `inspect` again for the ~9 hooks and the view of every request (issue 11)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            return self._sync[func]
        except KeyError:
            sync = super().ensure_sync(func)
            if len(self._sync) < MAX_SYNC_CACHE:
                self._sync[func] = sync
            return sync
        except TypeError:  # an unhashable callable
            return super().ensure_sync(func)


def create_app(config: AppConfig, clock: Callable[[], datetime] = system_clock) -> tuple[Flask, SocketIO]:
    """Build the Flask app and its SocketIO server for `config` (migrating the database once the config is checked)."""
    engine = make_engine(config.database_url)
    secret = load_secret(config)
    ops = load_ops(config.raw)  # device health, metrics and logs (issue 16)
    ctx = Context(site=config.site, engine=engine, clock=clock, public_url=config.server.public_url,
                  secret=secret, token_hours=config.server.token_hours, booking=config.booking)

    if group_commit_applies(ctx, config.raw.get("storage", {})):
        ctx.writer = GroupCommit(ctx)  # concurrent requests share one transaction and one fsync (issue 11)

    app = AntreFlask(__name__, static_folder="web/static", static_url_path="/static")
    app.config.update(SECRET_KEY=secret, MAX_CONTENT_LENGTH=MAX_BODY_BYTES)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    session_cookie.register(app)  # the cookie signer built once, not on every request (issue 11)
    app.extensions["antre"] = ctx
    app.extensions["antre_config"] = config

    limiter = rate_limits.make_limiter(app, config.realtime.message_queue)  # Redis when the site runs on Redis
    for bp in (tickets.bp, devices.bp, auth.bp, counters.bp, openapi.bp, booking.bp, priorities.bp,
               admin_accounts.bp, site_admin.bp, survey_api.bp):
        app.register_blueprint(bp, url_prefix=API_PREFIX)
    app.register_blueprint(reports_api.bp, url_prefix=API_PREFIX)  # issue 13: summary, CSV, XLSX
    ctx.listeners.append(CounterLog(ctx))  # issue 13: when counters open and pause, for the clerks' idle share
    booking.setup(app, limiter, config.booking.rate_limit)  # the citizen's booking rate limit
    register_pages(app)
    session_cookie.remember_only_with_a_session(app)  # Flask-Login's hook, set up by the pages
    rate_limits.limit_logins(app, limiter, config.server.login_rate_limit)  # API, counter and console logins
    rate_limits.check_only_where_limited(app, limiter)  # not on every counter or ticket request (issue 11)
    register_error_handlers(app)
    http_guard.register(app)  # depth, size and text checks before any view parses input (issue 17)
    security_headers.register(app)  # CSP, nosniff, no-store, Secure cookies over HTTPS (issue 17)
    migrate(engine)  # after every config check above, so a bad config never touches the database
    site_store.load_site(ctx, config.raw)  # the stored site wins over config.toml after the first start

    @app.get("/health")
    def health() -> object:
        return jsonify({"status": "ok"})

    queue = config.realtime.message_queue or None
    extra: dict[str, Any] = {}
    if queue and queue.startswith(("redis://", "rediss://")):
        manager = BatchingRedisManager(queue)  # a batch's messages to the other processes in one round trip
        extra["client_manager"], ctx.around_publish = manager, manager.batched
    socketio = SocketIO(app, async_mode=config.server.async_mode, message_queue=queue,
                        cors_allowed_origins="*", logger=False, engineio_logger=False,
                        serializer=SafePacket, **extra)  # deep or bad-text payloads never reach a handler
    hub = Hub(socketio, ctx, public_display=config.realtime.public_display,
              announce_max_age=config.realtime.announce_max_age_secs)
    SurveyNamespace(socketio, ctx, hub.sessions)  # survey tablets hear their counter's finishes
    Board(socketio, ctx, hub.sessions, relayed=hub.relay is not None)  # the live supervision board at /board
    devices_health.configure(ops.offline_after)
    app.extensions["antre_devices"] = DeviceMonitor(socketio, ctx, ops)  # heartbeats in, alerts out
    metrics.setup(app, socketio, ctx)
    app.jinja_env.globals["retain_days"] = ops.retain_days  # the booking form says when data is erased
    if ops.proxies:  # behind nginx: rate limits and device addresses see the client, not the proxy
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=ops.proxies, x_proto=ops.proxies)  # type: ignore[method-assign]
    return app, socketio
