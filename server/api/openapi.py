"""The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`."""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

from flask import Blueprint, jsonify

from ..domain.ticket import Priority
from .schemas import (
    IssueTicket,
    Login,
    NewDevice,
    NewPassword,
    NewUser,
    OwnPassword,
    Recall,
    Transfer,
    UserChange,
    body_schema,
)

bp = Blueprint("openapi", __name__)

_ERROR = {"$ref": "#/components/schemas/Error"}
_TICKET = {"$ref": "#/components/schemas/Ticket"}
_BEARER = [{"bearer": []}]
_PRIORITY = {"enum": [None, *(p.value for p in Priority)]}  # the codes of GET /priorities; null: regular


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


def _counter_action(summary: str, body: dict[str, Any] | None = None, ok: dict[str, Any] = _COUNTER_ACTION
                    ) -> dict[str, Any]:
    return {"post": _op(summary, ok, auth=True, errors=(404, 409, 422), params=[_CODE], body=body)}


_COUNTER_STATUS = _obj(code=_s(), status=_s(enum=["open", "paused", "closed"]))


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
                priority=_PRIORITY,
                ahead={"type": "integer"}, eta_minutes={"type": ["integer", "null"]}, issued_at=_s(format="date-time"),
                token=_s(), status_url=_s(format="uri"),
                counter={"type": ["string", "null"], "optional": True},
            ),
            "Priority": _obj(code=_s(enum=[p.value for p in Priority]), label=_s(examples=["Lansia"]),
                             label_en=_s(examples=["Elderly"]), hint=_s(), hint_en=_s()),
            "Service": _obj(code=_s(), name=_s(), agency=_s(), prefix=_s(), open_now={"type": "boolean"},
                            waiting={"type": "integer"}, eta_minutes={"type": ["integer", "null"]}),
        },
    },
    "paths": {
        "/health": {"get": _op("Liveness", _obj(status=_s(enum=["ok"])))},
        "/auth/token": {"post": _op("Log in: username + password → bearer token", _obj(token=_s()),
                                    body=body_schema(Login), errors=(400, 401, 415, 422, 429))},
        "/auth/logout": {"post": _op("Revoke the bearer token sent", _obj(status=_s()), auth=True)},
        "/auth/me": {"get": _op("Who the bearer token is", _obj(name=_s(), role=_s()), auth=True)},
        "/services": {"get": _op("Services with their state now", {"type": "array", "items": {
            "$ref": "#/components/schemas/Service"}})},
        "/priorities": {"get": _op("Priority categories with their labels and hints (Bahasa Indonesia, English): "
                                   "every client shows these words", {"type": "array", "items": {
                                       "$ref": "#/components/schemas/Priority"}})},
        "/tickets": {"post": {**_op("Issue a ticket (kiosk device token or clerk); Idempotency-Key header "
                                    "makes a retry return the same ticket (200)", _TICKET, ok_status="201",
                                    body=body_schema(IssueTicket),
                                    auth=True, errors=(400, 404, 409, 415, 422)),
                              "parameters": [{"name": "Idempotency-Key", "in": "header", "schema": _s(maxLength=128)}]}},
        "/tickets/{token}": {"get": _op("One ticket, by its status token", _TICKET, errors=(404,), params=[_TOKEN])},
        "/tickets/{token}/cancel": {"post": _op("The visitor cancels", _TICKET, errors=(404, 409), params=[_TOKEN])},
        "/counters": {"get": _op("Counters the clerk may work at", {"type": "array"}, auth=True)},
        "/counters/{code}": {"get": _op("A counter's working view", {"type": "object"}, auth=True,
                                        errors=(404,), params=[_CODE])},
        "/counters/{code}/call-next": {"post": _op("Call the next ticket (204 when nobody waits)", _COUNTER_ACTION,
                                                   auth=True, errors=(404, 409), params=[_CODE])},
        "/counters/{code}/recall": _counter_action("Announce the current ticket again, or bring back a skipped one",
                                                   body_schema(Recall)),
        "/counters/{code}/start": _counter_action("Start serving the called ticket"),
        "/counters/{code}/finish": _counter_action("Finish the ticket being served"),
        "/counters/{code}/skip": _counter_action("Mark the called ticket as a no-show"),
        "/counters/{code}/transfer": _counter_action("Send the current ticket to another service",
                                                     body_schema(Transfer)),
        "/counters/{code}/open": _counter_action("Open the counter", ok=_COUNTER_STATUS),
        "/counters/{code}/pause": _counter_action("Pause the counter (Istirahat)", ok=_COUNTER_STATUS),
        "/counters/{code}/close": _counter_action("Close the counter (Tutup Loket)", ok=_COUNTER_STATUS),
        "/display/snapshot": {"get": _op("Everything a display needs, with the current seq", {"type": "object"})},
    },
}


