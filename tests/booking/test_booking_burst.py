"""A burst of 500 concurrent booking requests for 20 places against a real server: exactly 20 are accepted and
every other one is refused with `session_full` — on SQLite and on PostgreSQL."""

import pytest
from booking_load import burst, summary

from support import Api, ServerProcess, drop_pg_database, fresh_pg_database, site_config

REQUESTS, PLACES, THREADS = 500, 20, 32


def burst_config():
    raw = site_config()
    raw["booking"].update(rate_limit="", places={}, services={},
                          sessions=[{"name": "Hari", "start": "00:00", "end": "24:00", "quota": PLACES}])
    return raw


def run_burst(server):
    api = Api(server.url)
    day = api.get("/booking/dates?service=KTP").json()[0]["date"]
    outcomes = burst(server.url, "KTP", day, "hari", REQUESTS, THREADS)
    counts = summary(outcomes)
    assert counts == {(201, None): PLACES, (409, "session_full"): REQUESTS - PLACES}, counts
    slot = api.get(f"/booking/slots?service=KTP&date={day}").json()[0]
    assert (slot["remaining"], slot["available"]) == (0, False)
    assert "Traceback" not in server.log()


def test_a_burst_of_500_requests_for_20_places_books_exactly_20_on_sqlite(tmp_path):
    server = ServerProcess(tmp_path, burst_config()).start()
    try:
        run_burst(server)
    finally:
        server.stop()


@pytest.mark.postgres
def test_a_burst_of_500_requests_for_20_places_books_exactly_20_on_postgresql(tmp_path, pg_url):
    url = fresh_pg_database(pg_url)
    server = ServerProcess(tmp_path, burst_config(), database_url=url).start()
    try:
        run_burst(server)
    finally:
        server.stop()
        drop_pg_database(pg_url, url)
