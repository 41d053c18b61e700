"""Domain events of online booking. They carry no personal data (no name, NIK, phone, nor the booking code)."""

from __future__ import annotations

from dataclasses import dataclass

from .events import Event


@dataclass(frozen=True, slots=True)
class BookingEvent(Event):
    service: str
    day: str  # ISO date of the booking
    session: str


@dataclass(frozen=True, slots=True)
class BookingCreated(BookingEvent):
    pass


@dataclass(frozen=True, slots=True)
class BookingCancelled(BookingEvent):
    pass


@dataclass(frozen=True, slots=True)
class BookingRescheduled(BookingEvent):
    from_day: str = ""
    from_session: str = ""


@dataclass(frozen=True, slots=True)
class BookingCheckedIn(BookingEvent):
    number: str = ""  # the ticket it became


@dataclass(frozen=True, slots=True)
class BookingsExpired(Event):
    """The sweep marked bookings whose check-in window closed as *tidak hadir*."""

    count: int = 0
