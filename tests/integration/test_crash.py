"""Crash safety: `kill -9` the server while kiosks are issuing; after a restart every ticket that got a 201
exists, and numbering goes on without reusing a number."""

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from support import Api, ServerProcess, site_config

KIOSKS = 8
BEFORE_KILL = 150


def test_every_acknowledged_ticket_survives_a_kill_9(tmp_path):
    server = ServerProcess(tmp_path, site_config()).start()
    token = server.add_device("kiosk-crash", "kiosk")
    acknowledged: list[dict] = []
    lock, enough = threading.Lock(), threading.Event()

    def kiosk(_: int) -> None:
        api = Api(server.url, token)
        while True:
            try:
                r = api.post("/tickets", {"service": "KTP"}, timeout=5)
            except requests.RequestException:
                return  # the server is gone
            if r.status_code == 201:
                with lock:
                    acknowledged.append(r.json())
                    if len(acknowledged) >= BEFORE_KILL:
                        enough.set()

    with ThreadPoolExecutor(KIOSKS) as pool:
        futures = [pool.submit(kiosk, i) for i in range(KIOSKS)]
        assert enough.wait(timeout=60), "kiosks could not issue tickets"
        server.kill9()  # while requests are still in flight
        for f in futures:
            f.result(timeout=30)

    restarted = ServerProcess(tmp_path, site_config(), port=server.port)
    restarted.start()
    try:
        api = Api(restarted.url, token)
        for ticket in acknowledged:
            r = api.get(f"/tickets/{ticket['token']}")
            assert r.status_code == 200 and r.json()["number"] == ticket["number"]
        after = api.post("/tickets", {"service": "KTP"}).json()["number"]
        assert after not in {t["number"] for t in acknowledged}
        assert int(after[1:]) > max(int(t["number"][1:]) for t in acknowledged)
    finally:
        restarted.stop()
