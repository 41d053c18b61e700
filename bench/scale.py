"""Issuing tickets on one process (SQLite, then PostgreSQL) against two processes (PostgreSQL + Redis), 1 and 32
concurrent clients (issue 11): tickets/s, p50/p99, server CPU per ticket, and whether numbers stayed unique and
gap-free across the processes."""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from pathlib import Path

import requests
from prometheus_client.parser import text_string_to_metric_families

from support import ServerProcess, drop_pg_database, fresh_pg_database, pg_admin_url, redis_url, site_config

from .load import run_load
from .profile import TICK, cpu_ticks
from .server import SERVICES
from .stats import ms, percentile

TICKETS = 960
ROUNDS = 3


def _ticket(i: int) -> tuple[str, str, object]:
    return "POST", "/api/v1/tickets", {"service": SERVICES[i % len(SERVICES)]}


def _batches(servers: list[ServerProcess]) -> tuple[float, float]:
    """(transactions, use cases) the group-commit writers ran so far, from /metrics."""
    out = [0.0, 0.0]
    for s in servers:
        for family in text_string_to_metric_families(requests.get(f"{s.url}/metrics", timeout=10).text):
            for i, name in enumerate(("antre_group_commit_batches", "antre_group_commit_requests")):
                if family.name == name:
                    out[i] += sum(sample.value for sample in family.samples if sample.name.endswith("_total"))
    return out[0], out[1]


