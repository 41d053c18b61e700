"""The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`, assembled from the operations table
(operations.py) and the pydantic models it names: each request and answer model's JSON Schema
(`model_json_schema(ref_template=...)`) becomes a component, so the description is the code's own (issue 17: 1)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from flask import Blueprint, jsonify
from pydantic import BaseModel

from .answers import Error, adapter
from .operations import FILE, OPERATIONS, Op

bp = Blueprint("openapi", __name__)

REF = "#/components/schemas/{model}"
_ERROR = {"$ref": REF.format(model="Error")}
_BEARER = [{"bearer": []}]
_QUERY_KINDS = {"limit": {"type": "integer", "minimum": 1, "maximum": 1000}, "from": {"type": "string",
                                                                                      "format": "date"},
                "to": {"type": "string", "format": "date"}}


def schema_of(shape: Any, components: dict[str, Any]) -> dict[str, Any]:
    """`shape`'s JSON Schema with every model as a reference into `components` (where it is added once)."""
    if shape is str:
        return {"type": "string"}
    if shape == FILE:
        return {"type": "string", "format": "binary"}
    if isinstance(shape, type) and issubclass(shape, BaseModel):
        _add_component(shape.__name__, shape.model_json_schema(ref_template=REF), components)
        return {"$ref": REF.format(model=shape.__name__)}
    schema = adapter(shape).json_schema(ref_template=REF)
    for name, sub in schema.pop("$defs", {}).items():
        _add_component(name, sub, components)
    return schema


def _add_component(name: str, schema: dict[str, Any], components: dict[str, Any]) -> None:
    for sub_name, sub in schema.pop("$defs", {}).items():
        _add_component(sub_name, sub, components)
    known = components.setdefault(name, schema)
    if known != schema:  # two models of one name would document one of them wrongly
        raise RuntimeError(f"two different schemas named {name} in the API description")


def _answer(shape: Any, media: str, components: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    if shape is None:
        return {"description": description}
    return {"description": description, "content": {media: {"schema": schema_of(shape, components)}}}


def operation(path: str, op: Op, components: dict[str, Any]) -> dict[str, Any]:
    """One operation's OpenAPI object: its summary, parameters, request body and answers."""
    out: dict[str, Any] = {"summary": op.summary, "responses": {
        str(op.status): _answer(op.ok, op.media, components)}}
    for status, shape in op.also.items():
        out["responses"][str(status)] = _answer(shape, "application/json", components,
                                                "nobody waits / nothing to offer" if shape is None else "the same "
                                                "answer again (a repeated request)")
    for status in op.errors:
        out["responses"][str(status)] = _error_answer()
    if op.body is not None:
        out["requestBody"] = {"required": True, "content": {op.body_media: {"schema": schema_of(op.body,
                                                                                                  components)}}}
    if op.auth:
        out["security"] = _BEARER
    params = [{"name": n, "in": "query", "required": n in op.required_query,
               "schema": _QUERY_KINDS.get(n, {"type": "string"})} for n in dict.fromkeys(op.required_query + op.query)]
    params += [{"name": h, "in": "header", "schema": {"type": "string", "maxLength": 128}} for h in op.headers]
    if params:
        out["parameters"] = params
    return out


def build() -> dict[str, Any]:
    """The document before `finalize`: every operation of the table, every model a component."""
    components: dict[str, Any] = {}
    schema_of(Error, components)
    paths = {path: {method: operation(path, op, components) for method, op in item.items()}
             for path, item in OPERATIONS.items()}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Antre queue server", "version": "1",
                 "description": "REST API of Antre. Errors are {\"error\": {\"code\", \"message\"}} with a 4xx "
                                "status. Schemas: server/api/schemas.py (requests), answers.py and answers_office.py "
                                "(answers)."},
        "servers": [{"url": "/api/v1"}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": components},
        "paths": paths,
    }


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
    """The finished document (built once)."""
    spec = finalize(build())
    _add_links(spec)
    return spec


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(document())