# Account administration (server/api/admin_accounts.py): admin; a supervisor for their agencies' clerks and devices.
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}}
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
                    body=body_schema(NewUser), errors=(400, 409, 415, 422)),
    },
    "/users/{id}": {"patch": _op("Change a user's role, counters or agencies (only what is given)", _USER,
                                 auth=True, params=[_ID], errors=(404, 409, 422),
                                 body=body_schema(UserChange))},
    "/users/{id}/disable": {"post": _op("Disable a user: 401 on their next request, sockets closed within 2 s",
                                        _OK, auth=True, params=[_ID], errors=(404, 409))},
    "/users/{id}/enable": {"post": _op("Enable a disabled user (they sign in again)", _OK, auth=True, params=[_ID],
                                       errors=(404,))},
    "/users/{id}/password": {"post": _op("Set a user's password; their sessions end", _OK, auth=True, params=[_ID],
                                         body=body_schema(NewPassword), errors=(404, 422))},
    "/me/password": {"post": _op("Change your own password", _OK, auth=True, errors=(422,),
                                 body=body_schema(OwnPassword))},
    "/devices": {
        "get": _op("Devices with their state (a supervisor: shared ones and those at their counters)",
                   {"type": "array", "items": _DEVICE}, auth=True),
        "post": _op("Register a device (admin); the token is in this answer only", _DEVICE | {"properties": {
            **_DEVICE["properties"], "token": _s()}}, ok_status="201", auth=True, errors=(409, 422),
            body=body_schema(NewDevice)),
    },
    "/devices/{id}": {"delete": _op("Revoke a device's token: 401 next request, sockets closed within 2 s", _OK,
                                    auth=True, params=[_ID], errors=(404,))},
})


# Device health (server/api/devices.py, issue 16): the heartbeat for a device without a socket, and the health list.
_PRINTER = _s(enum=["ok", "paper_low", "paper_out", "cover_open", "offline", "unknown", "none"], optional=True)
_HEALTH = _obj(id={"type": "integer"}, name=_s(), kind=_s(), counter={"type": ["string", "null"]},
               online={"type": "boolean"}, last_seen={"type": ["string", "null"], "format": "date-time"},
               printer={"type": ["string", "null"]}, state={"type": "object"},
               problems={"type": "array", "items": _s(enum=["offline", "paper_out", "printer_offline", "cover_open"])})
_ALERT = _obj(device_id={"type": "integer"}, device=_s(), kind=_s(), counter={"type": ["string", "null"]},
              problem=_s(), since={"type": ["string", "null"], "format": "date-time"}, text=_s(), text_en=_s())
SPEC["paths"].update({
    "/devices/me/heartbeat": {"post": _op(
        "A kiosk, display or survey tablet says it is alive (the same as Socket.IO `heartbeat`)", _HEALTH,
        auth=True, errors=(415, 422), body=_obj(version=_s(optional=True), ip=_s(optional=True),
                                                uptime={"type": "integer", "optional": True}, printer=_PRINTER,
                                                error=_s(optional=True)))},
    "/devices/health": {"get": _op("Every active device's health and the open alerts (admin, supervisor)", _obj(
        devices={"type": "array", "items": _HEALTH}, alerts={"type": "array", "items": _ALERT}), auth=True)},
})


# Reports (server/api/reports.py, issue 13; figures defined in docs/reports.md): admin; a supervisor for their agencies.
_PERIOD = [{"name": n, "in": "query", "required": True, "schema": _s(format="date")} for n in ("from", "to")] + [
    {"name": n, "in": "query", "required": False, "schema": _s()} for n in ("agency", "service", "counter", "clerk")]
_DURATIONS = _obj(count={"type": "integer"}, mean_s={"type": ["number", "null"]}, p50_s={"type": ["number", "null"]},
                  p90_s={"type": ["number", "null"]})
_FILE = {"type": "string", "format": "binary"}
SPEC["paths"].update({
    "/reports/summary": {"get": _op("Every report figure of a period and scope", _obj(
        issued={"type": "integer"}, served={"type": "integer"}, skipped={"type": "integer"},
        cancelled={"type": "integer"}, expired={"type": "integer"}, transferred={"type": "integer"},
        wait=_DURATIONS, service_time=_DURATIONS, within_target={"type": ["number", "null"]}),
        auth=True, errors=(400,), params=_PERIOD)},
    "/reports/summary.csv": {"get": _op("The summary's tables as CSV", _FILE, auth=True, errors=(400,),
                                        params=_PERIOD)},
    "/reports/summary.xlsx": {"get": _op("The summary's tables as XLSX, a sheet per table", _FILE, auth=True,
                                         errors=(400,), params=_PERIOD)},
    "/reports/tickets.csv": {"get": _op("The period's tickets, one row each, site time, streamed", _FILE, auth=True,
                                        errors=(400,), params=_PERIOD)},
})


