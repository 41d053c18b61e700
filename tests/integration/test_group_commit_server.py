"""Group commit in the real server (eventlet): concurrent requests still share commits now that a request finding
the writer idle commits its batch itself (issue 11) — under eventlet nothing else runs while a batch commits, so a
leader that did not let the others queue first would commit every request alone."""

import re
import sys
from pathlib import Path

import requests

from support import ServerProcess, site_config

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # bench/ is not an installed package; `python -m pytest` has it, plain pytest not
    sys.path.insert(0, str(ROOT))

from bench.load import run_load  # noqa: E402

CLIENTS, TICKETS = 16, 320


def _counter(metrics: str, name: str) -> float:
    match = re.search(rf"^{name} (\S+)$", metrics, re.M)
    assert match, name
    return float(match.group(1))


def test_concurrent_requests_share_commits_and_one_client_gets_its_own(tmp_path):
    server = ServerProcess(tmp_path, site_config()).start()
    try:
        token = server.add_device("kiosk-batch", "kiosk")
        _, answers = run_load(server.url, token, CLIENTS, TICKETS, lambda i: ("POST", "/api/v1/tickets",
                                                                              {"service": ("KTP", "KK")[i % 2]}))
        assert [a.status for a in answers] == [201] * TICKETS
        metrics = requests.get(f"{server.url}/metrics", timeout=10).text
        batches = _counter(metrics, "antre_group_commit_batches_total")
        done = _counter(metrics, "antre_group_commit_requests_total")
        assert done >= TICKETS and done / batches > 2, f"{done:.0f} requests in {batches:.0f} commits"
        _, alone = run_load(server.url, token, 1, 5, lambda i: ("POST", "/api/v1/tickets", {"service": "KTP"}))
        assert [a.status for a in alone] == [201] * 5
        after = requests.get(f"{server.url}/metrics", timeout=10).text
        assert _counter(after, "antre_group_commit_batches_total") - batches == 5, "one client: a commit per ticket"
    finally:
        server.stop()
