"""Test helpers: the test site config, a real server subprocess on loopback, an API client, service checks."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
import tomli_w

ROOT = Path(__file__).resolve().parent.parent
ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
READY_TIMEOUT_SECS = 30
PASSWORD = "rahasia-123"  # the password the tests give the users they create


def site_config(**overrides: Any) -> dict[str, Any]:
    """The sample Samarinda site, but every service open all day every day (tests run on any date)."""
    raw = tomllib.loads((ROOT / "config.toml").read_text())
    for s in raw["service"]:
        s.update(open="00:00", close="24:00", days=ALL_DAYS, daily_quota=0)
    raw["break"], raw["holiday"] = [], []
    raw["queue"]["ticket_cutoff_minutes"] = 0
    raw["server"].update(secret_key="test-secret", login_rate_limit="")
    for key, value in overrides.items():
        section, _, name = key.partition("__")
        raw.setdefault(section, {})[name] = value
    return raw


def in_process_config(folder: Path) -> Any:
    """The test site for an app built in this process (`create_app`): threading, its database a file in `folder`."""
    from server.config import config_from_dict

    raw = site_config()
    raw["server"]["async_mode"] = "threading"
    raw["storage"]["url"] = f"sqlite:///{folder / 'antre.db'}"
    return config_from_dict(raw)


def pg_admin_url() -> str:
    return os.environ.get("ANTRE_TEST_PG_URL", "postgresql://postgres:postgres@127.0.0.1:5432/postgres")


def redis_url() -> str:
    return f"redis://127.0.0.1:{os.environ.get('ANTRE_TEST_REDIS_PORT', '6390')}/0"


def _reachable(name: str, url: str) -> str | None:
    try:
        if name == "Redis":
            import redis

            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        else:
            import sqlalchemy

            from server.storage.database import normalize_url

            with sqlalchemy.create_engine(normalize_url(url), connect_args={"connect_timeout": 3}).connect():
                pass
    except Exception as exc:  # any failure means "not usable here"; the message says why
        return str(exc).splitlines()[0]
    return None


def require_service(name: str, url: str) -> str:
    problem = _reachable(name, url)
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required under CI but not reachable at {url}: {problem}")
        pytest.skip(f"{name} not reachable at {url}: {problem}")
    return url


def require_tools(*names: str) -> None:
    """Skip when a command-line tool a test runs is missing, except under CI, where it is a failure
    (scripts/system-deps.sh installs them)."""
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"required under CI but not installed: {', '.join(missing)}")
        pytest.skip(f"not installed: {', '.join(missing)}")


def fresh_pg_database(admin_url: str) -> str:
    """Create an empty database for one test server and return its URL."""
    import sqlalchemy

    from server.storage.database import normalize_url

    name = f"antre_test_{uuid.uuid4().hex[:10]}"
    engine = sqlalchemy.create_engine(normalize_url(admin_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(admin_url: str, url: str) -> None:
    import sqlalchemy

    from server.storage.database import normalize_url

    engine = sqlalchemy.create_engine(normalize_url(admin_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """`python -m server run` in a subprocess, with its own config file and database."""

    def __init__(self, workdir: Path, config: dict[str, Any] | None = None, *, database_url: str | None = None,
                 async_mode: str = "eventlet", port: int | None = None, message_queue: str = "",
                 run_args: tuple[str, ...] = (), env: dict[str, str] | None = None) -> None:
        self.workdir, self.run_args = workdir, run_args  # run_args: more `run` options, e.g. ("--demo",)
        self.env = env or {}  # more environment for the server and its CLI (site_day.faketime_env: a fixed day)
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        raw = config or site_config()
        raw["server"].update(async_mode=async_mode, port=self.port, public_url=f"http://127.0.0.1:{self.port}")
        raw["storage"]["url"] = database_url or f"sqlite:///{workdir / 'antre.db'}"
        raw.setdefault("realtime", {})["message_queue"] = message_queue
        self.config_path = workdir / "config.toml"
        self.config_path.write_text(tomli_w.dumps(raw))
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"server-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> ServerProcess:
        log = self.log_path.open("ab")
        env = os.environ | {"PYTHONUNBUFFERED": "1"} | self.env
        self.proc = subprocess.Popen([sys.executable, "-m", "server", "run", "--config", str(self.config_path),
                                      *self.run_args],
                                     cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT, env=env)
        self.wait_ready()
        return self

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECS
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if requests.get(f"{self.url}/health", timeout=1).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.05)  # polling for readiness of another process, with a deadline
        raise RuntimeError(f"server not ready after {READY_TIMEOUT_SECS}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def admin_password(self) -> str:
        match = re.search(r"kata sandi '([^']+)'", self.log())
        assert match, "the first start prints the admin password"
        return match.group(1)

    def cli(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "server", *args, "--config", str(self.config_path)],
                              input=stdin, capture_output=True, text=True, cwd=self.workdir, timeout=60,
                              env=os.environ | self.env)

    def add_clerk(self, name: str, *counters: str, password: str = "rahasia-123") -> str:
        args = ["user", "add", name, "--role", "clerk"]
        for c in counters:
            args += ["--counter", c]
        done = self.cli(*args, stdin=password + "\n")
        assert done.returncode == 0, done.stderr
        return password

    def add_device(self, name: str, kind: str = "kiosk") -> str:
        done = self.cli("device", "add", name, "--kind", kind)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


@contextmanager
def server_pair(workdir: Path, pg_admin: str, message_queue: str,
                async_mode: str = "eventlet") -> Iterator[list[ServerProcess]]:
    """Two server processes ("one", "two") sharing a fresh PostgreSQL database and a Redis message queue; afterwards
    both are stopped, the database is dropped and their logs must show neither a Traceback nor a lost Redis."""
    url = fresh_pg_database(pg_admin)
    procs = [ServerProcess(workdir / name, site_config(), database_url=url, async_mode=async_mode,
                           message_queue=message_queue).start() for name in ("one", "two")]
    try:
        yield procs
    finally:
        for p in procs:
            p.stop()
        drop_pg_database(pg_admin, url)
    logs = procs[0].log() + procs[1].log()
    assert "Cannot receive from redis" not in logs and "Traceback" not in logs


def redis_db(url: str, number: int) -> str:
    """`url` pointed at Redis database `number`: runs that must not hear each other's messages use their own."""
    return url.rsplit("/", 1)[0] + f"/{number}"