# Site administration (server/api/site_admin.py): admin; a supervisor for their agencies' services and counters.
# Bodies have config.toml's keys ([[service]]: code, agency, name, prefix, open, close, days, daily_quota, …).
_ENTRY = {"type": "object", "description": "one entry of the site document, with `retired`"}
_ENTRIES = {"type": "array", "items": _ENTRY}
_KEY = {"name": "key", "in": "path", "required": True, "schema": _s()}
_SITE_PATHS = {"agencies": ("agency", _CODE), "services": ("service", _CODE), "counters": ("counter", _CODE),
               "holidays": ("holiday (key: YYYY-MM-DD)", _KEY), "breaks": ("break (key: name or position)", _KEY),
               "booking-sessions": ("booking-session setting (key: default, place:X or service:CODE)", _KEY)}


def _site_admin_paths() -> None:
    paths = SPEC["paths"]
    for part, (what, param) in _SITE_PATHS.items():
        item = "{" + param["name"] + "}"
        paths.setdefault(f"/{part}", {})["post"] = _op(f"Add a {what}; live on every client within 2 s", _ENTRY,
                                                      ok_status="201", auth=True, body=_ENTRY,
                                                      errors=(400, 409, 415, 422))
        if part not in ("services", "counters"):  # GET /services and GET /counters are the kiosk's and clerk's
            paths[f"/{part}"]["get"] = _op(f"Every {what} (retired ones too)", _ENTRIES, auth=True)
        one = paths.setdefault(f"/{part}/{item}", {})
        if part != "counters":
            one["get"] = _op(f"One {what}", _ENTRY, auth=True, params=[param], errors=(404,))
        one["patch"] = _op(f"Change fields of a {what} (null removes a field); the key cannot change", _ENTRY,
                           auth=True, params=[param], body=_ENTRY, errors=(404, 409, 415, 422))
        one["delete"] = _op(f"Retire a {what}: out of the live site, kept in the document with its tickets",
                            _ENTRY, auth=True, params=[param], errors=(404, 409))
        paths[f"/site/{part}"] = {"get": _op(f"Every {what} (retired ones too)", _ENTRIES, auth=True)}
        paths[f"/site/{part}/{item}"] = {"get": _op(f"One {what}", _ENTRY, auth=True, params=[param],
                                                    errors=(404,))}
    paths["/display/ticker"] = {"get": _op("The display ticker text", _obj(key=_s(), ticker=_s()), auth=True),
                                "put": _op("Set the display ticker text", _obj(key=_s(), ticker=_s()), auth=True,
                                           body=_obj(ticker=_s(maxLength=500)), errors=(415, 422))}
    paths["/site/export"] = {"get": {**_op("The site as TOML (config.toml format)", _s(), auth=True),
                                     "responses": {"200": {"description": "TOML",
                                                           "content": {"application/toml": {"schema": _s()}}}}}}
    paths["/site/import"] = {"post": {**_op("Apply a site file (TOML body) as the next version; ?dry_run=1 only "
                                            "shows the differences", _obj(dry_run={"type": "boolean"}, differences={
                                                "type": "array", "items": _s()}), auth=True, errors=(422,)),
                                      "requestBody": {"required": True, "content": {
                                          "application/toml": {"schema": _s()}}}}}
    paths["/audit"] = {"get": _op("Who changed what, when, old and new value (newest first; ?object=service:KTP, "
                                  "?limit=200)", {"type": "array", "items": _obj(
                                      id={"type": "integer"}, at=_s(format="date-time"), user=_s(), action=_s(),
                                      object=_s(), old={}, new={})}, auth=True)}


_site_admin_paths()
SPEC["paths"]["/counters/{code}/call-next"]["post"]["responses"]["204"] = {"description": "nobody waits"}
SPEC["paths"]["/tickets"]["post"]["responses"]["200"] = {"description": "the same ticket again (an Idempotency-Key "
                                                                     "retry)", "content": {"application/json": {
                                                                         "schema": _TICKET}}}


# Printing and device state (server/api/devices.py): the kiosk's print report, a clerk's reprint, the unprinted list.
_STATE = {"type": "object", "maxProperties": 10, "additionalProperties": _s(maxLength=40),
          "description": "e.g. {\"printer\": \"paper_out\"}"}
