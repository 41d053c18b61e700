"""Watchers benchmark (issue 10): 200 TVs + N status pages + 20 counter pages on one process; what a call costs
the server (CPU per call) and how fast it reaches the called ticket's page and every TV, for N = 10 and 1,000."""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import socketio

from support import ServerProcess, site_config

from .stats import ms, percentile

ROOT = Path(__file__).resolve().parent.parent
TVS, COUNTER_PAGES, STATUS_PAGES = 200, 20, (10, 1000)
CALLS, WARMUP_CALLS, PACE_SECS, IDLE_SECS = 30, 8, 0.3, 5.0
CONNECT_BATCH = 50
# One-service counters, called round-robin: which ticket each call takes is known in advance (FIFO per service).
CALL_COUNTERS = {"L02": "NIB", "L05": "KTP", "L07": "PBI", "L08": "BPJS", "L10": "PASPOR", "L12": "SIM",
                 "L13": "PKB", "L14": "SKHPN"}
TICKETS_PER_SERVICE = 140  # 1,120 tickets: enough waiting ones for 1,000 status pages after both runs
ALL_COUNTERS = [f"L{i:02d}" for i in range(1, 15)]
REFRESH_DEBOUNCE_SECS = 0.025  # counter/static/work.js REFRESH_DEBOUNCE_MS
CLK_TCK = os.sysconf("SC_CLK_TCK")


def status_page_refresh_triggers(js: str | None = None) -> set[str]:
    """The events on which today's status page (booking/status.js) asks the server for its ticket again
    (`socket.emit("refresh", ...)` inside the handler): the bench's status pages do exactly the same."""
    js = js if js is not None else (ROOT / "server/web/static/booking/status.js").read_text()
    found = set(re.findall(r'socket\.on\("(\w+)",\s*function\s*\([^)]*\)\s*\{[^}]*socket\.emit\("refresh"', js))
    if not found and 'emit("refresh"' in js:
        raise RuntimeError("status.js emits refresh in a way this bench cannot read: update the emulation")
    return found


def counter_page_refetches(js: str | None = None) -> bool:
    """Whether the counter page (counter/static/work.js) answers every message but `counter_state` with one
    debounced `GET /counters/<code>` (before issue 10) or applies messages itself (no request)."""
    js = js if js is not None else (ROOT / "counter/static/work.js").read_text()
    return "onAny" in js and "scheduleRefresh()" in js


