"""A light load client: N keep-alive HTTP/1.1 connections driven by one asyncio loop, each sending its next request
as soon as the previous answer arrived. `requests` in 32 threads spends ~1–2 ms of CPU per request on the client
side — on a 2-core machine shared with the server that measures the client, not the server."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Answer:
    status: int
    body: bytes
    seconds: float


def _request(method: str, path: str, host: str, token: str, payload: object | None) -> bytes:
    body = json.dumps(payload).encode() if payload is not None else b""
    head = (f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return status, await reader.readexactly(length)


async def _drive(urls: list[str], token: str, clients: int, total: int,
                 make: Callable[[int], tuple[str, str, object]], answers: list[Answer | None]) -> None:
    next_index = 0

    async def client(k: int) -> None:
        nonlocal next_index
        parts = urlsplit(urls[k % len(urls)])  # clients spread evenly over the servers
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while next_index < total:
                i, next_index = next_index, next_index + 1
                method, path, payload = make(i)
                started = time.perf_counter()
                writer.write(_request(method, parts.path.rstrip("/") + path, f"{host}:{port}", token, payload))
                status, body = await _read_answer(reader)
                answers[i] = Answer(status, body, time.perf_counter() - started)
        finally:
            writer.close()

    await asyncio.gather(*(client(k) for k in range(clients)))


def run_load(url: str | list[str], token: str, clients: int, total: int,
             make: Callable[[int], tuple[str, str, object]]) -> tuple[float, list[Answer]]:
    """Send `total` requests `make(i)` = (method, path under the server's URL, JSON body) over `clients`
    connections (spread over the servers when `url` is a list); returns the wall seconds and every answer in
    request order."""
    answers: list[Answer | None] = [None] * total
    began = time.perf_counter()
    asyncio.run(_drive(url if isinstance(url, list) else [url], token, clients, total, make, answers))
    elapsed = time.perf_counter() - began
    assert all(a is not None for a in answers), "every request was answered"
    return elapsed, [a for a in answers if a is not None]