SPEC["paths"].update({
    "/tickets/{token}/printed": {"post": _op("The issuing kiosk says whether the paper came out", _TICKET, auth=True,
                                             params=[_TOKEN], errors=(404, 415, 422), body=_obj(
                                                 printed={"type": "boolean"}, reason=_s(optional=True)))},
    "/tickets/{token}/reprint": {"post": _op("CETAK ULANG: the issuing kiosk prints the ticket again (a clerk whose "
                                             "counters serve its service, or an admin)", _TICKET, ok_status="202",
                                             auth=True, params=[_TOKEN], errors=(404, 422))},
    "/tickets/unprinted": {"get": _op("Today's tickets whose paper did not come out", {"type": "array",
                                                                                      "items": _TICKET}, auth=True)},
    "/devices/me/state": {"post": _op("A kiosk or display reports its state (printer: ok, paper_out, …)",
                                      {"type": "object"}, auth=True, body=_STATE, errors=(415, 422))},
})

# Report files are not JSON: their media types, so a client (and Schemathesis) knows what comes back.
for _path, _media in (("/reports/summary.csv", "text/csv"), ("/reports/tickets.csv", "text/csv"), (
        "/reports/summary.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
    SPEC["paths"][_path]["get"]["responses"]["200"]["content"] = {_media: {"schema": _FILE}}

# Answers every operation can give, besides its own: the input checks (server/http_guard.py) refuse bad text in
# the path or query (400) and in a body (422), a body too deep (400), too large (413) or not JSON (415); a token is
# missing (401) or not of the right role (403); a path names nothing (404); a limit is reached (429).
_RATE_LIMITED = ("/auth/token", "/bookings", "/bookings/lookup", "/bookings/{code}/cancel",
                 "/bookings/{code}/reschedule")
_INTEGER_PARAMS = ("id", "response_id")


# Links: what a created ticket or booking leads to (clients and Schemathesis' stateful phase follow them).
_LINKS = {
    ("/tickets", "post", "201"): {"token": "$response.body#/token", "to": [
        ("/tickets/{token}", "get"), ("/tickets/{token}/cancel", "post"), ("/tickets/{token}/survey", "get"),
        ("/tickets/{token}/printed", "post"), ("/tickets/{token}/reprint", "post")]},
    ("/bookings", "post", "201"): {"code": "$response.body#/code", "to": [
        ("/bookings/{code}/cancel", "post"), ("/bookings/{code}/reschedule", "post"),
        ("/bookings/{code}/check-in", "post")]},
}


def _add_links(spec: dict[str, Any]) -> None:
    for (path, method, status), link in _LINKS.items():
        answer = spec["paths"].get(path, {}).get(method, {}).get("responses", {}).get(status)
        if answer is None:
            continue
        name, value = next((k, v) for k, v in link.items() if k != "to")
        answer["links"] = {
            f"{target_method}{target.replace('/', '_').replace('{', '').replace('}', '')}": {
                "operationRef": "#/paths/" + target.replace("~", "~0").replace("/", "~1") + f"/{target_method}",
                "parameters": {name: value}}
            for target, target_method in link["to"] if target in spec["paths"]}


def _error_answer() -> dict[str, Any]:
    return {"description": "error", "content": {"application/json": {"schema": _ERROR}}}


def finalize(spec: dict[str, Any]) -> dict[str, Any]:
    """`spec` with every path parameter declared and every operation's common 4xx answers documented."""
    for path, item in spec["paths"].items():
        names = re.findall(r"{(\w+)}", path)
        for method, op in item.items():
            if method == "parameters":
                continue
            params = op.setdefault("parameters", [])
            declared = {p["name"] for p in params + item.get("parameters", []) if p.get("in") == "path"}
            for name in names:
                if name not in declared:
                    kind = {"type": "integer", "minimum": 0, "maximum": 2**31 - 1} if name in _INTEGER_PARAMS else {
                        "type": "string"}
                    params.append({"name": name, "in": "path", "required": True, "schema": kind})
            if not params:
                del op["parameters"]
            codes = [400]
            if "requestBody" in op:
                codes += [413, 415, 422]
            if op.get("security"):
                codes += [401, 403]
            if names:
                codes.append(404)
            if path in _RATE_LIMITED:
                codes.append(429)
            for code in codes:
                op["responses"].setdefault(str(code), _error_answer())
    return spec


@cache
def document() -> dict[str, Any]:
    """The finished document (built once, after every module added its paths at app start)."""
    spec = finalize(copy.deepcopy(SPEC))
    _add_links(spec)
    return spec


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(document())
