"""The kiosk's REST client: short timeouts, retries that reuse the Idempotency-Key, two kinds of failure."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any
from urllib.parse import quote

import requests

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECS = 2.0
READ_TIMEOUT_SECS = 5.0
ATTEMPTS = 3
RETRY_PAUSE_SECS = 0.2
# Answers of a proxy or a restarting server that are worth one more try with the same key.
RETRY_STATUSES = (502, 503, 504)


class ApiUnavailable(Exception):
    """The server could not be reached, did not answer in time, or failed (5xx): show the unavailable screen."""


class ApiRefused(Exception):
    """The server said no (4xx): `code` is the contract's snake_case code, `message` is for the visitor."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


def new_key() -> str:
    """A fresh Idempotency-Key: one per visitor's intention, reused by every retry of it."""
    return str(uuid.uuid4())


class KioskApi:
    """Calls `/api/v1` with the kiosk's device token. One instance per thread (a requests.Session is not shared)."""

    def __init__(self, server: str, token: str, *, connect_timeout: float = CONNECT_TIMEOUT_SECS,
                 read_timeout: float = READ_TIMEOUT_SECS, attempts: int = ATTEMPTS) -> None:
        self.base = server.rstrip("/") + "/api/v1"
        self.timeout = (connect_timeout, read_timeout)
        self.attempts = max(1, attempts)
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def services(self) -> list[dict[str, Any]]:
        """The services board: every service with open_now, waiting, eta_minutes, requirements…"""
        data = self._call("GET", "/services")
        if not isinstance(data, list):
            raise ApiUnavailable("GET /services did not answer a list")
        return data

    def priorities(self) -> list[dict[str, Any]]:
        """The priority categories with their labels: [{"code", "label", "label_en", "hint", "hint_en"}]."""
        data = self._call("GET", "/priorities")
        if not isinstance(data, list):
            raise ApiUnavailable("GET /priorities did not answer a list")
        return data

    def issue_ticket(self, service: str, priority: str | None, key: str) -> dict[str, Any]:
        """`POST /tickets`; a retry after a timeout sends the same `key`, so the server gives the same ticket."""
        body: dict[str, Any] = {"service": service}
        if priority:
            body["priority"] = priority
        return self._ticket(self._call("POST", "/tickets", body, key=key))

    def check_in(self, code: str, key: str) -> dict[str, Any]:
        """`POST /bookings/<code>/check-in`: the booking's ticket (the same one again on a repeat)."""
        return self._ticket(self._call("POST", f"/bookings/{quote(code, safe='')}/check-in", None, key=key))

    def ticket(self, token: str) -> dict[str, Any]:
        """`GET /tickets/<token>`: the ticket as it is now."""
        return self._ticket(self._call("GET", f"/tickets/{quote(token, safe='')}"))

    def report_printed(self, token: str, printed: bool, reason: str = "") -> None:
        """Tell the server whether the paper came out (unprinted tickets can be reprinted by a clerk)."""
        body: dict[str, Any] = {"printed": printed}
        if reason:
            body["reason"] = reason[:100]
        self._call("POST", f"/tickets/{quote(token, safe='')}/printed", body, key=new_key())

    def report_state(self, printer: str) -> None:
        """`POST /devices/me/state {"printer": ok|paper_out|offline|unknown}` for the admin's device list."""
        self._call("POST", "/devices/me/state", {"printer": printer}, key=new_key())

    def close(self) -> None:
        self.session.close()

    # ------------------------------------------------------------------ transport
    def _call(self, method: str, path: str, body: Any = None, *, key: str | None = None) -> Any:
        # Without a key a POST is not safe to repeat; every POST here carries one, and GETs are safe anyway.
        headers = {"Idempotency-Key": key} if key else {}
        last: Exception | None = None
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(RETRY_PAUSE_SECS)  # a short pause before a retry, not a test synchronisation
            try:
                response = self.session.request(method, self.base + path, json=body, headers=headers,
                                                timeout=self.timeout)
            except requests.RequestException as exc:
                last = exc
                logger.warning("%s %s failed (attempt %d): %s", method, path, attempt + 1, exc)
                continue
            if response.status_code in RETRY_STATUSES:
                last = ApiUnavailable(f"{method} {path}: HTTP {response.status_code}")
                continue
            return _decode(method, path, response)
        raise ApiUnavailable(f"{method} {path}: {last}") from last

    @staticmethod
    def _ticket(data: Any) -> dict[str, Any]:
        if not isinstance(data, dict) or not data.get("number") or not data.get("token"):
            raise ApiUnavailable("the server answered something that is not a ticket")
        return data


def _decode(method: str, path: str, response: requests.Response) -> Any:
    status = response.status_code
    try:
        data = response.json() if response.content else None
    except ValueError:
        data = None
    if 400 <= status < 500:
        error = data.get("error") if isinstance(data, dict) else None
        error = error if isinstance(error, dict) else {}
        code = str(error.get("code") or f"http_{status}")
        message = str(error.get("message") or f"Permintaan ditolak server (HTTP {status}).")
        raise ApiRefused(status, code, message)
    if status >= 500 or data is None and status != 204:
        raise ApiUnavailable(f"{method} {path}: HTTP {status}")
    return data
