"""Each server process hears the others through the message queue from its start, before any screen connects
(issue 11: 4): python-socketio subscribes at the first socket, and a process without one read every other process's
event from the event log instead (two processes issuing under load: a log read of ~100 events every 0.35 s)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import redis
from private_redis import PrivateRedis

from support import ServerProcess, drop_pg_database, fresh_pg_database, site_config

pytestmark = pytest.mark.slow
CHANNEL = "flask-socketio"


def test_both_processes_subscribe_to_the_queue_before_any_screen_connects(tmp_path: Path, pg_url: str) -> None:
    queue = PrivateRedis(tmp_path).start()  # alone: a shared server's channel has other runs' subscribers
    url = fresh_pg_database(pg_url)
    procs = [ServerProcess(tmp_path / name, site_config(), database_url=url, message_queue=queue.url).start()
             for name in ("one", "two")]
    try:
        client = redis.Redis(port=queue.port)
        deadline = time.monotonic() + 2
        while (subscribers := dict(client.pubsub_numsub(CHANNEL))[CHANNEL.encode()]) < 2 \
                and time.monotonic() < deadline:
            time.sleep(0.05)  # each process subscribes in a background task: polled, with a deadline
        assert subscribers == 2, "a process waits for its first screen before it listens"
    finally:
        for p in procs:
            p.stop()
        queue.stop()
        drop_pg_database(pg_url, url)
