"""The clerk's working view of one loket (the `/counter` snapshot and `GET /counters/{code}`), and the loket's day."""

from __future__ import annotations

from typing import Any

from ..domain.standing import CounterToday
from ..services.queries import CounterView
from .tickets import ticket_fields


def today_json(today: CounterToday) -> dict[str, Any]:
    return {"served": today.served, "avg_service_minutes": today.avg_service_minutes}


def counter_json(view: CounterView) -> dict[str, Any]:
    """Everything the counter screen draws. The skipped count of the day is not here: the screen counts the
    skipped list's tickets left at this loket, so events that change the list change the count too."""
    return {
        "code": view.code, "name": view.name, "services": list(view.services), "status": view.status.value,
        "current": ticket_fields(view.current) if view.current else None,
        "waiting": [ticket_fields(t) for t in view.waiting],
        "skipped": [ticket_fields(t) for t in view.skipped],
        "today": today_json(view.today),
        "seq": view.seq,
    }
