"""The staffing plan page of the console (issue 15): /admin/plan?service=KTP&date=YYYY-MM-DD — counters needed per
hour (Erlang C's first guess and the simulated day's answer) beside the counters scheduled, for admins and for a
supervisor's own services. The numbers come from `simulate.plan.plan_for`; this module only parses and renders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import request

from ..domain.report_period import parse_day
from ..simulate.plan import plan_for
from .admin_base import actor, bp, console_page, ctx, page


def _services() -> list[tuple[str, str]]:
    """The services this user may plan: a supervisor only their agencies'."""
    who = actor()
    own = None if who.role == "admin" else set(who.agencies)
    return [(s.code, f"{s.code} · {s.name}") for s in ctx().site.services.values() if own is None or s.agency in own]


@bp.get("/plan", endpoint="plan")
@console_page
def plan_page() -> Any:
    services = _services()
    service = request.args.get("service") or (services[0][0] if services else "")
    day = parse_day(request.args.get("date"), "date") if request.args.get("date") else \
        ctx().now().date() + timedelta(days=1)
    weeks = int(request.args.get("weeks") or 4) if (request.args.get("weeks") or "4").isdigit() else 4
    result = plan_for(ctx(), actor(), service, day, weeks) if service else None
    return page("plan.html", result=result, services=services, service=service, day=day.isoformat(), weeks=weeks,
                inf=float("inf"))
