"""Report endpoints (issue 13): the summary of a period as JSON, CSV or XLSX, and the raw tickets as streamed CSV.
Admin and supervisor only; a supervisor's scope is checked by the use case (403 for another agency)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, request, stream_with_context

from ..domain.report_period import BadQuery, Scope, check_range, parse_day
from ..services import reports
from ..services.reports_export import summary_csv, summary_xlsx, tickets_csv
from .answers import reply
from .answers_office import Summary
from .inputs import require
from .inputs import service_context as _ctx

bp = Blueprint("reports", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CODE_MAX = 64



def _query() -> tuple[Any, Any, Scope]:
    """from, to and the scope from the query string (400 with a code when malformed)."""
    start, end = check_range(parse_day(request.args.get("from"), "from"), parse_day(request.args.get("to"), "to"))
    values = {k: (request.args.get(k) or None) for k in ("agency", "service", "counter", "clerk")}
    for name, value in values.items():
        if value is not None and len(value) > CODE_MAX:
            raise BadQuery("bad_param", f"Parameter '{name}' terlalu panjang.", param=name)
    return start, end, Scope(**values)


def _filename(start: Any, end: Any, ext: str) -> str:
    return f"laporan-antre-{start.isoformat()}-{end.isoformat()}.{ext}"


@bp.get("/reports/summary")
@require("supervisor")
def summary() -> Any:
    start, end, scope = _query()
    return reply(Summary, reports.summary(_ctx(), g.principal, start, end, scope).to_dict())


@bp.get("/reports/summary.csv")
@require("supervisor")
def summary_as_csv() -> Any:
    start, end, scope = _query()
    ctx = _ctx()
    text = summary_csv(reports.summary(ctx, g.principal, start, end, scope), ctx.site)
    return Response("\ufeff" + text, mimetype="text/csv",  # the BOM makes Excel read UTF-8
                    headers={"Content-Disposition": f'attachment; filename="{_filename(start, end, "csv")}"'})


@bp.get("/reports/summary.xlsx")
@require("supervisor")
def summary_as_xlsx() -> Any:
    start, end, scope = _query()
    ctx = _ctx()
    data = summary_xlsx(reports.summary(ctx, g.principal, start, end, scope), ctx.site)
    return Response(data, mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{_filename(start, end, "xlsx")}"'})


@bp.get("/reports/tickets.csv")
@require("supervisor")
def tickets_as_csv() -> Any:
    start, end, scope = _query()
    ctx = _ctx()
    records = reports.ticket_records(ctx, g.principal, start, end, scope)  # checks the scope before streaming
    name = f"tiket-{start.isoformat()}-{end.isoformat()}.csv"
    return Response(stream_with_context(tickets_csv(records, ctx.site)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
