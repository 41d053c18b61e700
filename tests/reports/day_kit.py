"""A hand-built day whose figures are known (issue 13): Wednesday 2 December 2026 in WITA, one clerk at a KTP-only
counter, plus a ticket issued at 00:10 WITA on Thursday (still Wednesday in UTC).

Steps are (local day, local time, action, argument); the expected figures are worked out by hand in EXPECTED.
"""

from __future__ import annotations

from datetime import date

WED, THU = date(2026, 12, 2), date(2026, 12, 3)
COUNTER = "L05"  # serves KTP only
CLERK = "siti"

# (day, "HH:MM", action, service or ticket letter). Letters name tickets: A…H in the order they are issued.
STEPS = [
    (WED, "08:00", "issue", "KTP"),  # A
    (WED, "08:05", "issue", "KTP"),  # B
    (WED, "08:10", "call", "A"), (WED, "08:11", "start", "A"), (WED, "08:21", "finish", "A"),
    (WED, "08:35", "call", "B"), (WED, "08:36", "start", "B"), (WED, "08:41", "finish", "B"),  # wait 30:00 = target
    (WED, "09:00", "issue", "KTP"),  # C
    (WED, "09:30", "issue", "KK"),  # D: never called, expires at midnight
    (WED, "09:45", "call", "C"), (WED, "09:46", "start", "C"), (WED, "10:06", "finish", "C"),
    (WED, "10:00", "issue", "KTP"),  # G (letter E is kept for the late ticket below)
    (WED, "10:05", "call", "G"), (WED, "10:06", "skip", "G"),
    (WED, "10:30", "recall", "G"), (WED, "10:31", "start", "G"), (WED, "10:40", "finish", "G"),  # first call 10:05
    (WED, "11:00", "issue", "KK"),  # H: the visitor gives up
    (WED, "11:20", "cancel", "H"),
    (WED, "23:30", "issue", "KTP"),  # E: 15:30 UTC, a Wednesday ticket of hour 23
    (WED, "23:40", "call", "E"), (WED, "23:41", "start", "E"), (WED, "23:50", "finish", "E"),
    (THU, "00:00", "close_day", ""),
    (THU, "00:10", "issue", "KTP"),  # F: 16:10 UTC on Wednesday, but a Thursday ticket of hour 0
    (THU, "00:20", "call", "F"), (THU, "00:21", "start", "F"), (THU, "00:29", "finish", "F"),
]
ORDER = "ABCDGHEF"  # the letters in the order the issue steps create them

_WAITS = [600, 1800, 2700, 300, 600, 600]  # A B C G(first call) E F
_SERVICE = [600, 300, 1200, 540, 540, 480]  # A B C G E F
EXPECTED = {
    "issued": 8, "served": 6, "skipped": 1, "cancelled": 1, "expired": 1, "transferred": 0,
    # sorted waits 300 600 600 600 1800 2700: median (600+600)/2, p90 at rank 4.5 → 1800 + 0.5 × 900
    "wait": {"count": 6, "mean_s": 1100.0, "p50_s": 600.0, "p90_s": 2250.0},
    # sorted 300 480 540 540 600 1200: median 540, p90 at rank 4.5 → 600 + 0.5 × 600
    "service_time": {"count": 6, "mean_s": 610.0, "p50_s": 540.0, "p90_s": 900.0},
    "within_target": round(5 / 6, 4),  # every wait but C's 45 minutes is within 30 (B's 30:00 exactly counts)
    "within_target_count": 5,
    "busiest_hours": [{"hour": 8, "arrivals": 2}, {"hour": 9, "arrivals": 2}, {"hour": 0, "arrivals": 1}],
}
HEAT = {("wed", 8): 2, ("wed", 9): 2, ("wed", 10): 1, ("wed", 11): 1, ("wed", 23): 1, ("thu", 0): 1}
DAYS = {"2026-12-02": (7, 5), "2026-12-03": (1, 1)}
# One clerk: Wednesday 08:10 → 23:50 present, Thursday 00:20 → 00:29; serving 3120 + 540 s.
CLERK_ROW = {"clerk": CLERK, "served": 6, "mean_service_s": 610.0,
             "idle_share": round(1 - (600 + 300 + 1200 + 540 + 540 + 480) / (56400 + 540), 4)}
assert sorted(_WAITS)[2] == 600 and sum(_SERVICE) == 3660


def local(day: date, hhmm: str):  # type: ignore[no-untyped-def]
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time.fromisoformat(hhmm), ZoneInfo("Asia/Makassar"))


def records():  # type: ignore[no-untyped-def]
    """The day as report records, replayed by hand (the pure figures' input)."""
    from server.domain.report_figures import TicketRecord

    t: dict[str, dict] = {}
    letters = iter(ORDER)
    for day, hhmm, action, arg in STEPS:
        s = int(local(day, hhmm).timestamp())
        if action == "issue":
            t[next(letters)] = {"day": day, "service": arg, "issued_s": s}
        elif action == "call":
            t[arg].setdefault("called_s", s)
        elif action in ("start", "finish", "skip", "cancel"):
            key = {"start": "started_s", "finish": "finished_s", "skip": "skipped_s", "cancel": "cancelled_s"}
            t[arg][key[action]] = s
        elif action == "close_day":
            t["D"]["cancelled_s"], t["D"]["expired"] = s, True
    out = []
    for letter, v in t.items():
        status = "done" if "finished_s" in v else "cancelled"
        called = "called_s" in v
        out.append(TicketRecord(letter, v.pop("day"), v.pop("service"), status, None, v.pop("issued_s"),
                                counter=COUNTER if called else None, clerk=CLERK if called else None, **v))
    return out
