"""Request bodies of `/api/v1` as pydantic models: one definition both checks a request (`parse(Model)`, the same
JSON errors as before: missing_field / invalid_field with the field) and describes it in /api/v1/openapi.json
(openapi.py puts each model in the document's components), so the description cannot drift from the code
(issue 17: 1). The answers' models are in answers.py and answers_office.py."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, WithJsonSchema

from ..domain.survey import FOLLOW_UP, MAX_COMMENT_CHARS, MAX_REPLY_CHARS
from ..services.devices_health import PRINTER_STATES
from .errors import ApiError
from .inputs import MAX_STRING, json_body

M = TypeVar("M", bound=BaseModel)
Text = Annotated[str, StringConstraints(max_length=MAX_STRING)]


class Body(BaseModel):
    """Strict JSON types (a number is no text, a boolean no number); unknown fields are ignored, as before."""

    model_config = ConfigDict(strict=True, extra="ignore")


class Login(Body):
    username: Text = Field(description="nama pengguna")
    password: Text


class IssueTicket(Body):
    service: Text = Field(description="a service code of GET /services")
    priority: Text | None = Field(None, description="a priority code of GET /priorities; null: regular")


class Transfer(Body):
    service: Text = Field(description="the service the current ticket goes to")


class Recall(Body):
    number: Text | None = Field(None, description="a skipped ticket's number to bring back; none: the current one")


class NewBooking(Body):
    service: Text
    date: Text = Field(description="YYYY-MM-DD")
    session: Text = Field(description="a session code of GET /booking/slots")
    name: Text
    nik: Text = Field(description="16 digits; stored as a hash, shown masked")
    consent: bool = Field(description="must be true (UU PDP)")
    phone: Text | None = None
    priority: Text | None = None
    website: Text | None = Field(None, description="honeypot: leave empty")


class BookingLookup(Body):
    code: Text
    nik_last4: Text


class BookingCancel(Body):
    nik_last4: Text


class BookingReschedule(Body):
    nik_last4: Text
    date: Text = Field(description="YYYY-MM-DD")
    session: Text


Code = Annotated[str, StringConstraints(min_length=1, max_length=MAX_STRING)]
Codes = Annotated[list[Code], Field(max_length=50, description="codes (counters, agencies)")]


class NewUser(Body):
    username: Text
    role: Text = Field(description="admin, supervisor or clerk")
    password: Text = Field(description="at least 8 characters")
    counters: Codes | None = None
    agencies: Codes | None = None


class UserChange(Body):
    role: Text | None = None
    counters: Codes | None = None
    agencies: Codes | None = None


class NewPassword(Body):
    password: Text = Field(description="at least 8 characters")


class OwnPassword(Body):
    old_password: Text
    new_password: Text = Field(description="at least 8 characters")


class NewDevice(Body):
    name: Text
    kind: Text = Field(description="kiosk, display or survey")
    counter: Text | None = Field(None, description="a display's or survey tablet's counter")


# ---------------------------------------------------------------------------------------------- devices
class Printed(Body):
    printed: bool = Field(description="false: the paper did not come out (the ticket is listed as unprinted)")
    reason: Text | None = Field(None, description="e.g. paper_out")


StateValue = Annotated[str, StringConstraints(max_length=40)]


class DeviceState(Body):
    """What a kiosk or display reports, e.g. {"printer": "paper_out"}: at most 10 short text values."""

    model_config = ConfigDict(strict=True, extra="allow", json_schema_extra={
        "maxProperties": 10, "additionalProperties": {"type": "string", "maxLength": 40}})
    __pydantic_extra__: dict[str, StateValue]
    printer: Literal[PRINTER_STATES] | None = None  # type: ignore[valid-type]


class Heartbeat(Body):
    """Documents the heartbeat; the domain checks it (devices_health: the same codes as over Socket.IO)."""

    version: Text | None = None
    ip: Text | None = None
    uptime: int | None = Field(None, description="seconds")
    printer: Literal[PRINTER_STATES] | None = None  # type: ignore[valid-type]
    error: Text | None = None


# ---------------------------------------------------------------------------------------------- survey
# The scores and profile are checked by the domain (domain/survey.py: invalid_score, missing_element,
# unknown_element, invalid_profile name the element); the model requires the object and documents the rule.
_SCORES = {"type": "object", "required": [f"U{i}" for i in range(1, 10)], "additionalProperties": False,
           "properties": {f"U{i}": {"type": "integer", "enum": [1, 2, 3, 4]} for i in range(1, 10)}}
_PROFILE = {"type": "object", "additionalProperties": False,
            "properties": {k: {"type": "string"} for k in ("age", "sex", "education", "occupation")},
            "description": "optional; the choices of GET /survey/profile"}


def checked(schema: dict[str, Any]) -> Any:
    """A value the domain checks (with its own codes, the same for every client); the model documents the rule."""
    return Annotated[Any, WithJsonSchema(schema)]


class SurveyAnswer(Body):
    answers: checked(_SCORES) = Field(description="U1..U9, each scored 1-4")  # type: ignore[valid-type]
    profile: checked(_PROFILE) = None  # type: ignore[valid-type]
    comment: checked({"type": ["string", "null"], "maxLength": MAX_COMMENT_CHARS}) = None  # type: ignore[valid-type]


class FollowUpBody(Body):
    state: checked({"enum": list(FOLLOW_UP)})  # type: ignore[valid-type]
    reply: Annotated[str, WithJsonSchema({"type": "string", "maxLength": MAX_REPLY_CHARS,
                                          "description": "required unless the state is baru"})] = ""


# ---------------------------------------------------------------------------------------------- site document
# config.toml's keys of each entry. null removes a key (PATCH); keys not listed go to the site validator as before,
# which decides what is required and names the field it refuses.
class SiteBody(Body):
    model_config = ConfigDict(strict=True, extra="allow")


Texts = Annotated[list[Code], Field(max_length=200)]


class AgencyBody(SiteBody):
    code: Text | None = None
    name: Text | None = None
    floor: int | None = None
    place: Text | None = Field(None, description="mpp or kelurahan")
    kecamatan: Text | None = None
    address: Text | None = None
    retired: bool | None = Field(None, description="false brings a retired entry back")


class ServiceBody(SiteBody):
    code: Text | None = None
    agency: Text | None = None
    name: Text | None = None
    prefix: Text | None = Field(None, description="letters, no I or O")
    open: Text | None = Field(None, description="HH:MM")
    close: Text | None = Field(None, description="HH:MM; 24:00 = end of day")
    days: Codes | None = Field(None, description="mon..sun")
    daily_quota: int | None = Field(None, description="0 = unlimited")
    cutoff_minutes: int | None = None
    target_wait_minutes: int | None = None
    spell_digits: bool | None = None
    requirements: Texts | None = None
    procedure: Texts | None = None
    duration: Text | None = None
    fee: Text | None = None
    product: Text | None = None
    complaint: Text | None = None
    retired: bool | None = None


class CounterBody(SiteBody):
    code: Text | None = None
    name: Text | None = None
    services: Codes | None = None
    hours: Annotated[list[Annotated[list[Text], Field(min_length=2, max_length=2)]], Field(max_length=24)] | None = \
        Field(None, description='the loket\'s daily working hours, e.g. [["08:00", "12:00"], ["13:00", "16:00"]]; '
                                "the estimate plans the loket by them (absent: open whenever its clerk opens it)")
    retired: bool | None = None


class HolidayBody(SiteBody):
    date: Text | None = Field(None, description="YYYY-MM-DD (the key)")
    name: Text | None = None
    retired: bool | None = None


class BreakBody(SiteBody):
    name: Text | None = Field(None, description="the key")
    start: Text | None = Field(None, description="HH:MM")
    end: Text | None = Field(None, description="HH:MM")
    days: Codes | None = None
    retired: bool | None = None


class SessionsBody(SiteBody):
    key: Text | None = Field(None, description="default, place:X or service:CODE")
    sessions: Annotated[list[dict[str, Any]], Field(max_length=20)] | None = Field(
        None, description="[{name, start, end, quota}]")
    enabled: bool | None = None


class TickerBody(Body):
    ticker: Annotated[str, StringConstraints(max_length=500)]


SITE_BODIES: dict[str, type[SiteBody]] = {
    "agencies": AgencyBody, "services": ServiceBody, "counters": CounterBody, "holidays": HolidayBody,
    "breaks": BreakBody, "booking-sessions": SessionsBody}


def parse(model: type[M], code: str = "invalid_field") -> M:
    """The request's JSON object as `model`; a 4xx in the API's error shape otherwise (json_body answers for the
    media type, the JSON syntax and absent required fields exactly as it always did). `code`: the error code of a
    wrong value (a device's state keeps its own, invalid_state)."""
    data = json_body(required=_required(model))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _api_error(exc, data, code) from None


@cache
def _required(model: type[BaseModel]) -> dict[str, type]:
    return {n: object for n, f in model.model_fields.items() if f.is_required()}


_KINDS = {"bool": "bool", "int": "int", "string": "str", "dict": "object", "literal": "salah satu nilai yang sah"}


def _api_error(exc: ValidationError, data: dict[str, Any], code: str) -> ApiError:
    first = exc.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else ""
    if first["type"] == "missing" or data.get(name, ...) is None:
        return ApiError(422, "missing_field", f"Kolom '{name}' wajib diisi.", field=name)
    if first["type"] == "string_too_long":
        return ApiError(422, code, f"Kolom '{name}' terlalu panjang.", field=name)
    if first["loc"][1:] or first["type"].startswith(("list_", "too_")):  # an item of a list, or the list itself
        return ApiError(422, code, f"Kolom '{name}' harus berupa daftar kode.", field=name)
    kind = _KINDS.get(first["type"].split("_")[0], "str")
    return ApiError(422, code, f"Kolom '{name}' harus bertipe {kind}.", field=name)