def _cpu_secs(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def _own_cpu_secs() -> float:
    t = os.times()
    return t.user + t.system


@dataclass
class Crowd:
    """Every socket of the benchmark, with what arrived and what is still in flight."""

    url: str
    clerk: str
    triggers: set[str]
    counter_gets: bool
    answered: bool = True  # whether the server still answers the status page's `refresh`
    clients: list[socketio.AsyncClient] = field(default_factory=list)
    tv_arrivals: dict[str, list[float]] = field(default_factory=dict)
    called_seen: dict[str, float] = field(default_factory=dict)
    pending: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"tv": 0, "status": 0, "refresh": 0, "counter": 0,
                                                              "counter_get": 0})
    http: aiohttp.ClientSession | None = None

    def tv(self) -> socketio.AsyncClient:
        client = socketio.AsyncClient(reconnection=False)

        @client.on("*", namespace="/display")
        async def _any(name: str, data: Any = None) -> None:
            self.counts["tv"] += 1
            if name == "ticket_called":
                self.tv_arrivals.setdefault(data["number"], []).append(time.perf_counter())

        return client

    def status_page(self, token: str) -> socketio.AsyncClient:
        client = socketio.AsyncClient(reconnection=False)

        def render(t: Any = None) -> None:
            if isinstance(t, dict) and t.get("status") == "called":
                self.called_seen.setdefault(token, time.perf_counter())

        async def answered(t: Any = None) -> None:
            self.pending -= 1
            render(t)

        @client.on("*", namespace="/ticket")
        async def _any(name: str, data: Any = None) -> None:
            self.counts["status"] += 1
            if name == "ticket_status":
                render(data)
            if name in self.triggers:
                self.counts["refresh"] += 1
                if not self.answered:  # the page still asks, the server no longer answers: nothing to wait for
                    await client.emit("refresh", {"token": token}, namespace="/ticket")
                    return
                self.pending += 1
                await client.emit("refresh", {"token": token}, namespace="/ticket", callback=answered)

        return client

    def counter_page(self, code: str) -> socketio.AsyncClient:
        client = socketio.AsyncClient(reconnection=False)
        timer: list[asyncio.TimerHandle] = []
        fetching: list[asyncio.Task[None]] = []
        again = [False]

        async def fetch() -> None:
            assert self.http is not None
            while True:
                again[0] = False
                self.counts["counter_get"] += 1
                async with self.http.get(f"{self.url}/api/v1/counters/{code}",
                                         headers={"Authorization": f"Bearer {self.clerk}"}) as r:
                    await r.read()
                if not again[0]:
                    break
            self.pending -= 1

        def refresh() -> None:  # coalesce like work.js: one fetch at a time, at most one more after it
            if fetching and not fetching[0].done():
                again[0] = True
                return
            self.pending += 1
            fetching[:] = [asyncio.ensure_future(fetch())]

        @client.on("*", namespace="/counter")
        async def _any(name: str, data: Any = None) -> None:
            self.counts["counter"] += 1
            if self.counter_gets and name != "counter_state":
                for t in timer:
                    t.cancel()
                timer[:] = [asyncio.get_running_loop().call_later(REFRESH_DEBOUNCE_SECS, refresh)]

        return client

    async def connect(self, clients: list[tuple[socketio.AsyncClient, str, dict[str, Any]]]) -> None:
        for start in range(0, len(clients), CONNECT_BATCH):
            batch = clients[start:start + CONNECT_BATCH]
            await asyncio.gather(*(c.connect(self.url, namespaces=[ns], auth=auth, transports=["websocket"],
                                             wait_timeout=30) for c, ns, auth in batch))
            self.clients += [c for c, _, _ in batch]

    async def probe_refresh(self, client: socketio.AsyncClient, token: str) -> None:
        """Does the server still answer `refresh` on /ticket? (A page may keep sending it after the server stopped.)"""
        if self.triggers:
            try:
                await client.call("refresh", {"token": token}, namespace="/ticket", timeout=3)
            except socketio.exceptions.TimeoutError:
                self.answered = False

    async def quiet(self, timeout: float = 30) -> None:
        """Until every refresh the pages sent has been answered (or the deadline)."""
        deadline = time.monotonic() + timeout
        await asyncio.sleep(2 * REFRESH_DEBOUNCE_SECS)  # let the counter pages' debounce timers fire
        while self.pending > 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.005)


async def _post(http: aiohttp.ClientSession, url: str, token: str, body: dict | None = None) -> dict:
    async with http.post(url, json=body, headers={"Authorization": f"Bearer {token}"}) as r:
        assert r.status in (200, 201), await r.text()
        return await r.json()


async def _issue(http: aiohttp.ClientSession, url: str, kiosk: str) -> dict[str, deque[str]]:
    """Every service's tickets in line order (one sequential writer per service keeps issue order = line order)."""
    async def one_service(service: str) -> deque[str]:
        return deque([(await _post(http, f"{url}/api/v1/tickets", kiosk, {"service": service}))["token"]
                      for _ in range(TICKETS_PER_SERVICE)])

    lines = await asyncio.gather(*(one_service(s) for s in CALL_COUNTERS.values()))
    return dict(zip(CALL_COUNTERS.values(), lines, strict=True))


def _plan(lines: dict[str, deque[str]], watchers: int) -> tuple[list[tuple[str, str]], list[str]]:
    """The (counter, ticket token) each call will take, and the tickets to watch: the measured calls' first,
    then the rest of the lines, spread over the services."""
    codes = list(CALL_COUNTERS)
    calls = [(codes[i % len(codes)], lines[CALL_COUNTERS[codes[i % len(codes)]]].popleft())
             for i in range(WARMUP_CALLS + CALLS)]
    watched = [token for _, token in calls[WARMUP_CALLS:]][:watchers]
    rest = [list(q) for q in lines.values()]
    for i in range(max(len(q) for q in rest)):
        watched += [q[i] for q in rest if i < len(q)]
    return calls, watched[:watchers]


