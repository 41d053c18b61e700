"""The one ordinary day every screenshot shows: the sample `config.toml` on a Tuesday morning in WITA, and the
libfaketime environment that starts a server process (and its CLI) at that moment.

Screens drawn in the test process (kiosk, TV) take `SHOT_TIME` as their clock; a server subprocess cannot be
handed a clock, so libfaketime shifts its wall clock by a fixed offset (time keeps running from there)."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import time
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from support import PASSWORD, ROOT, Api, ServerProcess

WITA = ZoneInfo("Asia/Makassar")
# Wednesday 16 December 2026, 09.30 WITA: no holiday, no break, every service of the sample open (SKHPN opens only
# Mon/Wed/Fri), the booking session Pagi (08.00–10.00) running and Siang ahead; the 14-day booking window reaches
# the sample's Christmas holidays (24 and 25 December), so the date step shows closed weekends and named holidays.
SHOT_TIME = datetime(2026, 12, 16, 9, 30, tzinfo=WITA)
SHOT_DAY = SHOT_TIME.date()
# The same morning before the building opens (the "belum buka" screens).
BEFORE_OPENING = SHOT_TIME.replace(hour=7, minute=15)
FAKETIME_LIBS = "/usr/lib/*/faketime/libfaketime.so.1"


def sample_config(**overrides: Any) -> dict[str, Any]:
    """The sample `config.toml` as shipped; only what a screenshot never shows is set for tests (secret key, rate
    limits). `overrides` as in support.site_config: {"section__name": value}."""
    raw = tomllib.loads((ROOT / "config.toml").read_text())
    raw["server"].update(secret_key="test-secret", login_rate_limit="")
    raw["booking"]["rate_limit"] = ""
    for key, value in overrides.items():
        section, _, name = key.partition("__")
        raw.setdefault(section, {})[name] = value
    return raw


def faketime_env(at: datetime = SHOT_TIME) -> dict[str, str]:
    """Environment that makes a child process's clock read `at` now and run on from there (libfaketime). Skips the
    test where libfaketime is missing (`make system-deps` installs it), fails under CI."""
    found = glob.glob(FAKETIME_LIBS)
    if not found:
        message = "libfaketime is not installed (apt-get install libfaketime, or make system-deps)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    offset = round(at.timestamp() - time.time())
    # Monotonic time is shifted too: with it left alone, libfaketime 0.9.10 breaks Python's time.sleep (EINVAL).
    return {"LD_PRELOAD": found[0], "FAKETIME": f"{offset:+d}"}


SUPERVISOR = "kadis"  # server_with_history's supervisor of DUKCAPIL (password support.PASSWORD)


def server_with_history(workdir: Path, days: int, seed: int = 5) -> ServerProcess:
    """The sample site on the screenshot day with `days` of demo-data history before it (made through the use cases
    by the CLI under the same faked clock), started, with a supervisor of DUKCAPIL (`SUPERVISOR`)."""
    proc = ServerProcess(workdir, sample_config(), env=faketime_env())
    made = subprocess.run([sys.executable, "-m", "server", "demo-data", "--days", str(days), "--seed", str(seed),
                           "--config", str(proc.config_path)], capture_output=True, text=True, cwd=proc.workdir,
                          timeout=600, env=os.environ | proc.env)
    assert made.returncode == 0, made.stderr
    proc.start()
    root = Api(proc.url).login("admin", proc.admin_password())
    assert root.post("/users", {"username": SUPERVISOR, "role": "supervisor", "agencies": ["DUKCAPIL"],
                                "password": PASSWORD}).status_code == 201
    return proc
