"""One response per ticket across two server processes sharing PostgreSQL: concurrent submissions through both
give exactly one 201; the other answers are 409 already_answered (the database's unique ticket_id decides)."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from survey_kit import answers

from support import PASSWORD, Api, redis_db, server_pair

pytestmark = pytest.mark.slow


def test_concurrent_answers_through_two_processes_store_exactly_one(tmp_path: Path, pg_url: str, redis: str) -> None:
    with server_pair(tmp_path, pg_url, redis_db(redis, 14)) as (one, two):
        kiosk = Api(one.url, one.add_device("kiosk-1", "kiosk"))
        one.add_clerk("siti", "L05")
        ticket = kiosk.post("/tickets", json={"service": "KTP"}).json()
        clerk = Api(two.url).login("siti", PASSWORD)
        clerk.post("/counters/L05/open")
        for step in ("call-next", "start", "finish"):
            assert clerk.post(f"/counters/L05/{step}").status_code == 200

        def answer(i: int) -> tuple[int, str]:
            base = (one, two)[i % 2].url
            r = requests.post(f"{base}/api/v1/tickets/{ticket['token']}/survey", timeout=20,
                              json={"answers": answers([1 + i % 4] * 9)})
            return r.status_code, r.json().get("error", {}).get("code", "")

        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(answer, range(32)))
        assert Counter(code for code, _ in results) == {201: 1, 409: 31}
        assert {reason for code, reason in results if code == 409} == {"already_answered"}
        admin = Api(two.url).login("admin", one.admin_password())
        assert admin.get("/reports/ikm").json()["respondents"] == 1
