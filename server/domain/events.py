"""Domain events: what happened, recorded by use cases and handed to transports after the commit.

One use case produces one event. `seq` is the site-wide sequence number given at commit (0 before); `waiting`
holds the new waiting counts of the services the event touched, so transports need no extra query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from .ticket import Ticket


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    seq: int = field(default=0, kw_only=True)
    waiting: dict[str, int] = field(default_factory=dict, kw_only=True)

    @property
    def name(self) -> str:
        """`TicketCalled` → `ticket_called` (the wire name)."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", type(self).__name__).lower()


@dataclass(frozen=True, slots=True)
class TicketEvent(Event):
    ticket_id: int
    token: str
    number: str
    service: str
    status: str
    priority: str | None
    counter: str | None = None


@dataclass(frozen=True, slots=True)
class TicketIssued(TicketEvent):
    source: str = "kiosk"


@dataclass(frozen=True, slots=True)
class TicketCalled(TicketEvent):
    counter_name: str = ""
    recall: bool = False


@dataclass(frozen=True, slots=True)
class TicketStarted(TicketEvent):
    pass


@dataclass(frozen=True, slots=True)
class TicketFinished(TicketEvent):
    pass


@dataclass(frozen=True, slots=True)
class TicketSkipped(TicketEvent):
    pass


@dataclass(frozen=True, slots=True)
class TicketCancelled(TicketEvent):
    pass


@dataclass(frozen=True, slots=True)
class TicketTransferred(TicketEvent):
    from_service: str = ""


@dataclass(frozen=True, slots=True)
class TicketPrintReported(TicketEvent):
    """The kiosk says whether the paper ticket came out (an unprinted ticket can be reprinted)."""

    printed: bool = True
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ReprintRequested(TicketEvent):
    """A clerk asked the issuing kiosk to print the ticket again (marked CETAK ULANG)."""

    device_id: int | None = None


@dataclass(frozen=True, slots=True)
class DeviceStateChanged(Event):
    """A kiosk or display reported its state (printer paper, connection)."""

    device: str
    kind: str
    state: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CounterStatusChanged(Event):
    counter: str
    status: str  # open | paused | closed
    clerk: str | None = None


def ticket_event(cls: type[TicketEvent], ticket: Ticket, at: datetime, waiting: dict[str, int],
                 **extra: object) -> TicketEvent:
    """Build a ticket event of type `cls` from the ticket's current state."""
    assert ticket.id is not None, "events are recorded after the ticket is stored"
    return cls(at, ticket_id=ticket.id, token=ticket.token, number=ticket.number, service=ticket.service,
               status=ticket.status.value, priority=ticket.priority.value if ticket.priority else None,
               counter=ticket.counter, waiting=waiting, **extra)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class DayClosed(Event):
    """The daily reset: tickets of earlier days were expired and every counter was closed."""

    day: str
    expired: int = 0
