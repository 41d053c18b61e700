"""`GET /metrics` in the Prometheus text format, and log lines that never carry personal data.

Counted without touching a use case: tickets issued and called per service (a Context listener sees every committed
event), HTTP latency per endpoint (Flask request hooks), event fan-out time (the time the listeners after ours
take: the hub's emits), database transaction time (SQLAlchemy's begin/commit events). Read at scrape time: the
sockets connected to each namespace (this process) and the devices online (the database, so every process agrees).
Each app has its own registry, so several apps in one test process do not share counts.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, g, request
from flask_socketio import SocketIO
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import event

from .domain.events import Event, TicketCalled, TicketIssued
from .services import devices_health
from .services.context import Context

log = logging.getLogger(__name__)
NAMESPACES = ("/display", "/kiosk", "/counter", "/ticket", "/survey")
FAST_BUCKETS = (.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0)


class _Live(Collector):
    """Gauges read when Prometheus scrapes: sockets per namespace, devices online and with a printer problem."""

    def __init__(self, socketio: SocketIO, ctx: Context) -> None:
        self.sio, self.ctx = socketio, ctx

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        clients = GaugeMetricFamily("antre_connected_clients", "Sockets connected to this process, per namespace",
                                    labels=["namespace"])
        rooms = self.sio.server.manager.rooms if self.sio.server else {}
        for namespace in NAMESPACES:
            clients.add_metric([namespace], len(rooms.get(namespace, {}).get(None, ()) or ()))
        yield clients
        writer = self.ctx.writer
        if writer is not None:  # mean batch size = requests / batches (issue 11: how much commits are shared)
            batches = CounterMetricFamily("antre_group_commit_batches", "Transactions the group-commit writer ran")
            batches.add_metric([], getattr(writer, "batches", 0))
            jobs = CounterMetricFamily("antre_group_commit_requests", "Use cases committed by the writer")
            jobs.add_metric([], getattr(writer, "jobs_done", 0))
            yield from (batches, jobs)
        try:
            found = devices_health.health(self.ctx)
        except Exception:  # a scrape must answer even when the database does not
            log.exception("devices not counted")
            return
        online = GaugeMetricFamily("antre_devices_online", "Active devices heard from recently, per kind",
                                   labels=["kind"])
        total = GaugeMetricFamily("antre_devices", "Active devices, per kind", labels=["kind"])
        alerts = GaugeMetricFamily("antre_device_alerts", "Open device alerts, per problem", labels=["problem"])
        for kind in sorted({d.kind for d in found} | {"kiosk", "display"}):
            online.add_metric([kind], sum(1 for d in found if d.kind == kind and d.online))
            total.add_metric([kind], sum(1 for d in found if d.kind == kind))
        open_alerts = devices_health.alerts_of(found)
        for problem in devices_health.PROBLEM_TEXT:
            alerts.add_metric([problem], sum(1 for a in open_alerts if a.problem == problem))
        yield from (online, total, alerts)


class Metrics:
    """The registry of one app and the hooks that feed it."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.issued = Counter("antre_tickets_issued", "Tickets issued, per service", ["service"], registry=r)
        self.called = Counter("antre_tickets_called", "Tickets called (recalls apart), per service", ["service"],
                              registry=r)
        self.recalled = Counter("antre_tickets_recalled", "Tickets recalled, per service", ["service"], registry=r)
        self.http = Histogram("antre_http_request_duration_seconds", "HTTP request latency, per endpoint",
                              ["method", "endpoint", "status"], buckets=FAST_BUCKETS, registry=r)
        self.fanout = Histogram("antre_event_fanout_seconds", "Time to hand one commit's events to every screen",
                                buckets=FAST_BUCKETS, registry=r)
        self.transaction = Histogram("antre_db_transaction_seconds", "Database transaction time (begin to end)",
                                     buckets=FAST_BUCKETS, registry=r)
        self._local = threading.local()  # green-thread local under eventlet/gevent (patched first)
        self._http_series: dict[tuple[str, str, int], Any] = {}  # labels() validates and locks on every call

    # ------------------------------------------------------------------ events
    def count(self, events: list[Event]) -> None:
        for e in events:
            if isinstance(e, TicketIssued):
                self.issued.labels(e.service).inc()
            elif isinstance(e, TicketCalled):
                (self.recalled if e.recall else self.called).labels(e.service).inc()

    def fanout_started(self, _events: list[Event]) -> None:
        self._local.fanout = time.perf_counter()

    def fanout_done(self, _events: list[Event]) -> None:
        started = getattr(self._local, "fanout", None)
        if started is not None:
            self.fanout.observe(time.perf_counter() - started)
            self._local.fanout = None

    # ------------------------------------------------------------------ HTTP
    # Each attribute read through Flask's `g` or `request` proxy first fails as an AttributeError inside the proxy:
    # these hooks look each object up once (issue 11).
    def request_started(self) -> None:
        g._get_current_object().metrics_started = time.perf_counter()  # type: ignore[attr-defined]

    def request_done(self, response: Response) -> Response:
        started = g._get_current_object().pop("metrics_started", None)  # type: ignore[attr-defined]
        if started is not None:
            req = request._get_current_object()  # type: ignore[attr-defined]
            # The route's pattern (/api/v1/tickets/<token>), never the path: a token or code is no label.
            rule = req.url_rule.rule if req.url_rule is not None else "unmatched"
            key = (req.method, rule, response.status_code)
            series = self._http_series.get(key)
            if series is None:
                series = self._http_series[key] = self.http.labels(key[0], rule, str(key[2]))
            series.observe(time.perf_counter() - started)
        return response


