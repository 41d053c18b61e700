"""Domain events: what happened, recorded by use cases and handed to transports after the commit.

One use case produces one event. `seq` is the site-wide sequence number given at commit (0 before). Events carry
everything a screen needs, taken inside the transaction: `lines` (the new standings of every service the event
touched), a ticket event's ticket with its standing, the tile of the loket where it happened and, when a ticket was
finished there, that loket's day. So transports turn an event into messages without another query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from .standing import CounterTile, CounterToday, ServiceLine, TicketInfo


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    seq: int = field(default=0, kw_only=True)
    lines: dict[str, ServiceLine] = field(default_factory=dict, kw_only=True)

    @property
    def waiting(self) -> dict[str, int]:
        """The new waiting counts of the services this event touched."""
        return {service: line.waiting for service, line in self.lines.items()}

    @property
    def name(self) -> str:
        """`TicketCalled` → `ticket_called` (the wire name)."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", type(self).__name__).lower()


@dataclass(frozen=True, slots=True)
class TicketEvent(Event):
    """A ticket changed. `counter` is the loket where it happened (kept after a transfer empties the ticket's own),
    `tile` that loket afterwards, `today` its day when a ticket was finished there."""

    info: TicketInfo
    counter: str | None = None
    tile: CounterTile | None = None
    today: CounterToday | None = None

    @property
    def ticket_id(self) -> int:
        assert self.info.ticket.id is not None
        return self.info.ticket.id

    @property
    def token(self) -> str:
        return self.info.ticket.token

    @property
    def number(self) -> str:
        return self.info.ticket.number

    @property
    def service(self) -> str:
        return self.info.ticket.service

    @property
    def status(self) -> str:
        return self.info.ticket.status.value

    @property
    def priority(self) -> str | None:
        return self.info.ticket.priority.value if self.info.ticket.priority else None


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
    tile: CounterTile
    clerk: str | None = None

    @property
    def counter(self) -> str:
        return self.tile.code

    @property
    def status(self) -> str:
        return self.tile.status.value


@dataclass(frozen=True, slots=True)
class DayClosed(Event):
    """The daily reset: tickets of earlier days were expired and every counter was closed."""

    day: str
    expired: int = 0


@dataclass(frozen=True, slots=True)
class SiteChanged(Event):
    """An administrator changed the site (agencies, services, counters, hours, booking sessions, display texts):
    `version` is the stored site version every process and screen should now use."""

    version: int
