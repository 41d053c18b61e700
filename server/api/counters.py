"""Counter endpoints for clerks: the counter's view and every action of the loket."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g

from ..services import counters, queries
from ..views import display as display_views
from ..views.counter import counter_json
from .answers import CounterAction, CounterBrief, CounterStatusAnswer, CounterView, DisplaySnapshot, reply
from .inputs import json_body, require, ticket_view
from .inputs import service_context as _ctx
from .schemas import Recall, Transfer, parse

bp = Blueprint("counters", __name__)


def _answer(info: Any) -> Any:
    return reply(CounterAction, {"ticket": ticket_view(info)})


@bp.get("/counters")
@require("clerk")
def index() -> Any:
    site = _ctx().site
    mine = [c for c in site.counters.values() if g.principal.role == "admin" or c.code in g.principal.counters]
    return reply(list[CounterBrief], [{"code": c.code, "name": c.name, "services": list(c.services)} for c in mine])


@bp.get("/counters/<code>")
@require("clerk")
def show(code: str) -> Any:
    return reply(CounterView, counter_json(queries.counter_view(_ctx(), g.principal, code)))


@bp.post("/counters/<code>/call-next")
@require("clerk")
def call_next(code: str) -> Any:
    json_body()
    info = counters.call_next(_ctx(), g.principal, code)
    if info is None:
        return Response(status=204)
    return _answer(info)


@bp.post("/counters/<code>/recall")
@require("clerk")
def recall(code: str) -> Any:
    return _answer(counters.recall(_ctx(), g.principal, code, parse(Recall).number))


@bp.post("/counters/<code>/start")
@require("clerk")
def start(code: str) -> Any:
    json_body()
    return _answer(counters.start(_ctx(), g.principal, code))


@bp.post("/counters/<code>/finish")
@require("clerk")
def finish(code: str) -> Any:
    json_body()
    return _answer(counters.finish(_ctx(), g.principal, code))


@bp.post("/counters/<code>/skip")
@require("clerk")
def skip(code: str) -> Any:
    json_body()
    return _answer(counters.skip(_ctx(), g.principal, code))


@bp.post("/counters/<code>/transfer")
@require("clerk")
def transfer(code: str) -> Any:
    return _answer(counters.transfer(_ctx(), g.principal, code, parse(Transfer).service))


@bp.post("/counters/<code>/<any(open, pause, close):action>")
@require("clerk")
def set_status(code: str, action: str) -> Any:
    json_body()
    status = {"open": "open", "pause": "paused", "close": "closed"}[action]
    return reply(CounterStatusAnswer, {"code": code, "status": counters.set_counter_status(_ctx(), g.principal, code,
                                                                                          status)})


@bp.get("/display/snapshot")
def display_snapshot() -> Any:
    return reply(DisplaySnapshot, display_views.display_snapshot(_ctx()))
