"""`python -m server run --demo` (issue 18): the sample site opened now, whatever the hour, with simulated visitors
and clerks, so a newcomer, a trainer or a head of office sees a living MPP on the TV, the kiosk, the counter page,
the board and the status page at any hour.

The demo runs on its own copy of the config (every service open all day, every day, no breaks or holidays, no
quota) and its own SQLite file, `var/demo.db` beside the config, wiped at every start: the real database is never
opened. The simulation is a background task of the server process (`socketio.start_background_task` and
`socketio.sleep`, so it runs on eventlet, gevent or threads alike) and acts only through the use cases, as a
kiosk and the clerks would: walk-ins arrive per service as a Poisson process at a rate the counters can mostly
absorb (the issue-13 history generator's planning pieces: service minutes, capacity, priorities, clerk
principals), some booked visitors check in, clerks open their counter, call, start, serve for a random time
around their service's minutes, finish, now and then skip (and later recall) a visitor who did not come, and
take a break. `--demo-speed X` plays it X times faster (tests, trainings), and the server's clock with it
(`DemoClock`): a wait, a service time or an estimate reads in the hall's minutes, not the few wall seconds that
X times faster took (at 30x every wait read "0 mnt" and every service "0.1 mnt").
"""

from __future__ import annotations

import copy
import heapq
import logging
import random
import time as timer
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask_socketio import SocketIO

from .config import AppConfig, config_from_dict
from .domain.accounts import Principal
from .domain.booking import checkin_window
from .domain.errors import DomainError
from .domain.site import WEEKDAYS, Service
from .services import admin_accounts, booking, counters, demo_data, tickets
from .services.context import Context

log = logging.getLogger(__name__)
DEMO_DB = Path("var") / "demo.db"  # beside the config file
DEMO_ADMIN = Principal("system", "demo", "admin")  # who the audit log names for the demo's kiosk
START_LINE = "Mode demo: data di {path} dihapus setiap mulai (kecepatan {speed:g}x)."

# Walk-ins follow the hourly profile of the history generator: its busiest hour brings PEAK_LOAD of what the open
# counters can serve (the rush builds a queue once clerks take breaks), the lunch dip a third of that. Outside the
# profile's hours (the night) the demo plays a mid-morning, so the hall looks alive at any hour.
PEAK_LOAD = 0.75
NIGHT_HOUR = 10
PEAK_WEIGHT = max(demo_data.HOUR_WEIGHTS.values())
BACKLOG_MINUTES = 12.0  # the queue already standing when the demo opens: this many minutes of arrivals
BOOKED_SHARE = 0.15  # of a session's quota, booked "earlier" and checking in during the session
CHECKIN_WITHIN_MINUTES = 45.0
WORK_MINUTES = (60.0, 150.0)  # a clerk works this long between breaks
BREAK_MINUTES = (8.0, 20.0)
CALL_TO_COUNTER_SECS = (15.0, 90.0)  # from the call until the visitor stands at the loket (or is skipped)
BETWEEN_VISITORS_SECS = (5.0, 40.0)
RETRY_SECS = 30.0  # after a refused action the clerk tries again this much later
MAX_SLEEP_SECS = 1.0  # the loop wakes at least this often


def demo_config(config: AppConfig, speed: float) -> AppConfig:
    """The demo's own copy of `config`: every service open all day every day, no breaks, holidays, quotas or
    cut-off, one process, and the database `var/demo.db` beside the config, whose files are deleted here."""
    if not speed > 0:
        raise DomainError("bad_demo_speed", "--demo-speed harus lebih besar dari 0.")
    raw = copy.deepcopy(config.raw)
    for svc in raw.get("service", []):
        svc.update(open="00:00", close="24:00", days=list(WEEKDAYS), daily_quota=0)
        svc.pop("cutoff_minutes", None)
    raw["break"], raw["holiday"] = [], []
    raw.setdefault("queue", {})["ticket_cutoff_minutes"] = 0
    raw.setdefault("realtime", {})["message_queue"] = ""  # the demo is one process: no Redis to share
    db = ((config.path.parent if config.path else Path.cwd()) / DEMO_DB).resolve()
    url = f"sqlite:///{db}"
    if config.database_url == url:
        raise DomainError("demo_on_real_database", f"{DEMO_DB} adalah basis data situs ini; mode demo tidak dipakai.")
    raw.setdefault("storage", {})["url"] = url
    for path in (db, *(db.with_name(db.name + tail) for tail in ("-wal", "-shm", "-journal"))):
        path.unlink(missing_ok=True)
    demo = config_from_dict(raw, config.path)
    # ANTRE_DATABASE_URL and ANTRE_MESSAGE_QUEUE name the real site's database and Redis: the demo must not write
    # there, nor send its calls to the real site's screens
    return replace(demo, database_url=url, realtime=replace(demo.realtime, message_queue=""))


