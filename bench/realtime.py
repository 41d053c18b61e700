"""Real-time benchmark: call → display latency with 50/200/1,000 displays on one process and with two processes
+ Redis; server memory with 2,000 connected displays."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

import aiohttp
import socketio

from support import ServerProcess, drop_pg_database, fresh_pg_database, pg_admin_url, redis_url, site_config

from .stats import ms, percentile

CALLS = 20
QUIET_SECS = 0.3
WARMUP_CALLS = 3
CONNECT_BATCH = 50


class Displays:
    """Many asyncio Socket.IO clients on /display recording when each call's number arrives."""

    def __init__(self, url: str, token: str, count: int) -> None:
        self.url, self.token, self.count = url, token, count
        self.clients: list[socketio.AsyncClient] = []
        self.arrivals: dict[str, list[float]] = {}

    def _client(self) -> socketio.AsyncClient:
        client = socketio.AsyncClient(reconnection=False)

        @client.on("ticket_called", namespace="/display")
        async def _called(data: dict) -> None:
            self.arrivals.setdefault(data["number"], []).append(time.perf_counter())

        return client

    async def connect(self) -> None:
        for start in range(0, self.count, CONNECT_BATCH):
            batch = [self._client() for _ in range(min(CONNECT_BATCH, self.count - start))]
            await asyncio.gather(*(c.connect(self.url, namespaces=["/display"], auth={"token": self.token},
                                             transports=["websocket"], wait_timeout=30) for c in batch))
            self.clients += batch

    async def close(self) -> None:
        await asyncio.gather(*(c.disconnect() for c in self.clients), return_exceptions=True)


async def _post(session: aiohttp.ClientSession, url: str, token: str, body: dict | None = None) -> dict:
    async with session.post(url, json=body, headers={"Authorization": f"Bearer {token}"}) as r:
        assert r.status in (200, 201), await r.text()
        return await r.json()


async def _measure(call_url: str, displays: Displays, kiosk: str, clerk: str) -> list[float]:
    latencies: list[float] = []
    async with aiohttp.ClientSession() as session:
        token = (await _post(session, f"{call_url}/api/v1/auth/token", "", {"username": "bench",
                                                                              "password": "rahasia-123"}))["token"]
        for i in range(WARMUP_CALLS + CALLS):
            number = (await _post(session, f"{call_url}/api/v1/tickets", kiosk, {"service": "KTP"}))["number"]
            # Calls at a site are seconds apart: let the displays finish the previous skip and issue first, so
            # the number measures a call, not the backlog of the benchmark's own single client process.
            await asyncio.sleep(QUIET_SECS)
            sent = time.perf_counter()
            await _post(session, f"{call_url}/api/v1/counters/L05/call-next", token)
            deadline = time.monotonic() + 30
            while len(displays.arrivals.get(number, [])) < displays.count and time.monotonic() < deadline:
                await asyncio.sleep(0.005)  # yield to the clients' receive tasks while they are still arriving
            got = displays.arrivals.get(number, [])
            assert len(got) == displays.count, f"{len(got)}/{displays.count} displays got {number}"
            if i >= WARMUP_CALLS:  # the first calls after connecting warm up caches on both sides
                latencies += [t - sent for t in got]
            await _post(session, f"{call_url}/api/v1/counters/L05/skip", token)
    return latencies


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _scenario(call_server: ServerProcess, display_server: ServerProcess, count: int) -> list[float]:
    kiosk = call_server.add_device(f"kiosk-{count}-{id(call_server) % 997}", "kiosk")
    display_token = call_server.add_device(f"tv-{count}-{id(call_server) % 997}", "display")
    displays = Displays(display_server.url, display_token, count)
    await displays.connect()
    try:
        return await _measure(call_server.url, displays, kiosk, "")
    finally:
        await displays.close()


async def _memory(server: ServerProcess, count: int) -> tuple[float, float]:
    token = server.add_device("tv-memory", "display")
    assert server.proc is not None
    before = _rss_mib(server.proc.pid)
    displays = Displays(server.url, token, count)
    await displays.connect()
    after = _rss_mib(server.proc.pid)
    await displays.close()
    return before, after


def _row(label: str, count: int, lat: list[float]) -> str:
    return f"| {label} | {count} | {len(lat)} | {ms(percentile(lat, 50))} | {ms(percentile(lat, 99))} |"


def main() -> str:
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        one = ServerProcess(Path(tmp) / "single", site_config()).start()
        try:
            one.add_clerk("bench", "L05")
            for count in (50, 200, 1000):
                rows.append(_row("1 process", count, asyncio.run(_scenario(one, one, count))))
                print(rows[-1], flush=True)
            before, after = asyncio.run(_memory(one, 2000))
        finally:
            one.stop()
        url = fresh_pg_database(pg_admin_url())
        pair = [ServerProcess(Path(tmp) / n, site_config(), database_url=url, message_queue=redis_url()).start()
                for n in ("a", "b")]
        try:
            pair[0].add_clerk("bench", "L05")
            rows.append(_row("2 processes + Redis (call on 1, displays on 2)", 200,
                             asyncio.run(_scenario(pair[0], pair[1], 200))))
        finally:
            for p in pair:
                p.stop()
            drop_pg_database(pg_admin_url(), url)
    return "\n".join([
        "## Real-time: call → display (issue 3)",
        "",
        f"Displays are asyncio Socket.IO clients (WebSocket) in one benchmark process on the same 2 cores; latency is "
        f"from sending `POST call-next` to each display receiving `ticket_called`, over {CALLS} calls {QUIET_SECS} s apart (so "
        "it includes the HTTP request and the commit). eventlet server. Every display gets one message per call "
        "(the new waiting counts ride inside `ticket_called`).",
        "",
        "| setup | displays | samples | p50 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        f"Server memory (RSS): {before:.0f} MiB idle, {after:.0f} MiB with 2,000 connected displays "
        f"(≈ {(after - before) * 1024 / 2000:.0f} KiB per connection).",
    ])
