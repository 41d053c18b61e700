"""Every JSON answer of `/api/v1` as a pydantic model, defined once: the OpenAPI document's components are generated
from these (openapi.py), the routes answer through `reply()` with the model that documents the answer, and with
ANTRE_CHECK_ANSWERS=1 (the test servers) every answer is validated against it, so an answer that drifts from its
description is a 500 in the tests (issue 17: 1). The shapes themselves are built by the view functions
(server/views/, the services' `to_dict`): these models describe them, they never build them.

In production nothing is validated here: issuing a ticket and call-next stay on their measured fast path."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import Any, Literal

from flask import Response
from flask.json.provider import DefaultJSONProvider
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from ..domain.booking import BookingStatus
from ..domain.counter import CounterStatus
from ..domain.ticket import Priority, Status

CHECK_ANSWERS = os.environ.get("ANTRE_CHECK_ANSWERS") == "1"


def one_of(enum: type[StrEnum] | tuple[str, ...]) -> Any:
    """A Literal of the enum's values: the domain stays the one list of codes, the schema gets an `enum`."""
    return Literal[tuple(e.value if isinstance(e, StrEnum) else e for e in enum)]  # type: ignore[valid-type]


TicketStatus = one_of(Status)
PriorityCode = one_of(Priority)
Minutes = str  # "2026-12-06T09:00+08:00": site time to the minute (a booking's check-in window)


class Answer(BaseModel):
    """A documented answer: JSON types exactly (strict), no field the description does not name."""

    model_config = ConfigDict(strict=True, extra="forbid")


class OpenAnswer(Answer):
    """An answer whose entries carry more keys than listed (site entries: config.toml's keys)."""

    model_config = ConfigDict(strict=True, extra="allow")


# ---------------------------------------------------------------------------------------------- errors, auth
class ErrorBody(Answer):
    code: str = Field(description="stable snake_case code, e.g. missing_field, session_full")
    message: str = Field(description="Bahasa Indonesia")
    details: dict[str, str] | None = Field(None, description="e.g. {\"field\": \"service\"}")


class Error(Answer):
    """Every 4xx: `{"error": {"code", "message"}}`."""

    error: ErrorBody


class Ok(Answer):
    status: Literal["ok"]


class Token(Answer):
    token: str = Field(description="send as Authorization: Bearer")
    token_type: Literal["Bearer"]


class Me(Answer):
    name: str
    kind: Literal["user", "device"]
    role: str = Field(description="admin, supervisor, clerk, kiosk, display or survey")
    counters: list[str]
    agencies: list[str]


# ---------------------------------------------------------------------------------------------- tickets, services
class TicketFields(Answer):
    """A ticket as a clerk's screen keeps it (views/tickets.py `ticket_fields`)."""

    id: int
    number: str = Field(examples=["A001"])
    service: str
    status: TicketStatus
    priority: PriorityCode | None
    counter: str | None
    queued_at: datetime | None = Field(description="microseconds: lists are ordered by it")
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    skipped_at: datetime | None
    recalls: int
    transferred_from: str | None
    source: str = Field(description="kiosk, counter, online, …")
    printed: bool


class Ticket(TicketFields):
    """The contract's ticket (views/tickets.py `ticket_json`): with names, standing and the status link."""

    service_name: str
    agency: str | None
    status_label: str
    priority_label: str | None
    ahead: int
    eta_minutes: int | None
    eta_seconds: int | None
    no_counter_open: bool
    counter_name: str | None
    token: str
    status_url: str


class CounterAction(Answer):
    ticket: Ticket


class ServiceFacts(Answer):
    """What a citizen reads about a service (views/services.py `service_facts`)."""

    code: str
    name: str
    agency: str
    agency_name: str
    requirements: list[str]
    procedure: list[str]
    duration: str
    fee: str
    product: str
    complaint: str
    days: list[str]


class Service(ServiceFacts):
    """A service with its state now (services/queries.py `list_services`)."""

    prefix: str
    open_now: bool
    closed_reason: str | None
    closed_message: str | None
    waiting: int
    eta_minutes: int | None
    eta_seconds: int | None
    no_counter_open: bool
    daily_quota: int
    target_wait_minutes: int
    remaining: int | None
    open: str = Field(examples=["08:00"])
    close: str = Field(examples=["15:00", "24:00"])
    spell_digits: bool
    next_open: Minutes | None