class DemoClock:
    """The demo's "now": the wall clock from the demo's start, running `rate` times faster. Pages whose own
    timers tick between two updates (counter, board) read `rate` and tick as fast (`clock_rate`)."""

    def __init__(self, base: Callable[[], datetime], rate: float) -> None:
        self.base, self.rate = base, rate
        self.started = base()

    def __call__(self) -> datetime:
        return self.started + (self.base() - self.started) * self.rate


def clock_rate(ctx: Context) -> float:
    """How many seconds of the site's clock pass per wall second: 1, or the demo's speed."""
    return float(getattr(ctx.clock, "rate", 1.0))


def start(socketio: SocketIO, ctx: Context, speed: float, seed: int | None = None) -> LiveDemo:
    """Announce the demo in one line, run the server's clock at the demo's speed, register a kiosk for it (the
    fresh database has none) and start the simulation as a background task of the server."""
    if speed != 1:
        ctx.clock = DemoClock(ctx.clock, speed)
        ctx.token_hours *= speed  # a clerk's sign-in still lasts its hours of wall time
    print(START_LINE.format(path=str(ctx.engine.url.database), speed=speed), flush=True)
    _, token = admin_accounts.create_device(ctx, DEMO_ADMIN, "kiosk-demo", "kiosk")
    print(f"Kiosk demo: python -m kiosk --token={token}", flush=True)
    demo = LiveDemo(socketio, ctx, speed, random.Random(seed))
    socketio.start_background_task(demo.run)
    return demo


