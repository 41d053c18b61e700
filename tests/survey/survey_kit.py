"""Shared steps of the survey tests: a server with a kiosk, clerks, a supervisor and a survey tablet, and a visit
taken from the kiosk to a finished ticket."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from support import PASSWORD, Api, ServerProcess

WORKED = [  # the worked example of docs/survey.md (U1..U9 per respondent)
    [4, 4, 3, 4, 3, 4, 4, 3, 3],
    [3, 3, 3, 4, 3, 3, 4, 2, 3],
    [3, 4, 2, 4, 3, 3, 3, 3, 4],
    [4, 3, 3, 4, 4, 4, 4, 2, 3],
]


def answers(scores: list[int]) -> dict[str, int]:
    return {f"U{i + 1}": s for i, s in enumerate(scores)}


def start_server(workdir: Path, **kw: Any) -> ServerProcess:
    proc = ServerProcess(workdir, **kw).start()
    proc.kiosk_token = proc.add_device("kiosk-1", "kiosk")  # type: ignore[attr-defined]
    proc.add_clerk("siti", "L04", "L05")
    proc.add_clerk("budi", "L06")
    done = proc.cli("user", "add", "kadis", "--role", "supervisor", "--agency", "DUKCAPIL", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    done = proc.cli("user", "add", "kabid", "--role", "supervisor", "--agency", "DINSOS", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    done = proc.cli("device", "add", "tablet-l05", "--kind", "survey", "--counter", "L05")
    assert done.returncode == 0, done.stderr
    proc.tablet_token = done.stdout.strip().splitlines()[-1].split()[-1]  # type: ignore[attr-defined]
    return proc


def issue(proc: ServerProcess, service: str = "KTP") -> dict[str, Any]:
    kiosk = Api(proc.url, proc.kiosk_token)  # type: ignore[attr-defined]
    r = kiosk.post("/tickets", json={"service": service})
    assert r.status_code == 201, r.text
    return r.json()


def serve(clerk: Api, counter: str) -> dict[str, Any]:
    """Call the next ticket at `counter`, start and finish it; the finished ticket."""
    clerk.post(f"/counters/{counter}/open")
    called = clerk.post(f"/counters/{counter}/call-next")
    assert called.status_code == 200, called.text
    assert clerk.post(f"/counters/{counter}/start").status_code == 200
    done = clerk.post(f"/counters/{counter}/finish")
    assert done.status_code == 200, done.text
    return done.json()["ticket"]


def served_ticket(proc: ServerProcess, counter: str = "L05", service: str = "KTP") -> dict[str, Any]:
    """A new ticket of `service`, served at `counter` (tickets waiting before it are served first)."""
    ticket = issue(proc, service)
    clerk = Api(proc.url).login("siti" if counter in ("L04", "L05") else "budi", PASSWORD)
    for _ in range(50):
        if serve(clerk, counter)["number"] == ticket["number"]:
            return ticket
    raise AssertionError(f"{ticket['number']} was never called at {counter}")
