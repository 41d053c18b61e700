"""Where the server's CPU goes under bench/server.py's load: py-spy profiles, CPU per operation, disk fsync (issue 11).

Run with `python -m bench profile` (needs `pip install py-spy` in .venv; not a project dependency). The server code
is not touched: py-spy attaches to the same `python -m server run` process that bench/server.py starts.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from support import Api, ServerProcess, site_config

from .load import run_load
from .server import SERVICES
from .stats import percentile, yardstick

ROOT = Path(__file__).resolve().parent.parent
TICKETS = 960  # as many as the issue 11 table's run
CLIENTS = 32
CALLS = 200
FSYNCS = 200
TOP = 15
TICK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid: int) -> int:
    """utime + stime of the whole process (all threads), in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def cpu_ns(pid: int) -> int:
    """On-CPU time of every thread of the process in ns (schedstat: fine enough to split one request from the next)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError):
            pass  # a thread that ended between listing and reading
    return total


def fsync_p50(directory: Path) -> tuple[float, float]:
    """p50 and p99 seconds of one 4 KiB append + os.fsync, the cost SQLite pays per commit with synchronous=FULL."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "fsync-probe.bin"
    out = []
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        block = os.urandom(4096)
        for _ in range(FSYNCS):
            started = time.perf_counter()
            os.write(fd, block)
            os.fsync(fd)
            out.append(time.perf_counter() - started)
    finally:
        os.close(fd)
        path.unlink(missing_ok=True)
    return percentile(out, 50), percentile(out, 99)


def issue(server: ServerProcess, token: str, tickets: int, services: list[str] = SERVICES) -> None:
    def ticket(i: int) -> tuple[str, str, object]:
        return "POST", "/api/v1/tickets", {"service": services[i % len(services)]}

    _, answers = run_load(server.url, token, CLIENTS, tickets, ticket)
    bad = [a for a in answers if a.status != 201]
    assert not bad, (bad[0].status, bad[0].body[:200])


def call_next(server: ServerProcess, clerk: Api, calls: int) -> tuple[int, int]:
    """`calls` call-next + skip pairs over one keep-alive connection (http.client: what a counter page's fetch
    costs the server, not what the `requests` library adds); returns the server's ns spent in each kind."""
    assert server.proc is not None
    pid, in_call, in_skip = server.proc.pid, 0, 0
    conn = http.client.HTTPConnection("127.0.0.1", int(server.url.rsplit(":", 1)[1]), timeout=30)
    headers = {"Authorization": f"Bearer {clerk.token}", "Content-Type": "application/json"}

    def post(action: str) -> None:
        conn.request("POST", f"/api/v1/counters/L05/{action}", body=b"", headers=headers)
        answer = conn.getresponse()
        body = answer.read()
        assert answer.status == 200, (answer.status, body[:200])

    try:
        for _ in range(calls):
            before = cpu_ns(pid)
            post("call-next")
            middle = cpu_ns(pid)
            post("skip")
            in_call, in_skip = in_call + middle - before, in_skip + cpu_ns(pid) - middle
    finally:
        conn.close()
    return in_call, in_skip


class Spy:
    """py-spy attached to the server for one phase; stopped with SIGINT so it writes its collapsed stacks."""

    def __init__(self, pid: int, out: Path) -> None:
        exe = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
        if not exe:
            raise SystemExit("bench profile: py-spy not found; `.venv/bin/pip install py-spy`")
        self.out = out
        self.proc = subprocess.Popen([exe, "record", "-p", str(pid), "-f", "raw", "--nolineno", "-r", "250",
                                      "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(1.0)  # py-spy attaches asynchronously and has no readiness signal; samples before load are idle

    def stop(self) -> Counter[str]:
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=60)
        stacks: Counter[str] = Counter()
        for line in self.out.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if stack:
                stacks[stack] += int(count)
        return stacks


def _frame(raw: str) -> str:
    """`execute (sqlalchemy/engine/base.py)` → `sqlalchemy/engine/base.py:execute`."""
    name, _, where = raw.partition(" (")
    return f"{where.rstrip(')')}:{name}" if where else name


# Frames every request passes through (eventlet's WSGI loop → engine.io middleware → Flask): left out of the
# cumulative table, where they would fill the first ten rows at 85–100 % and say nothing.
WRAPPERS = ("eventlet/greenthread.py", "eventlet/wsgi.py", "flask/app.py", "flask_socketio/__init__.py",
            "engineio/middleware.py")

# Where a sample's time belongs, by the code it is in (the first rule that matches the stack wins, outermost owner).
LAYERS = (
    ("auth lookup (bearer token → principal)", ("server/services/accounts.py:resolve",)),
    ("publish after commit (real-time hub, Socket.IO emits)", ("server/realtime/", ";socketio/")),
    ("use case (server/services: unit of work, domain, repositories)", ("server/services/",)),
    ("HTTP: eventlet WSGI, Flask/Werkzeug, JSON in/out, route code", ("",)),
)

# What a sample is doing, by its innermost frame.
KINDS = (
    ("sqlite3 commit (WAL write + fsync)", ("DefaultDialect.do_commit",)),
    ("sqlite3 execute + fetch (C)", ("DefaultDialect.do_execute", "Fetch", "fetch")),
    ("SQLAlchemy statement building, compiling, cache keys", ("sqlalchemy/sql/",)),
    ("SQLAlchemy engine/ORM/pool, rest", ("sqlalchemy/",)),
    ("JSON encode/decode", ("json/", "json.")),
    ("Socket.IO / Engine.IO", ("socketio/", "engineio/")),
    ("eventlet (sockets, hub, green threads)", ("eventlet/", "greenlet")),
    ("Flask / Werkzeug / HTTP header parsing", ("flask/", "werkzeug/", "email/", "http/")),
    ("Antre code (server/)", ("server/",)),
    ("other (stdlib, dataclasses, logging …)", ("",)),
)


def _first(rules: tuple[tuple[str, tuple[str, ...]], ...], text: str) -> str:
    return next(name for name, needles in rules if any(n in text for n in needles))


def top(stacks: Counter[str]) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]], Counter[str],
                                       Counter[str]]:
    own: Counter[str] = Counter()
    cumulative: Counter[str] = Counter()
    layers: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for stack, count in stacks.items():
        frames = [_frame(f) for f in stack.split(";")]
        own[frames[-1]] += count
        for frame in set(frames):
            if not frame.startswith(WRAPPERS):
                cumulative[frame] += count
        layers[_first(LAYERS, ";" + ";".join(frames))] += count
        kinds[_first(KINDS, frames[-1])] += count
    return sum(stacks.values()), cumulative.most_common(TOP), own.most_common(TOP), layers, kinds