def _watch_transactions(metrics: Metrics, engine: Any) -> None:
    def begin(conn: Any) -> None:
        conn.info["metrics_tx"] = time.perf_counter()

    def end(conn: Any) -> None:
        started = conn.info.pop("metrics_tx", None)
        if started is not None:
            metrics.transaction.observe(time.perf_counter() - started)

    event.listen(engine, "begin", begin)
    event.listen(engine, "commit", end)
    event.listen(engine, "rollback", end)


def setup(app: Flask, socketio: SocketIO, ctx: Context) -> Metrics:
    """Count into a new registry and serve it at `GET /metrics` (call after the hub subscribed to `ctx`)."""
    metrics = Metrics()
    # The fan-out clock starts before the listeners already there (the hub) and stops after them.
    ctx.listeners.insert(0, metrics.fanout_started)
    ctx.listeners.append(metrics.count)
    ctx.listeners.append(metrics.fanout_done)
    metrics.registry.register(_Live(socketio, ctx))
    app.before_request(metrics.request_started)
    app.after_request(metrics.request_done)
    _watch_transactions(metrics, ctx.engine)
    app.extensions["antre_metrics"] = metrics

    @app.get("/metrics")
    def prometheus() -> Response:
        return Response(generate_latest(metrics.registry), mimetype=CONTENT_TYPE_LATEST.split(";")[0],
                        headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"})

    return metrics


# ---------------------------------------------------------------------------------------------- logs
NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
PHONE = re.compile(r"(?<![\w+])(?:\+62|62|0)[\s.-]?8\d(?:[\s.-]?\d){6,11}(?!\d)")


def redact(text: str) -> str:
    """A NIK (16 digits) or an Indonesian mobile number in `text` replaced by a placeholder."""
    return PHONE.sub("[telepon]", NIK.sub("[NIK]", text))


class RedactFilter(logging.Filter):
    """The last line of defence: whatever a module logs, a NIK or phone number never reaches the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            # The formatter prints exc_text when it is set: a traceback's messages are redacted too.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the exception, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                                 "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(log_format: str) -> None:
    """Put the redaction filter (and the JSON format when asked) on every handler of the root logger."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactFilter())
        if log_format == "json":
            handler.setFormatter(JsonFormatter())