@dataclass
class Result:
    pages: int
    to_page: list[float]
    to_tvs: list[float]
    cpu_ms_per_call: float
    idle_ms_per_sec: float
    client_ms_per_call: float
    per_call: dict[str, float]


async def _call(crowd: Crowd, http: aiohttp.ClientSession, clerk: str, code: str, token: str,
                watched: set[str]) -> tuple[float | None, list[float]]:
    sent = time.perf_counter()
    got = await _post(http, f"{crowd.url}/api/v1/counters/{code}/call-next", clerk)
    number, called = got["ticket"]["number"], got["ticket"]["token"]
    assert called == token, f"{code} called {number}, not the planned ticket"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (len(crowd.tv_arrivals.get(number, [])) < TVS
                                          or (token in watched and token not in crowd.called_seen)):
        await asyncio.sleep(0.002)  # yield to the clients' receive tasks while messages still arrive
    tvs = crowd.tv_arrivals.get(number, [])
    assert len(tvs) == TVS, f"{len(tvs)}/{TVS} TVs got {number}"
    page = crowd.called_seen[token] - sent if token in watched else None
    await _post(http, f"{crowd.url}/api/v1/counters/{code}/skip", clerk)
    await crowd.quiet()
    return page, [t - sent for t in tvs]


async def _scenario(crowd: Crowd, http: aiohttp.ClientSession, pid: int, lines: dict[str, deque[str]],
                    pages: int) -> Result:
    calls, watched = _plan(lines, pages)
    status = [(crowd.status_page(t), "/ticket", {"token": t}) for t in watched]
    await crowd.connect(status)
    await crowd.probe_refresh(status[0][0], watched[0])
    await crowd.quiet()
    await asyncio.sleep(1)  # the connect burst is over before the idle baseline starts
    cpu0, wall0 = _cpu_secs(pid), time.monotonic()
    await asyncio.sleep(IDLE_SECS)
    idle_rate = (_cpu_secs(pid) - cpu0) / (time.monotonic() - wall0)
    for code, token in calls[:WARMUP_CALLS]:  # warms every call counter's code path on both sides
        await _call(crowd, http, crowd.clerk, code, token, set())
        await asyncio.sleep(PACE_SECS)
    before = dict(crowd.counts)
    cpu0, own0, wall0 = _cpu_secs(pid), _own_cpu_secs(), time.monotonic()
    to_page: list[float] = []
    to_tvs: list[float] = []
    for code, token in calls[WARMUP_CALLS:]:
        page, tvs = await _call(crowd, http, crowd.clerk, code, token, set(watched))
        to_page += [page] if page is not None else []
        to_tvs += tvs
        await asyncio.sleep(PACE_SECS)
    wall = time.monotonic() - wall0
    cpu = _cpu_secs(pid) - cpu0 - idle_rate * wall
    own = _own_cpu_secs() - own0
    per_call = {k: (crowd.counts[k] - before[k]) / CALLS for k in crowd.counts}
    for c, _, _ in status:
        await c.disconnect()
    crowd.clients = [c for c in crowd.clients if c not in {s for s, _, _ in status}]
    return Result(pages, to_page, to_tvs, cpu * 1000 / CALLS, idle_rate * 1000, own * 1000 / CALLS, per_call)


async def _run(server: ServerProcess, clerk_password: str) -> tuple[list[Result], set[str]]:
    assert server.proc is not None
    kiosk = server.add_device("kiosk-watchers", "kiosk")
    display = server.add_device("tv-watchers", "display")
    triggers, counter_gets = status_page_refresh_triggers(), counter_page_refetches()
    async with aiohttp.ClientSession() as http:
        clerk = (await _post(http, f"{server.url}/api/v1/auth/token", "",
                             {"username": "bench", "password": clerk_password}))["token"]
        lines = await _issue(http, server.url, kiosk)
        crowd = Crowd(server.url, clerk, triggers, counter_gets, http=http)
        await crowd.connect([(crowd.tv(), "/display", {"token": display}) for _ in range(TVS)])
        await crowd.connect([(crowd.counter_page(ALL_COUNTERS[i % len(ALL_COUNTERS)]), "/counter",
                              {"token": clerk, "counter": ALL_COUNTERS[i % len(ALL_COUNTERS)]})
                             for i in range(COUNTER_PAGES)])
        try:
            results = [await _scenario(crowd, http, server.proc.pid, lines, n) for n in STATUS_PAGES]
        finally:
            await asyncio.gather(*(c.disconnect() for c in crowd.clients), return_exceptions=True)
    return results, _pages_behaviour(crowd)


