"""A burst of concurrent booking requests against a running server (shared by the burst test and bench/booking.py)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int
    code: str | None  # the error code of a refusal
    seconds: float


def nik(n: int) -> str:
    """A distinct, well-formed NIK per request (Samarinda, a district per 9,999, born 12-03-1990, serial)."""
    district, serial = divmod(n, 9_999)
    return f"6472{district + 1:02d}120390{serial + 1:04d}"


def burst(base_url: str, service: str, day: str, session: str, requests_total: int, threads: int) -> list[Outcome]:
    """Fire `requests_total` POST /bookings at once from `threads` threads (released together by a barrier)."""
    local = threading.local()
    barrier = threading.Barrier(min(threads, requests_total))

    def one(i: int) -> Outcome:
        if not hasattr(local, "s"):
            local.s = requests.Session()
            barrier.wait(timeout=30)  # every thread is up before the first request: they start together
        body = {"service": service, "date": day, "session": session, "name": f"Pemohon {i}", "nik": nik(i),
                "phone": "081234567890", "consent": True}
        started = time.perf_counter()
        r = local.s.post(f"{base_url}/api/v1/bookings", json=body, timeout=60)
        took = time.perf_counter() - started
        code = r.json().get("error", {}).get("code") if r.status_code != 201 else None
        return Outcome(r.status_code, code, took)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(one, range(requests_total)))


def summary(outcomes: list[Outcome]) -> Counter[tuple[int, str | None]]:
    return Counter((o.status, o.code) for o in outcomes)
