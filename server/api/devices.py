"""Device endpoints: print reports and printer state from kiosks, reprint requests and unprinted list for clerks."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request

from ..services import devices, devices_health
from .answers import Ticket, reply
from .answers_office import DeviceHealth, HealthList
from .inputs import json_body, require, ticket_view
from .inputs import service_context as _ctx
from .schemas import DeviceState, Printed, parse

bp = Blueprint("devices", __name__)



@bp.post("/tickets/<token>/printed")
@require("kiosk")
def printed(token: str) -> Any:
    body = parse(Printed)
    info = devices.report_printed(_ctx(), g.principal, token, body.printed, body.reason or "")
    return reply(Ticket, ticket_view(info))


@bp.post("/tickets/<token>/reprint")
@require("clerk")
def reprint(token: str) -> Any:
    json_body()
    return reply(Ticket, ticket_view(devices.request_reprint(_ctx(), g.principal, token)), 202)


@bp.get("/tickets/unprinted")
@require("clerk")
def unprinted() -> Any:
    return reply(list[Ticket], [ticket_view(info) for info in devices.unprinted_today(_ctx())])


@bp.post("/devices/me/state")
@require("kiosk", "display")
def device_state() -> Any:
    body = parse(DeviceState, code="invalid_state").model_dump(exclude_unset=True)
    return reply(dict[str, str], devices.report_device_state(_ctx(), g.principal, body))


@bp.post("/devices/me/heartbeat")
@require("kiosk", "display", "survey")
def heartbeat() -> Any:
    """The same heartbeat as over Socket.IO, for a device without a socket (a survey tablet's page)."""
    health = devices_health.heartbeat(_ctx(), g.principal, json_body(), request.remote_addr or "")
    return reply(DeviceHealth, health.to_dict())


@bp.get("/devices/health")
@require("supervisor")
def health() -> Any:
    """Every active device's health and the open alerts (what the console's device page shows)."""
    found = devices_health.health(_ctx())
    return reply(HealthList, {"devices": [d.to_dict() for d in found],
                              "alerts": [a.to_dict() for a in devices_health.alerts_of(found)]})