class LiveDemo:
    """Visitors and clerks of the whole site, in real time (divided by `speed`)."""

    def __init__(self, socketio: SocketIO, ctx: Context, speed: float, rng: random.Random) -> None:
        self.sio, self.ctx, self.speed, self.rng = socketio, ctx, speed, rng
        self.events: list[tuple[float, int, str, Any]] = []  # (monotonic due time, order, kind, payload)
        self.order = 0
        self.idle: set[str] = set()  # counters waiting for a visitor: the next arrival for them wakes them
        self.busy: set[str] = set()  # counters with a visitor called or at the loket
        self.skipped: dict[str, list[str]] = {}  # counter → skipped numbers it may recall
        self.break_due: dict[str, float] = {}
        self.day: date | None = None
        self.handlers = {"arrive": self.arrive, "check_in": self.check_in, "resume": self.resume,
                         "free": self.free, "serve": self.serve, "done": self.done}

    # ------------------------------------------------------------------ the loop
    def later(self, seconds: float, kind: str, payload: Any = None) -> None:
        """Plan `kind` after `seconds` of demo time."""
        self.order += 1
        heapq.heappush(self.events, (timer.monotonic() + seconds / self.speed, self.order, kind, payload))

    def run(self) -> None:
        try:
            self.open_hall()
        except Exception:  # a failed start leaves a server without the demo, never a dead server
            log.exception("demo: start failed")
        while True:
            wait = self.events[0][0] - timer.monotonic() if self.events else MAX_SLEEP_SECS
            if wait > 0:
                self.sio.sleep(min(wait, MAX_SLEEP_SECS))
                continue
            _, _, kind, payload = heapq.heappop(self.events)
            try:
                self.handlers[kind](payload)
            except DomainError as exc:  # the rules refused (e.g. a ticket expired at midnight): go on
                log.debug("demo: %s refused: %s", kind, exc.message)
                self.recover(kind, payload)
            except Exception:  # a database hiccup must not end the demo
                log.exception("demo: %s failed", kind)
                self.recover(kind, payload)
            self.sio.sleep(0)  # let the server answer its screens between two actions

    def recover(self, kind: str, payload: Any) -> None:
        """Never leave a clerk stuck: after a refused action the counter's next call goes on."""
        code = payload[0] if isinstance(payload, tuple) else payload
        if kind in ("resume", "free", "serve", "done") and code in self.ctx.site.counters:
            self.busy.discard(code)
            self.later(RETRY_SECS, "free", code)

    def open_hall(self) -> None:
        """The morning: a queue already stands, clerks open their counters within half a minute, walk-ins keep
        coming and booked visitors of the current sessions are on their way."""
        self.new_day()
        for svc in self.ctx.site.services.values():
            for _ in range(_poisson(self.rng, self.per_minute(svc) * BACKLOG_MINUTES)):
                self.issue(svc.code)
            self.next_arrival(svc)
        for code in self.ctx.site.counters:
            self.later(self.rng.uniform(1, 30), "resume", code)

    # ------------------------------------------------------------------ visitors
    def per_minute(self, svc: Service) -> float:
        """Walk-ins of `svc` per minute now: what its counters can serve times the load of this hour."""
        hour = self.ctx.now().astimezone(self.ctx.site.timezone).hour
        load = PEAK_LOAD * demo_data.HOUR_WEIGHTS.get(hour, demo_data.HOUR_WEIGHTS[NIGHT_HOUR]) / PEAK_WEIGHT
        return demo_data.hourly_capacity(self.ctx.site, self.ctx.site.services, svc.code) * load / 60

    def next_arrival(self, svc: Service) -> None:
        rate = self.per_minute(svc)
        if rate > 0:  # a service no counter serves gets no visitors
            self.later(self.rng.expovariate(rate) * 60, "arrive", svc.code)

    def arrive(self, code: str) -> None:
        self.next_arrival(self.ctx.site.services[code])  # first: a refused ticket must not stop the arrivals
        if self.today() != self.day:
            self.new_day()
        self.issue(code)

    def issue(self, code: str) -> None:
        info, _ = tickets.issue_ticket(self.ctx, code, demo_data.pick_priority(self.rng))
        self.wake(info.ticket.service)

    def check_in(self, booking_code: str) -> None:
        _, info, _ = booking.check_in(self.ctx, booking_code, demo_data.KIOSK)
        self.wake(info.ticket.service)

    def wake(self, service: str) -> None:
        """Idle clerks of `service` notice the new visitor and call."""
        for counter in self.ctx.site.counters_serving(service):
            if counter.code in self.idle:
                self.idle.discard(counter.code)
                self.later(self.rng.uniform(*BETWEEN_VISITORS_SECS), "free", counter.code)

    def today(self) -> date:
        return self.ctx.now().astimezone(self.ctx.site.timezone).date()

    def new_day(self) -> None:
        """A new local day (the start, or midnight passed): yesterday's skipped tickets are gone, and some
        citizens booked the sessions whose Lapor Hadir is open now."""
        self.day = self.today()
        self.skipped.clear()
        cfg, now = self.ctx.booking, self.ctx.now()
        for svc in self.ctx.site.services.values():
            if not cfg.bookable(svc.code):
                continue
            for session in booking.sessions_on(self.ctx.site, cfg.sessions[svc.code], self.day):
                opens, closes = checkin_window(session, self.day, self.ctx.site.timezone, cfg.rules)
                if opens <= now < min(closes, session.ends(self.day, self.ctx.site.timezone)):
                    for _ in range(round(session.quota * BOOKED_SHARE * self.rng.uniform(0.5, 1.5))):
                        self.book(svc, session, closes)

    def book(self, svc: Service, session: Any, closes: datetime) -> None:
        try:
            made = booking.book(self.ctx, demo_data.booking_request(self.rng, svc, self.day, session)).booking
        except DomainError:  # e.g. a NIK drawn twice: that citizen simply did not book
            return
        if self.rng.random() >= demo_data.NO_SHOW_SHARE:
            left = (closes - self.ctx.now()).total_seconds()
            self.later(self.rng.uniform(0.02, 1) * min(left, CHECKIN_WITHIN_MINUTES * 60), "check_in", made.code)

    # ------------------------------------------------------------------ clerks
    def resume(self, code: str) -> None:
        """Buka: the clerk opens the counter (at the start, after a break) and calls the first visitor."""
        counters.set_counter_status(self.ctx, demo_data.clerk(code), code, "open")
        self.break_due[code] = timer.monotonic() + self.rng.uniform(*WORK_MINUTES) * 60 / self.speed
        self.free(code)

    def free(self, code: str) -> None:
        """The clerk is free: a break when it is time, else recall a skipped visitor now and then, else call."""
        if code in self.busy:
            return
        actor = demo_data.clerk(code)
        if timer.monotonic() >= self.break_due.get(code, float("inf")):
            self.idle.discard(code)
            counters.set_counter_status(self.ctx, actor, code, "paused")
            self.later(self.rng.uniform(*BREAK_MINUTES) * 60, "resume", code)
            return
        info = demo_data.next_call(self.ctx, self.rng, actor, code, self.skipped)
        if info is None:
            self.idle.add(code)
            return
        self.idle.discard(code)
        self.busy.add(code)
        self.later(self.rng.uniform(*CALL_TO_COUNTER_SECS), "serve", (code, info.ticket))

    def serve(self, payload: tuple[str, Any]) -> None:
        code, ticket = payload
        actor = demo_data.clerk(code)
        if self.rng.random() < demo_data.SKIP_SHARE:  # nobody came
            counters.skip(self.ctx, actor, code)
            if self.rng.random() < demo_data.RECALL_SHARE:
                self.skipped.setdefault(code, []).append(ticket.number)
            self.busy.discard(code)
            self.later(5, "free", code)
            return
        counters.start(self.ctx, actor, code)
        minutes = demo_data.service_time(self.rng, self.ctx.site.services[ticket.service])
        self.later(minutes * 60, "done", (code, ticket))

    def done(self, payload: tuple[str, Any]) -> None:
        code, _ticket = payload
        counters.finish(self.ctx, demo_data.clerk(code), code)
        self.busy.discard(code)
        self.later(self.rng.uniform(*BETWEEN_VISITORS_SECS), "free", code)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count by counting exponential gaps (the means here are small)."""
    count, total = 0, rng.expovariate(1.0)
    while total < mean:
        count += 1
        total += rng.expovariate(1.0)
    return count
