"""A loket as the call replay (domain/projection) needs it: its services, streak, current visit and hours."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class OpenCounter:
    """A loket as the replay needs it: its services, its priority streak, seconds since it last called (its current
    visitor is assumed to need the rest of a typical service; None = unknown, half of one), and when it works:
    `windows` are (from, until) in seconds from now, in order — empty means open now and for the rest of the day
    (no schedule known). A loket that opens later or takes a break is given by its windows (site schedule)."""

    code: str
    services: tuple[str, ...]
    priority_streak: int = 0
    since_call: float | None = None
    windows: tuple[tuple[float, float], ...] = ()
    # Its current visit when known (`visit_known`): seconds since it called the ticket it has now, None when it has
    # none (free now). Unknown: guessed from `since_call` and whether anyone waits (`remaining_seconds`).
    visit_known: bool = False
    in_visit: float | None = None
    own_seconds: Mapping[str, float] = field(default_factory=dict)  # its own time per call of a service, where it
    # differs from the service's (a quicker or slower clerk)

    @property
    def open_now(self) -> bool:
        return not self.windows or self.windows[0][0] <= 0
