"""The office side's JSON answers as pydantic models (see answers.py): accounts, devices and their health, the site
document's entries, the audit trail, reports and the satisfaction survey. Built by the services' `to_dict` and
report functions; described here once, for the OpenAPI document and the checked answers of the tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from .answers import Answer, OpenAnswer

# ---------------------------------------------------------------------------------------------- users, devices
Role = Literal["admin", "supervisor", "clerk"]
DeviceKind = Literal["kiosk", "display", "survey"]


class User(Answer):
    id: int
    username: str
    role: Role
    active: bool
    counters: list[str]
    agencies: list[str]
    last_login: datetime | None


class Device(Answer):
    id: int
    name: str
    kind: DeviceKind
    counter: str | None
    active: bool
    online: bool
    last_seen: datetime | None
    printer: str | None
    state: dict[str, Any] = Field(description="what the device last reported (printer, version, ip, uptime, …)")


class NewDeviceAnswer(Device):
    token: str = Field(description="the device token: shown in this answer only")


class DeviceHealth(Answer):
    id: int
    name: str
    kind: DeviceKind
    counter: str | None
    online: bool
    last_seen: datetime | None
    printer: str | None
    state: dict[str, Any]
    problems: list[Literal["offline", "paper_out", "printer_offline", "cover_open"]]


class DeviceAlert(Answer):
    device_id: int
    device: str
    kind: DeviceKind
    counter: str | None
    problem: str
    since: datetime | None
    text: str
    text_en: str


class HealthList(Answer):
    devices: list[DeviceHealth]
    alerts: list[DeviceAlert]


# ---------------------------------------------------------------------------------------------- site document
class SiteEntry(OpenAnswer):
    """One entry of the site document with config.toml's keys ([[service]]: code, agency, name, prefix, open,
    close, days, daily_quota, …; a booking-session setting: key, sessions or enabled)."""

    code: str | None = None
    key: str | None = None
    name: str | None = None
    retired: bool | None = None


class Ticker(Answer):
    key: Literal["ticker"]
    ticker: str


class ImportResult(Answer):
    dry_run: bool
    differences: list[str]


class AuditEntry(Answer):
    id: int
    at: datetime
    user: str
    action: str
    object: str = Field(description="e.g. service:KTP")
    old: Any
    new: Any


# ---------------------------------------------------------------------------------------------- reports
class Durations(Answer):
    count: int
    mean_s: float | None
    p50_s: float | None
    p90_s: float | None


class BookingCounts(OpenAnswer):
    made: int
    checked_in: int
    no_show: int
    cancelled: int


class BusyHour(Answer):
    hour: int
    arrivals: int


class ReportDay(OpenAnswer):
    date: date
    closed: bool
    note: str
    issued: int | None
    served: int | None


class ServiceRow(OpenAnswer):
    service: str
    name: str
    issued: int
    served: int
    wait_mean_s: float | None
    within_target: float | None
    target_minutes: int


class ClerkRow(OpenAnswer):
    clerk: str
    served: int
    mean_service_s: float | None
    idle_share: float | None


class Summary(OpenAnswer):
    """GET /reports/summary (domain/report_figures.py `Summary.to_dict`; the figures are defined in
    docs/reports.md). Open: the reports may add figures."""

    from_: date = Field(alias="from")
    to: date
    scope: dict[str, str]
    issued: int
    served: int
    skipped: int
    cancelled: int
    expired: int
    transferred: int
    wait: Durations
    service_time: Durations
    within_target: float | None = Field(description="share 0..1 of tickets called within the target wait")
    within_target_count: int
    bookings: BookingCounts | None
    arrivals_by_hour: dict[str, list[int]] = Field(description="mon..sun: 24 hourly counts each")
    busiest_hours: list[BusyHour]
    days: list[ReportDay]
    services: list[ServiceRow]
    clerks: list[ClerkRow]


# ---------------------------------------------------------------------------------------------- survey
class ScoreText(Answer):
    score: int
    text: str


class Question(Answer):
    code: str = Field(examples=["U1"])
    element: str
    text: str
    options: list[ScoreText]


class ProfileChoice(Answer):
    code: str
    text: str


class ProfileField(Answer):
    label: str
    options: list[ProfileChoice]


class SurveyState(Answer):
    state: Literal["open", "answered", "not_served"]


class SurveyRecorded(Answer):
    status: Literal["recorded"]
    message: str


class SurveyOffer(Answer):
    token: str
    number: str
    service: str
    service_name: str


class CurrentIkm(Answer):
    respondents: int
    ikm: float | None
    mutu: str | None
    since: date
    days: int


class IkmElement(Answer):
    code: str
    name: str
    total: int
    nrr: float | None
    weighted: float | None
    converted: float
    mutu: str
    kinerja: str


class IkmMonth(Answer):
    month: str
    respondents: int
    ikm: float
    mutu: str


class IkmService(Answer):
    service: str
    name: str
    agency: str
    respondents: int
    ikm: float
    mutu: str


class Suggestion(Answer):
    id: int
    date: date
    service: str
    agency: str
    counter: str | None
    comment: str
    follow_up: str
    reply: str | None
    replied_by: str | None
    replied_at: datetime | None


class IkmReport(Answer):
    """GET /reports/ikm: the IKM of a period per Permenpan RB 14/2017 (services/survey_report.py)."""

    from_: date = Field(alias="from")
    to: date
    agency: str | None
    service: str | None
    respondents: int
    nrr: dict[str, float | None]
    ikm: float | None = Field(description="25–100, two decimals")
    mutu: str | None
    kinerja: str | None
    unit: float | None
    elements: list[IkmElement]
    weakest: list[str]
    population: int
    min_sample: int
    sample_enough: bool
    profile: dict[str, dict[str, int]]
    months: list[IkmMonth]
    services: list[IkmService]
    suggestions: list[Suggestion]


class FollowUp(Answer):
    id: int
    follow_up: Literal["baru", "ditindaklanjuti", "selesai"]
    reply: str
