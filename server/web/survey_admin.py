"""The SKM report in the admin console (/admin/survey): the index per element with mutu and kinerja, the sample
against its minimum, the respondent profile, the trend by month, the index per service and the suggestions with
their follow-up; an XLSX export and a print-ready page. A supervisor sees and answers only their agencies'.

Its routes attach to the console's blueprint (same sign-in, layout and CSRF form); it adds its navigation entry and
words through a context processor, so the console's own modules stay as they are."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from flask import flash, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response

from ..domain import survey as skm
from ..domain.errors import DomainError
from ..services import survey, survey_report
from . import admin_base
from .admin_base import ActionForm, actor, bp, console_page, ctx, problem
from .admin_text import translate
from .booking_text import current_lang
from .survey_text import TEXT, st

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _t(key: str, /, **values: object) -> str:
    return st(key, **values) if key in TEXT else translate(key, **values)


@bp.context_processor
def _survey_nav() -> dict[str, Any]:
    shared = admin_base._shared()  # the console's navigation, plus the survey after the home/board entries
    nav = list(shared["nav"])
    if shared["user"] is not None and ("survey", "nav_survey") not in nav:
        at = max((i + 1 for i, (name, _) in enumerate(nav) if name in ("home", "board")), default=0)
        nav.insert(at, ("survey", "nav_survey"))
    return {"nav": nav, "t": _t}


def _page(name: str, **values: Any) -> tuple[str, int]:
    return render_template(f"survey/{name}", **values), 200


def _scope() -> survey_report.Scope:
    today = ctx().now().date()
    first, last = survey_report.parse_period(request.args.get("from"), request.args.get("to"), today)
    return survey_report.scope(ctx(), actor(), first, last, request.args.get("agency") or None,
                               request.args.get("service") or None)


def _choices() -> tuple[list[Any], list[Any]]:
    """The agencies and services this user may pick."""
    site, who = ctx().site, actor()
    own = None if who.role == "admin" else set(who.agencies)
    agencies = [a for a in site.agencies.values() if own is None or a.code in own]
    services = [s for s in site.services.values() if own is None or s.agency in own]
    return agencies, services


def _labels() -> dict[str, Any]:
    i = 1 if current_lang() == "en" else 0
    return {"elements": {code: element[i] for code, element, _, _ in skm.ELEMENTS},
            "profile": {k: (skm.PROFILE_LABELS[k][i], {o[0]: o[1 + i] for o in opts}) for k, opts in skm.PROFILE.items()},
            "follow_up": {k: v[i] for k, v in skm.FOLLOW_UP_LABELS.items()}}


def _scope_name(sc: survey_report.Scope) -> str:
    site = ctx().site
    if sc.service:
        return site.services[sc.service].name
    if sc.agency:
        return site.agencies[sc.agency].name
    return site.name


@bp.get("/survey", endpoint="survey")
@console_page
def survey_report_page() -> Any:
    try:
        sc = _scope()
    except DomainError as exc:
        if exc.status == 403:
            raise
        return problem(exc.status, exc.message)
    report = survey_report.ikm_report(ctx(), sc, current_lang())
    agencies, services = _choices()
    peak = max([m["respondents"] for m in report["months"]] or [1])
    return _page("report.html", report=report, scope=sc, scope_name=_scope_name(sc), agencies=agencies,
                services=services, labels=_labels(), form=ActionForm(), args=request.args.to_dict(), peak=peak,
                follow_up=skm.FOLLOW_UP)


@bp.get("/survey/print")
@console_page
def survey_print() -> Any:
    sc = _scope()
    report = survey_report.ikm_report(ctx(), sc, current_lang())
    return _page("print.html", report=report, scope=sc, scope_name=_scope_name(sc), labels=_labels(),
                grades=skm.GRADES, printed=ctx().now())


@bp.post("/survey/suggestions/<int:response_id>")
@console_page
def survey_follow_up(response_id: int) -> Response:
    back = url_for("admin.survey", **{k: v for k, v in request.args.items() if k in
                                                   ("from", "to", "agency", "service")})
    if not ActionForm().validate_on_submit():
        flash(translate("error_form_expired"), "error")
        return redirect(back)
    try:
        survey.set_follow_up(ctx(), actor(), response_id, request.form.get("state", ""), request.form.get("reply", ""))
    except DomainError as exc:
        if exc.status == 403:
            raise
        flash(exc.message, "error")
    else:
        flash(st("rp_saved"), "ok")
    return redirect(back + f"#s{response_id}")


@bp.get("/survey.xlsx")
@console_page
def survey_xlsx() -> Response:
    sc = _scope()
    report = survey_report.ikm_report(ctx(), sc, current_lang())
    data = workbook(report, _scope_name(sc), _labels())
    name = f"skm-{sc.first.isoformat()}-{sc.last.isoformat()}.xlsx"
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)


def workbook(report: dict[str, Any], scope_name: str, labels: dict[str, Any]) -> bytes:
    """The report as an XLSX file: the element table with the index, the profile, the trend and the suggestions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "IKM"
    bold = Font(bold=True)
    ws.append([st("rp_title")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([scope_name])
    ws.append([st("rp_period"), f"{_date(report['from'])} – {_date(report['to'])}"])
    ws.append([])
    ws.append([st("rp_code"), st("rp_element"), st("rp_total"), st("rp_nrr"), st("rp_weighted"), st("rp_converted"),
               st("rp_mutu")])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for e in report["elements"]:
        ws.append([e["code"], e["name"], e["total"], e["nrr"], e["weighted"], e["converted"], e["mutu"]])
    ws.append([])
    for key, value in (("rp_respondents", report["respondents"]), ("rp_unit", report["unit"]),
                       ("rp_ikm", report["ikm"]), ("rp_mutu", report["mutu"]), ("rp_kinerja", report["kinerja"]),
                       ("rp_population", report["population"]), ("rp_min_sample", report["min_sample"])):
        ws.append([st(key), value])
        ws.cell(ws.max_row, 1).font = bold
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 40
    prof = wb.create_sheet("Profil")
    for key, counts in report["profile"].items():
        title, names = labels["profile"][key]
        prof.append([title])
        prof.cell(prof.max_row, 1).font = bold
        for code, n in counts.items():
            prof.append([names.get(code, st("rp_unknown")), n])
        prof.append([])
    trend = wb.create_sheet("Tren")
    trend.append([st("rp_month"), st("rp_respondents"), st("rp_ikm"), st("rp_mutu")])
    for m in report["months"]:
        trend.append([m["month"], m["respondents"], m["ikm"], m["mutu"]])
    notes = wb.create_sheet("Saran")
    notes.append([st("rp_date"), st("rp_service"), st("rp_counter"), st("rp_comment"), st("rp_state"), st("rp_reply")])
    for s in report["suggestions"]:
        notes.append([s["date"], s["service"], s["counter"], s["comment"], labels["follow_up"][s["follow_up"]],
                      s["reply"]])
        for cell in notes[notes.max_row][3:]:
            cell.data_type = "s"  # what a visitor or officer wrote stays text: "=…" must never become a formula
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d-%m-%Y")
