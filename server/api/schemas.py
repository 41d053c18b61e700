"""Request bodies of the main endpoints as pydantic models: one definition both checks a request
(`parse(Model)`, the same JSON errors as before: missing_field / invalid_field with the field) and describes it in
/api/v1/openapi.json (`body_schema(Model)`), so the description cannot drift from the code (issue 17: 1)."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

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


def parse(model: type[M]) -> M:
    """The request's JSON object as `model`; a 4xx in the API's error shape otherwise (json_body answers for the
    media type, the JSON syntax and absent required fields exactly as it always did)."""
    data = json_body(required={n: object for n, f in model.model_fields.items() if f.is_required()})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _api_error(model, exc, data) from None


def _api_error(model: type[BaseModel], exc: ValidationError, data: dict[str, Any]) -> ApiError:
    first = exc.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else ""
    if first["type"] == "missing" or data.get(name, ...) is None:
        return ApiError(422, "missing_field", f"Kolom '{name}' wajib diisi.", field=name)
    if first["type"] == "string_too_long":
        return ApiError(422, "invalid_field", f"Kolom '{name}' terlalu panjang.", field=name)
    if first["loc"][1:] or first["type"].startswith(("list_", "too_")):  # an item of a list, or the list itself
        return ApiError(422, "invalid_field", f"Kolom '{name}' harus berupa daftar kode.", field=name)
    field = model.model_fields.get(name)
    kind = "bool" if field is not None and field.annotation is bool else "str"
    return ApiError(422, "invalid_field", f"Kolom '{name}' harus bertipe {kind}.", field=name)


def body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """`model`'s JSON Schema for the OpenAPI document (titles dropped: the summary says what it is)."""
    schema = model.model_json_schema()
    schema.pop("title", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)
        prop.pop("default", None)
    return schema
