"""Deploy trial: issue tickets through nginx like a kiosk until a stop file appears, then say what happened.

Each visitor's tap gets one Idempotency-Key, retried with that key until the server gives the ticket (the kiosk's
own client, kiosk.api.KioskApi), so a ticket that was issued but whose answer was lost is not issued twice.
Prints one JSON line: taps, the ticket numbers received, how many calls failed on the way.
Usage: ticket_loop.py SERVER TOKEN SERVICE STOP_FILE
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from kiosk.api import ApiRefused, ApiUnavailable, KioskApi, new_key

TAP_GAP_SECS = 0.05
GIVE_UP_SECS = 60.0


def main(server: str, token: str, service: str, stop_file: Path) -> int:
    api = KioskApi(server, token)
    numbers: list[str] = []
    failed_calls, refused, lost = 0, 0, 0
    while not stop_file.exists():
        key, since = new_key(), time.monotonic()
        while True:
            try:
                numbers.append(api.issue_ticket(service, None, key)["number"])
                break
            except ApiUnavailable:
                failed_calls += 1
            except ApiRefused as exc:
                refused += 1
                print(f"refused: {exc}", file=sys.stderr)
                break
            if time.monotonic() - since > GIVE_UP_SECS:
                lost += 1
                break
            time.sleep(0.2)
        time.sleep(TAP_GAP_SECS)
    print(json.dumps({"taps": len(numbers) + refused + lost, "numbers": numbers, "failed_calls": failed_calls,
                      "refused": refused, "given_up": lost}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])))