def table(title: str, samples: int, rows: list[tuple[str, int]] | Counter[str]) -> list[str]:
    if isinstance(rows, Counter):
        rows = rows.most_common()
    lines = [f"| {title} | % of samples |", "| --- | ---: |"]
    lines += [f"| `{name}` | {100 * n / samples:.1f} |" for name, n in rows]
    return lines


def main() -> str:
    fsync50, fsync99 = fsync_p50(ROOT / "var")
    out: list[str] = []
    loops = [yardstick()]
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(Path(tmp), site_config()).start()
        try:
            assert server.proc is not None
            pid = server.proc.pid
            token = server.add_device("kiosk-bench", "kiosk")
            issue(server, token, 64)  # warm-up: imports, caches, SQLite pages
            server.add_clerk("bench", "L05")
            clerk = Api(server.url).login("bench", "rahasia-123")

            # Unprofiled: the CPU numbers.
            ticks = cpu_ticks(pid)
            issue(server, token, TICKETS)
            issue_ms = (cpu_ticks(pid) - ticks) / TICK * 1000 / TICKETS
            issue(server, token, CALLS + 10, ["KTP"])  # L05 serves KTP only: a line long enough, not measured
            ticks = cpu_ticks(pid)
            in_call, in_skip = call_next(server, clerk, CALLS)
            pair_ms = (cpu_ticks(pid) - ticks) / TICK * 1000 / CALLS
            call_ms, skip_ms = in_call / 1e6 / CALLS, in_skip / 1e6 / CALLS
            loops.append(yardstick())

            # Profiled: the same load again under py-spy.
            spy = Spy(pid, Path(tmp) / "issue.txt")
            issue(server, token, TICKETS)
            issue_profile = top(spy.stop())
            issue(server, token, CALLS + 10, ["KTP"])
            spy = Spy(pid, Path(tmp) / "call-next.txt")
            call_next(server, clerk, CALLS)
            call_profile = top(spy.stop())
        finally:
            server.stop()
    out += [
        f"- disk's own fsync (4 KiB append + `os.fsync` in `var/`, {FSYNCS} times): p50 {fsync50 * 1000:.2f} ms, "
        f"p99 {fsync99 * 1000:.2f} ms",
        f"- server CPU per issued ticket ({TICKETS} tickets, {CLIENTS} clients; utime+stime / tickets): "
        f"**{issue_ms:.2f} ms**",
        f"- server CPU per call-next + skip pair ({CALLS} pairs, 1 clerk; utime+stime / pairs): {pair_ms:.2f} ms — "
        f"split by the threads' schedstat around each request: call-next **{call_ms:.2f} ms**, skip {skip_ms:.2f} ms",
        f"- the yardstick loop (bench/stats.py) before and after the CPU figures: {loops[0]:.2f} s, {loops[1]:.2f} s "
        "CPU (0.27-0.31 s on the days the targets were met: a slower loop means a slower core, not slower code)",
    ]
    for name, (samples, cumulative, own, layers, kinds) in (("issue ticket, 32 clients", issue_profile),
                                                            ("call-next (+ skip)", call_profile)):
        out += ["", f"### {name} — {samples} samples at 250 Hz", "",
                *table("by layer (outermost owner in the stack)", samples, layers), "",
                *table("by kind (innermost frame)", samples, kinds), "",
                *table("cumulative (in stack; the WSGI/Flask wrappers left out)", samples, cumulative), "",
                *table("own time (innermost frame)", samples, own)]
    return "\n".join(["## Fast path: profile after (issue 11)", "", *out])
