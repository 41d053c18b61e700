"""The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__)

_ERROR = {"$ref": "#/components/schemas/Error"}
_TICKET = {"$ref": "#/components/schemas/Ticket"}
_BEARER = [{"bearer": []}]


def _op(summary: str, ok: dict[str, Any], *, body: dict[str, Any] | None = None, auth: bool = False,
        errors: tuple[int, ...] = (), params: list[dict[str, Any]] | None = None, ok_status: str = "200") -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {ok_status: {"description": "OK", "content": {
        "application/json": {"schema": ok}}}}}
    for status in (*errors, *((401, 403) if auth else ())):
        op["responses"][str(status)] = {"description": "error", "content": {"application/json": {"schema": _ERROR}}}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if auth:
        op["security"] = _BEARER
    if params:
        op["parameters"] = params
    return op


def _obj(**props: Any) -> dict[str, Any]:
    required = [k for k, v in props.items() if not v.pop("optional", False)]
    return {"type": "object", "required": required, "properties": props}


def _s(**extra: Any) -> dict[str, Any]:
    return {"type": "string", **extra}


_CODE = {"name": "code", "in": "path", "required": True, "schema": _s()}
_TOKEN = {"name": "token", "in": "path", "required": True, "schema": _s()}
_COUNTER_ACTION = _obj(ticket=_TICKET)


def _counter_action(summary: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"post": _op(summary, _COUNTER_ACTION, auth=True, errors=(404, 409, 422), params=[_CODE], body=body)}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Antre queue server", "version": "1",
             "description": "REST API of Antre. Errors are {\"error\": {\"code\", \"message\"}} with a 4xx status."},
    "servers": [{"url": "/api/v1"}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": _obj(error=_obj(code=_s(), message=_s())),
            "Ticket": _obj(
                id={"type": "integer"}, number=_s(examples=["A001"]), service=_s(),
                status=_s(enum=["waiting", "called", "serving", "done", "skipped", "cancelled"]),
                priority={"enum": [None, "lansia", "disabilitas", "ibu_hamil", "balita"]},
                ahead={"type": "integer"}, eta_minutes={"type": "integer"}, issued_at=_s(format="date-time"),
                token=_s(), status_url=_s(format="uri"),
                counter={"type": ["string", "null"], "optional": True},
            ),
            "Service": _obj(code=_s(), name=_s(), agency=_s(), prefix=_s(), open_now={"type": "boolean"},
                            waiting={"type": "integer"}, eta_minutes={"type": "integer"}),
        },
    },
    "paths": {
        "/health": {"get": _op("Liveness", _obj(status=_s(enum=["ok"])))},
        "/auth/token": {"post": _op("Log in: username + password → bearer token", _obj(token=_s()),
                                    body=_obj(username=_s(), password=_s()), errors=(400, 401, 415, 422, 429))},
        "/auth/logout": {"post": _op("Revoke the bearer token sent", _obj(status=_s()), auth=True)},
        "/auth/me": {"get": _op("Who the bearer token is", _obj(name=_s(), role=_s()), auth=True)},
        "/services": {"get": _op("Services with their state now", {"type": "array", "items": {
            "$ref": "#/components/schemas/Service"}})},
        "/tickets": {"post": {**_op("Issue a ticket (kiosk device token or clerk); Idempotency-Key header "
                                    "makes a retry return the same ticket (200)", _TICKET, ok_status="201",
                                    body=_obj(service=_s(), priority={"enum": [None, "lansia", "disabilitas",
                                              "ibu_hamil", "balita"], "optional": True}),
                                    auth=True, errors=(400, 404, 409, 415, 422)),
                              "parameters": [{"name": "Idempotency-Key", "in": "header", "schema": _s(maxLength=128)}]}},
        "/tickets/{token}": {"get": _op("One ticket, by its status token", _TICKET, errors=(404,), params=[_TOKEN])},
        "/tickets/{token}/cancel": {"post": _op("The visitor cancels", _TICKET, errors=(404, 409), params=[_TOKEN])},
        "/counters": {"get": _op("Counters the clerk may work at", {"type": "array"}, auth=True)},
        "/counters/{code}": {"get": _op("A counter's working view", {"type": "object"}, auth=True,
                                        errors=(404,), params=[_CODE])},
        "/counters/{code}/call-next": {"post": {**_op("Call the next ticket (204 when nobody waits)", _COUNTER_ACTION,
                                                      auth=True, errors=(404, 409), params=[_CODE]),
                                                "responses": {"200": {"description": "called"},
                                                              "204": {"description": "nobody waits"}}}},
        "/counters/{code}/recall": _counter_action("Announce the current ticket again, or bring back a skipped one",
                                                   _obj(number=_s(optional=True))),
        "/counters/{code}/start": _counter_action("Start serving the called ticket"),
        "/counters/{code}/finish": _counter_action("Finish the ticket being served"),
        "/counters/{code}/skip": _counter_action("Mark the called ticket as a no-show"),
        "/counters/{code}/transfer": _counter_action("Send the current ticket to another service", _obj(service=_s())),
        "/counters/{code}/open": _counter_action("Open the counter"),
        "/counters/{code}/pause": _counter_action("Pause the counter (Istirahat)"),
        "/counters/{code}/close": _counter_action("Close the counter (Tutup Loket)"),
        "/display/snapshot": {"get": _op("Everything a display needs, with the current seq", {"type": "object"})},
    },
}


# Account administration (server/api/admin_accounts.py): admin; a supervisor for their agencies' clerks and devices.
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
_CODES = {"type": "array", "items": _s(), "optional": True}
_USER = _obj(id={"type": "integer"}, username=_s(), role=_s(enum=["admin", "supervisor", "clerk"]),
             active={"type": "boolean"}, counters={"type": "array", "items": _s()},
             agencies={"type": "array", "items": _s()}, last_login={"type": ["string", "null"], "format": "date-time"})
_DEVICE = _obj(id={"type": "integer"}, name=_s(), kind=_s(enum=["kiosk", "display", "survey"]),
               counter={"type": ["string", "null"]}, active={"type": "boolean"}, online={"type": "boolean"},
               last_seen={"type": ["string", "null"], "format": "date-time"}, printer={"type": ["string", "null"]},
               state={"type": "object"})
_OK = _obj(status=_s(enum=["ok"]))
SPEC["paths"].update({
    "/users": {
        "get": _op("Users (a supervisor: the clerks of their agencies' counters)", {"type": "array", "items": _USER},
                   auth=True),
        "post": _op("Add a user (a supervisor: clerks at their own counters)", _USER, ok_status="201", auth=True,
                    body=_obj(username=_s(), role=_s(), password=_s(minLength=8), counters=dict(_CODES),
                              agencies=dict(_CODES)), errors=(400, 409, 415, 422)),
    },
    "/users/{id}": {"patch": _op("Change a user's role, counters or agencies (only what is given)", _USER,
                                 auth=True, params=[_ID], errors=(404, 409, 422),
                                 body=_obj(role=_s(optional=True), counters=dict(_CODES), agencies=dict(_CODES)))},
    "/users/{id}/disable": {"post": _op("Disable a user: 401 on their next request, sockets closed within 2 s",
                                        _OK, auth=True, params=[_ID], errors=(404, 409))},
    "/users/{id}/enable": {"post": _op("Enable a disabled user (they sign in again)", _OK, auth=True, params=[_ID],
                                       errors=(404,))},
    "/users/{id}/password": {"post": _op("Set a user's password; their sessions end", _OK, auth=True, params=[_ID],
                                         body=_obj(password=_s(minLength=8)), errors=(404, 422))},
    "/me/password": {"post": _op("Change your own password", _OK, auth=True, errors=(422,),
                                 body=_obj(old_password=_s(), new_password=_s(minLength=8)))},
    "/devices": {
        "get": _op("Devices with their state (a supervisor: shared ones and those at their counters)",
                   {"type": "array", "items": _DEVICE}, auth=True),
        "post": _op("Register a device (admin); the token is in this answer only", _DEVICE | {"properties": {
            **_DEVICE["properties"], "token": _s()}}, ok_status="201", auth=True, errors=(409, 422),
            body=_obj(name=_s(), kind=_s(enum=["kiosk", "display", "survey"]), counter=_s(optional=True))),
    },
    "/devices/{id}": {"delete": _op("Revoke a device's token: 401 next request, sockets closed within 2 s", _OK,
                                    auth=True, params=[_ID], errors=(404,))},
})


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(SPEC)