class Api:
    """A small requests-based client for the REST API."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base, self.s = base.rstrip("/") + "/api/v1", requests.Session()
        if token:
            self.s.headers["Authorization"] = f"Bearer {token}"

    def login(self, username: str, password: str) -> Api:
        r = self.s.post(f"{self.base}/auth/token", json={"username": username, "password": password}, timeout=10)
        assert r.status_code == 200, r.text
        self.s.headers["Authorization"] = f"Bearer {r.json()['token']}"
        return self

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.s.get(self.base + path, timeout=kw.pop("timeout", 10), **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> requests.Response:
        return self.s.post(self.base + path, json=json, timeout=kw.pop("timeout", 10), **kw)

    def patch(self, path: str, json: Any = None, **kw: Any) -> requests.Response:
        return self.s.patch(self.base + path, json=json, timeout=kw.pop("timeout", 10), **kw)

    @property
    def token(self) -> str:
        """The bearer token this client sends (e.g. for a Socket.IO `auth`)."""
        return self.s.headers["Authorization"].split()[1]


class FakeClock:
    """A settable clock for in-process tests (aware datetimes)."""

    def __init__(self, start: Any) -> None:
        self.now = start

    def __call__(self) -> Any:
        return self.now

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.now = self.now + timedelta(**delta)


def make_context(clock: Any, database_url: str = "sqlite://", raw: dict[str, Any] | None = None) -> Any:
    """An in-process service Context on a fresh database (no HTTP), for service-level tests."""
    from server.config import config_from_dict
    from server.services.context import Context
    from server.services.site_store import load_site
    from server.storage.database import make_engine, migrate

    config = config_from_dict(raw or site_config())
    engine = make_engine(database_url)
    migrate(engine)
    ctx = Context(site=config.site, engine=engine, clock=clock, secret=b"test", booking=config.booking)
    load_site(ctx, config.raw)  # as the server does at start: the site comes from the store (seeded here)
    return ctx
