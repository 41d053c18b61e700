"""The reports pages of the console (issue 13): /admin/reports (period and scope pickers, each chart with its table,
downloads) and /admin/reports/monthly (the printable A4 *laporan bulanan*). /reports leads there.

Admins and supervisors sign in as for the rest of the console; the use cases decide what a supervisor may see.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, stream_with_context, url_for

from ..domain.report_period import (
    PERIOD_KINDS,
    BadQuery,
    Scope,
    check_range,
    parse_day,
    period_bounds,
    period_label,
)
from ..services import reports
from ..services.reports_export import report_tables, scope_label, summary_csv, summary_xlsx, tickets_csv
from .admin_base import actor, bp, console_page, ctx
from .reports_charts import charts

pages = Blueprint("reports_pages", __name__)  # the short address /reports
KIND_LABELS = {"day": "Hari", "week": "Minggu", "month": "Bulan", "year": "Tahun", "range": "Rentang tanggal"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pages.get("/reports")
def short() -> Any:
    return redirect(url_for("admin.reports", **request.args.to_dict()))


def _today() -> date:
    return ctx().now().date()


def _period() -> tuple[str, date, date]:
    """The period asked for: a kind (day … year) around `date`, or `from`–`to` (kind "range")."""
    kind = request.args.get("kind") or "month"
    if kind not in PERIOD_KINDS:
        raise BadQuery("bad_period_kind", "Jenis periode tidak dikenal.")
    if kind == "range":
        start, end = check_range(parse_day(request.args.get("from"), "from"), parse_day(request.args.get("to"), "to"))
        return kind, start, end
    anchor = parse_day(request.args.get("date"), "date") if request.args.get("date") else _today()
    return (kind, *period_bounds(kind, anchor))


def _scope() -> Scope:
    values = {k: (request.args.get(k) or "").strip()[:64] or None for k in ("agency", "service", "counter", "clerk")}
    return Scope(**values)


def _choices() -> dict[str, list[tuple[str, str]]]:
    """What the scope pickers offer this user: a supervisor only their agencies and those agencies' parts."""
    site, who = ctx().site, actor()
    own = None if who.role == "admin" else set(who.agencies)
    agencies = [(a.code, a.name) for a in site.agencies.values() if own is None or a.code in own]
    codes = {a for a, _ in agencies}
    services = [(s.code, f"{s.code} · {s.name}") for s in site.services.values() if s.agency in codes]
    mine = {s for s, _ in services}
    counters = [(c.code, c.name) for c in site.counters.values() if mine.intersection(c.services)]
    return {"agencies": agencies, "services": services, "counters": counters}


@bp.get("/reports", endpoint="reports")
@console_page
def reports_page() -> Any:
    kind, start, end = _period()
    scope = _scope()
    summary = reports.summary(ctx(), actor(), start, end, scope)
    args = request.args.to_dict()
    return render_template("reports/page.html", summary=summary, tables=report_tables(summary, ctx().site),
                charts=charts(summary, _today()), kind=kind, kinds=KIND_LABELS, args=args, choices=_choices(),
                anchor=request.args.get("date") or _today().isoformat(), label=period_label(start, end),
                scope_text=scope_label(ctx().site, summary.scope), today=_today().isoformat(),
                month=start.strftime("%Y-%m"), heat_top=max(max(row) for row in summary.heatmap))


def _download(body: Any, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/reports/export.<fmt>")
@console_page
def reports_export(fmt: str) -> Any:
    _, start, end = _period()
    scope, site = _scope(), ctx().site
    stem = f"laporan-antre-{start.isoformat()}-{end.isoformat()}"
    if fmt == "tickets.csv":
        records = reports.ticket_records(ctx(), actor(), start, end, scope)
        return _download(stream_with_context(tickets_csv(records, site)), "text/csv", f"tiket-{stem[14:]}.csv")
    summary = reports.summary(ctx(), actor(), start, end, scope)
    if fmt == "csv":
        return _download("\ufeff" + summary_csv(summary, site), "text/csv", f"{stem}.csv")
    if fmt == "xlsx":
        return _download(summary_xlsx(summary, site), XLSX, f"{stem}.xlsx")
    raise BadQuery("bad_format", "Format unduhan: csv, xlsx atau tickets.csv.")


@bp.get("/reports/monthly")
@console_page
def reports_monthly() -> Any:
    value = request.args.get("month") or _today().strftime("%Y-%m")
    start, end = period_bounds("month", parse_day(f"{value[:7]}-01", "month"))
    summary = reports.summary(ctx(), actor(), start, end, _scope())
    tables = {t.key: t for t in report_tables(summary, ctx().site)}
    return render_template("reports/monthly.html", summary=summary, tables=tables, charts=charts(summary, _today()),
                label=period_label(start, end), scope_text=scope_label(ctx().site, summary.scope),
                printed=ctx().now().strftime("%d/%m/%Y %H.%M"))