def _machine_busy() -> int:
    """Clock ticks every core of the machine spent busy so far (all of /proc/stat's first line but idle and iowait)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]


def _backing_pids(database: str | None) -> tuple[list[int], list[int]]:
    """(PostgreSQL's processes serving this run: its database's backends and the server's own background processes;
    the Redis server of the run's port). Other databases' backends are left out: on a shared machine they are
    someone else's tests."""
    port = redis_url().rsplit(":", 1)[1].split("/", 1)[0]
    pg, rd = [], []
    for proc in Path("/proc").iterdir():
        try:
            comm = (proc / "comm").read_text().strip()
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if not proc.name.isdigit():
            continue
        if comm.startswith("postgres") and database is not None:
            client = "(" in cmdline or "[local]" in cmdline  # a backend: "postgres: … user db 127.0.0.1(port) …"
            if not client or f" {database} " in cmdline:
                pg.append(int(proc.name))
        elif comm.startswith("redis") and f":{port}" in cmdline:
            rd.append(int(proc.name))
    return pg, rd


def _ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            total += cpu_ticks(pid)
        except OSError:  # a backend that ended during the run: its ticks are in "rest"
            pass
    return total


def _client_ticks() -> int:
    t = os.times()
    return round((t.user + t.system) * TICK)


def _measure(servers: list[ServerProcess], token: str, clients: int, numbers: dict[str, list[int]],
             database: str | None) -> list[float]:
    """One run: [tickets/s, p50 s, p99 s, server CPU ms per ticket, requests per commit, machine CPU ms per ticket,
    PostgreSQL CPU ms per ticket, Redis CPU ms per ticket, load client CPU ms per ticket]."""
    pids = [s.proc.pid for s in servers if s.proc is not None]
    pg, rd = _backing_pids(database)  # after the warm-up: the servers' pools have their connections
    before, (batches, jobs) = sum(cpu_ticks(p) for p in pids), _batches(servers)
    machine, db, mq, client = _machine_busy(), _ticks(pg), _ticks(rd), _client_ticks()
    elapsed, answers = run_load([s.url for s in servers], token, clients, TICKETS, _ticket)
    cpu_ms = (sum(cpu_ticks(p) for p in pids) - before) / TICK * 1000 / TICKETS
    per_ticket = 1000 / TICK / TICKETS
    machine_ms = (_machine_busy() - machine) * per_ticket
    # A backend started during the run (a pool's new connection) counts whole: all its CPU was in the run.
    db_ms = (_ticks(sorted(set(pg) | set(_backing_pids(database)[0]))) - db) * per_ticket
    mq_ms = (_ticks(rd) - mq) * per_ticket
    client_ms = (_client_ticks() - client) * per_ticket
    after_batches, after_jobs = _batches(servers)
    per_commit = (after_jobs - jobs) / max(1.0, after_batches - batches)
    for a in answers:
        assert a.status == 201, (a.status, a.body[:200])
        body = json.loads(a.body)
        numbers[body["service"]].append(int(body["number"][-3:]))
    lat = [a.seconds for a in answers]
    return [TICKETS / elapsed, percentile(lat, 50), percentile(lat, 99), cpu_ms, per_commit, machine_ms, db_ms,
            mq_ms, client_ms]


def _setup(tmp: Path, label: str) -> tuple[list[ServerProcess], str | None]:
    if label == "sqlite":
        return [ServerProcess(tmp / "one", site_config()).start()], None
    url = fresh_pg_database(pg_admin_url())
    names = ["one"] if label == "pg1" else ["one", "two"]
    extra = {"message_queue": redis_url().rsplit("/", 1)[0] + "/7"} if label == "pg2" else {}
    return [ServerProcess(tmp / n, site_config(), database_url=url, **extra).start() for n in names], url


def _run(label: str) -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        servers, pg = _setup(Path(tmp), label)
        try:
            token = servers[0].add_device("kiosk-bench", "kiosk")
            numbers: dict[str, list[int]] = defaultdict(list)
            _, warm = run_load([s.url for s in servers], token, 8, 64, _ticket)  # warm-up: imports, caches, pages
            for a in warm:
                body = json.loads(a.body)
                numbers[body["service"]].append(int(body["number"][-3:]))
            for clients in (1, 32):
                database = pg.rsplit("/", 1)[1] if pg else None
                runs = [_measure(servers, token, clients, numbers, database) for _ in range(ROUNDS)]
                rows.append((clients, *(sorted(r[i] for r in runs)[ROUNDS // 2] for i in range(9))))
            # Every service's numbers must be exactly 1..n: nothing given twice, nothing skipped.
            wrong = sum(len(got) - len(set(got)) + (max(got) - len(set(got))) for got in numbers.values())
        finally:
            for s in servers:
                s.stop()
            if pg:
                drop_pg_database(pg_admin_url(), pg)
    name = {"sqlite": "1 process, SQLite (group commit)", "pg1": "1 process, PostgreSQL",
            "pg2": "2 processes, PostgreSQL + Redis"}[label]
    return [f"| {name} | {c} | {rate:.0f} | {ms(p50)} | {ms(p99)} | {cpu:.2f} | {per_commit:.1f} | {wrong} | "
            f"{machine:.2f} | {db:.2f} | {mq:.2f} | {client:.2f} | "
            f"{format(2000 / machine, '.0f') if c > 1 else '–'} |"
            for c, rate, p50, p99, cpu, per_commit, machine, db, mq, client in rows]


def main() -> str:
    rows = [*_run("sqlite"), *_run("pg1"), *_run("pg2")]
    return "\n".join([
        "## Fast path: issuing on one and two processes (issue 11)",
        "",
        f"`POST /api/v1/tickets` with a kiosk token, {TICKETS} tickets per run over {len(SERVICES)} services, from "
        "bench/load.py (keep-alive connections on one asyncio loop, spread evenly over the processes); median of "
        f"{ROUNDS} runs; server CPU = utime+stime of every server process per ticket (PostgreSQL's own not "
        "included); tickets per commit = use cases per group-commit transaction (from `/metrics`). The load client, "
        "the servers and PostgreSQL share the same 2 cores. The machine's CPU per ticket is every core's busy time "
        "(/proc/stat) over the run, split into PostgreSQL (this run's database's backends and the server's own "
        "background processes, not other databases' backends), Redis (the server on the run's port) and the load "
        "client (this process); the ceiling is what 2 cores could issue at that cost, tickets/s = 2 s ÷ machine CPU per ticket "
        "(a median of each column: the columns of a row may come from different runs).",
        "",
        "| setup | clients | tickets/s | p50 ms | p99 ms | server CPU ms/ticket | tickets per commit | numbers "
        "duplicated or skipped | machine CPU ms/ticket | of it PostgreSQL | of it Redis | of it load client | "
        "ceiling on 2 cores, tickets/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
    ])
