"""Many kiosks at once: 32 threads issue 2,000 tickets; numbers stay unique and gap-free per service — on one
SQLite server, and on two server processes sharing one PostgreSQL database."""

import itertools
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest

from support import Api, ServerProcess, drop_pg_database, fresh_pg_database, site_config

THREADS = 32
TICKETS = 2000
SERVICES = ["KTP", "KK", "AKTA", "PBI"]


def issue_many(urls: list[str], tokens: list[str]) -> list[dict]:
    clients = itertools.cycle([Api(url, token) for url, token in zip(urls, tokens, strict=True)])
    jobs = [(next(clients), SERVICES[i % len(SERVICES)]) for i in range(TICKETS)]

    def one(job):
        api, service = job
        r = api.post("/tickets", {"service": service}, timeout=30)
        assert r.status_code == 201, r.text
        return r.json()

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(one, jobs))


def assert_unique_and_gap_free(tickets: list[dict]) -> None:
    by_service = defaultdict(list)
    for t in tickets:
        by_service[t["service"]].append(int(t["number"][1:]))
    assert sum(len(v) for v in by_service.values()) == TICKETS
    for service, numbers in by_service.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), f"{service}: duplicates or gaps"


@pytest.mark.slow
def test_32_threads_2000_tickets_on_one_sqlite_server(tmp_path):
    server = ServerProcess(tmp_path, site_config()).start()
    try:
        token = server.add_device("kiosk-load", "kiosk")
        assert_unique_and_gap_free(issue_many([server.url], [token]))
        assert "Traceback" not in server.log()
    finally:
        server.stop()


@pytest.mark.slow
def test_two_server_processes_sharing_postgresql_never_hand_out_the_same_number(tmp_path, pg_url):
    url = fresh_pg_database(pg_url)
    one = ServerProcess(tmp_path / "one", site_config(), database_url=url).start()
    two = ServerProcess(tmp_path / "two", site_config(), database_url=url).start()
    try:
        token = one.add_device("kiosk-pg", "kiosk")  # same database: the token works on both
        assert_unique_and_gap_free(issue_many([one.url, two.url], [token, token]))
        assert "Traceback" not in one.log() + two.log()
    finally:
        one.stop()
        two.stop()
        drop_pg_database(pg_url, url)