class PriorityCategory(Answer):
    code: PriorityCode
    label: str = Field(examples=["Lansia"])
    label_en: str = Field(examples=["Elderly"])
    hint: str
    hint_en: str


# ---------------------------------------------------------------------------------------------- counters, display
class CounterBrief(Answer):
    code: str
    name: str
    services: list[str]


class CounterStatusAnswer(Answer):
    code: str
    status: one_of(CounterStatus)  # type: ignore[valid-type]


class CounterToday(Answer):
    served: int
    avg_service_minutes: float | None


class CounterView(Answer):
    """The clerk's working view of one loket (views/counter.py `counter_json`)."""

    code: str
    name: str
    services: list[str]
    status: one_of(CounterStatus)  # type: ignore[valid-type]
    current: TicketFields | None
    waiting: list[TicketFields]
    skipped: list[TicketFields]
    today: CounterToday
    seq: int


class Call(Answer):
    number: str
    service: str
    counter: str
    counter_name: str
    priority: PriorityCode | None
    recall: bool
    at: datetime


class Tile(Answer):
    code: str
    name: str
    services: list[str]
    status: one_of(CounterStatus)  # type: ignore[valid-type]
    number: str | None
    ticket_status: TicketStatus | None
    priority: PriorityCode | None


class DisplaySnapshot(Answer):
    """Everything a display needs (views/display.py `snapshot_json`)."""

    seq: int
    date: date
    site: str
    ticker: str
    calls: list[Call]
    counters: list[Tile]
    waiting: dict[str, int] = Field(description="people waiting per service code")


# ---------------------------------------------------------------------------------------------- booking
class Booking(Answer):
    """A booking as its holder or a clerk sees it, NIK and phone masked (views/booking.py `booking_json`)."""

    code: str
    service: str
    service_name: str
    agency: str
    agency_name: str
    place: str
    place_name: str
    date: date
    session: str
    session_name: str
    start: str | None
    end: str | None
    status: one_of(BookingStatus)  # type: ignore[valid-type]
    status_label: str
    name: str
    nik_masked: str
    phone_masked: str | None
    priority: PriorityCode | None
    priority_label: str | None
    checkin_opens: Minutes | None
    checkin_closes: Minutes | None
    checkin_open: bool
    ticket_number: str | None
    created_at: datetime


class NikWarning(Answer):
    code: str
    message: str


class NewBookingAnswer(Booking):
    nik_warnings: list[NikWarning] = Field(description="the NIK's soft checks (region, birth date): warnings only")


class CheckedIn(Ticket):
    booking: Booking


class Slot(Answer):
    session: str
    name: str
    start: str
    end: str
    quota: int
    remaining: int
    available: bool
    reason: str | None


class BookingDay(Answer):
    date: date
    open: bool
    reason: str | None


class PlaceSession(Answer):
    session: str
    name: str
    hours: str
    quota: int


class PlaceService(ServiceFacts):
    sessions: list[PlaceSession]


class Place(Answer):
    code: str
    name: str
    kind: str
    address: str
    services: list[PlaceService]


# ---------------------------------------------------------------------------------------------- reply
@cache
def adapter(shape: Any) -> TypeAdapter[Any]:
    return TypeAdapter(shape)


# What Flask's `jsonify` writes with the app's settings (app.py: keys unsorted, UTF-8 as is; compact outside debug
# mode, which the server never runs in), by one encoder built once: jsonify makes a new `json.JSONEncoder` and goes
# through three layers of keyword defaults on every answer (issue 11; tests/hardening/test_api_schemas.py compares).
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=False, separators=(",", ":"),
                           default=DefaultJSONProvider.default).encode


def reply(shape: Any, data: Any, status: int = 200) -> tuple[Response, int]:
    """`data` as the JSON answer documented by `shape` (a model, or `list[Model]`); checked against it when the
    server runs with ANTRE_CHECK_ANSWERS=1, so a test fails on an answer that left its description."""
    response = Response(_encode(data) + "\n", content_type="application/json")
    if CHECK_ANSWERS:
        adapter(shape).validate_json(response.get_data(), strict=True)
    return response, status
