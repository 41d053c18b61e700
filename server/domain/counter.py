"""A loket's working state: open, paused (Istirahat) or closed, and the fairness rule's priority streak."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class CounterStatus(StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


@dataclass(slots=True)
class CounterState:
    """What the database keeps of a counter between calls; `priority_streak` feeds `ordering.choose_next`."""

    code: str
    status: CounterStatus = CounterStatus.CLOSED
    priority_streak: int = 0
    clerk: str | None = None
    updated_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status is CounterStatus.OPEN