def _pages_behaviour(crowd: Crowd) -> str:
    status = (f"send `refresh` on {', '.join(sorted(crowd.triggers))}"
              + ("" if crowd.answered else " (the server no longer answers it)")) if crowd.triggers else \
        "apply every message themselves (no request)"
    counter = ("answer every message with one debounced `GET /counters/<code>`" if crowd.counter_gets
               else "apply every message themselves (no request)")
    return f"status pages {status}; counter pages {counter}"


def _row(label: str, r: Result) -> str:
    return (f"| {label} | {r.pages} | {TVS} | {COUNTER_PAGES} | {ms(percentile(r.to_page, 50))} / "
            f"{ms(percentile(r.to_page, 99))} ({len(r.to_page)}) | {ms(percentile(r.to_tvs, 50))} / "
            f"{ms(percentile(r.to_tvs, 99))} | {r.cpu_ms_per_call:.1f} | {r.per_call['refresh']:.0f} | "
            f"{r.per_call['counter_get']:.1f} | {r.client_ms_per_call:.0f} |")


def measure(label: str) -> tuple[list[str], str, str]:
    """Table rows for both page counts, the CPU ratio sentence, and what the emulated pages did."""
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(Path(tmp), site_config()).start()
        try:
            password = server.add_clerk("bench", *ALL_COUNTERS)
            results, pages = asyncio.run(_run(server, password))
        finally:
            server.stop()
    rows = [_row(label, r) for r in results]
    low, high = results[0], results[-1]
    ratio = (f"CPU per call {label}: {low.cpu_ms_per_call:.1f} ms with {low.pages} status pages, "
             f"{high.cpu_ms_per_call:.1f} ms with {high.pages} (× {high.cpu_ms_per_call / low.cpu_ms_per_call:.1f}; "
             f"idle {low.idle_ms_per_sec:.1f} / {high.idle_ms_per_sec:.1f} ms CPU per s subtracted).")
    return rows, ratio, pages


def main() -> str:
    # BENCH_LABEL names the code measured (e.g. "before", "after") when two runs share one table.
    rows, ratio, pages = measure(os.environ.get("BENCH_LABEL", "this commit"))
    return "\n".join([
        "## Watchers: cost per event (issue 10)",
        "",
        "### Call → called ticket's page and every TV, server CPU per call",
        "",
        f"One server process (eventlet, SQLite) on loopback; one benchmark process holds {TVS} TVs on `/display`, "
        f"{COUNTER_PAGES} counter pages on `/counter` (14 loket) and N status pages on `/ticket`, each with its own "
        f"ticket (1,120 tickets over {len(CALL_COUNTERS)} services). The pages behave like booking/status.js and "
        f"counter/static/work.js of the measured code: {pages}. {CALLS} measured calls (after "
        f"{WARMUP_CALLS} warm-up calls) round-robin over {len(CALL_COUNTERS)} one-service loket, each `call-next` "
        f"then `skip` over REST, then waiting until every page's refresh is answered, then {PACE_SECS} s. "
        "Latency runs from sending `call-next` to the called ticket's page receiving `ticket_status` "
        "\"called\" (samples in brackets: only watched tickets count) and to each TV receiving `ticket_called`. "
        "Server CPU = utime+stime of the server process from /proc over the calls, minus its idle rate, per call "
        "(a call = call-next + skip and everything the pages do about them).",
        "",
        "| code | status pages | TVs | counter pages | to status page p50 / p99 ms (n) | to TVs p50 / p99 ms "
        "| server CPU ms per call | status `refresh` per call | counter GETs per call | bench-client CPU ms "
        "per call |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        ratio,
    ])
