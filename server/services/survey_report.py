"""The SKM report of a period: the index (IKM) per element, the sample against Krejcie & Morgan's minimum, the
respondent profile, the trend by month, the index per service and the suggestions — for the whole site, an agency
or a service. A supervisor sees only their agencies (403 on another)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from ..domain import survey as skm
from ..domain.accounts import Principal
from ..domain.errors import Forbidden, Invalid, NotFound
from ..storage.survey_repo import StoredResponse, SurveyRepository
from .context import Context
from .site_access import require_staff

MAX_PERIOD_DAYS = 3 * 366
TREND_MONTHS = 12


@dataclass(frozen=True, slots=True)
class Scope:
    first: date
    last: date
    agency: str | None
    service: str | None
    services: set[str] | None  # None = every service (an admin over the whole site)


def parse_period(first: str | None, last: str | None, today: date) -> tuple[date, date]:
    """from/to as YYYY-MM-DD (site days, both included); missing: this month up to today."""
    try:
        a = date.fromisoformat(first) if first else today.replace(day=1)
        b = date.fromisoformat(last) if last else today
    except ValueError:
        raise Invalid("invalid_date", "Tanggal harus berformat YYYY-MM-DD.", field="from" if first else "to") from None
    if a > b:
        raise Invalid("invalid_period", "Tanggal 'from' harus sebelum atau sama dengan 'to'.", field="from")
    if (b - a).days > MAX_PERIOD_DAYS:
        raise Invalid("invalid_period", "Periode paling panjang tiga tahun.", field="to")
    return a, b


def scope(ctx: Context, actor: Principal, first: date, last: date, agency: str | None = None,
          service: str | None = None) -> Scope:
    """Which services a report covers; Forbidden when `actor` (a supervisor) asks for another agency's."""
    require_staff(actor)
    site = ctx.site
    own = None if actor.role == "admin" else set(actor.agencies)
    if service:
        svc = site.services.get(service)
        if svc is None:
            raise NotFound("unknown_service", f"Layanan '{service[:32]}' tidak dikenal.")
        if own is not None and svc.agency not in own:
            raise Forbidden("forbidden", f"Layanan {service} bukan milik instansi Anda.")
        return Scope(first, last, agency or svc.agency, service, {service})
    if agency:
        if agency not in site.agencies:
            raise NotFound("unknown_agency", f"Instansi '{agency[:32]}' tidak dikenal.")
        if own is not None and agency not in own:
            raise Forbidden("forbidden", f"Instansi {agency} bukan milik Anda.")
        return Scope(first, last, agency, None, {s.code for s in site.services.values() if s.agency == agency})
    if own is None:
        return Scope(first, last, None, None, None)
    return Scope(first, last, None, None, {s.code for s in site.services.values() if s.agency in own})


def _months_back(day: date, months: int) -> date:
    """The first day of the month `months` before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _dec(value: Fraction, places: int) -> float:
    step = 10 ** places
    return float((value * step + Fraction(1, 2)).__floor__()) / step


def index_json(index: skm.Index | None, lang: str = "id") -> dict[str, Any]:
    """The contract's fields: respondents, nrr per element, ikm (two decimals), mutu, kinerja; and the details."""
    if index is None:
        return {"respondents": 0, "nrr": {c: None for c in skm.CODES}, "ikm": None, "mutu": None, "kinerja": None,
                "unit": None, "elements": [], "weakest": []}
    i = 1 if lang == "en" else 0
    names = {code: element[i] for code, element, _, _ in skm.ELEMENTS}
    return {
        "respondents": index.respondents,
        "nrr": {e.code: _dec(e.nrr, 2) for e in index.elements},
        "ikm": float(index.ikm), "mutu": index.grade.mutu,
        "kinerja": index.grade.kinerja_en if lang == "en" else index.grade.kinerja,
        "unit": _dec(index.unit, 4),
        "elements": [{"code": e.code, "name": names[e.code], "total": e.total, "nrr": _dec(e.nrr, 2),
                      "weighted": _dec(e.weighted, 4), "converted": float(e.converted), "mutu": e.grade.mutu,
                      "kinerja": e.grade.kinerja_en if lang == "en" else e.grade.kinerja}
                     for e in index.elements],
        "weakest": list(index.weakest),
    }


def _profile(rows: list[StoredResponse]) -> dict[str, dict[str, int]]:
    out = {}
    for key, options in skm.PROFILE.items():
        counts = Counter(r.profile.get(key, "") for r in rows)
        out[key] = {code: counts.get(code, 0) for code, _, _ in options} | {"": counts.get("", 0)}
    return out


def _months(rows: list[StoredResponse]) -> list[dict[str, Any]]:
    by_month: dict[str, list[dict[str, int]]] = {}
    for r in rows:
        by_month.setdefault(r.local_date.strftime("%Y-%m"), []).append(r.answers)
    out = []
    for month in sorted(by_month):
        index = skm.compute_index(by_month[month])
        assert index is not None
        out.append({"month": month, "respondents": index.respondents, "ikm": float(index.ikm),
                     "mutu": index.grade.mutu})
    return out


def _by_service(ctx: Context, rows: list[StoredResponse]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, int]]] = {}
    for r in rows:
        groups.setdefault(r.service, []).append(r.answers)
    out = []
    for code in sorted(groups):
        index = skm.compute_index(groups[code])
        assert index is not None
        svc = ctx.site.services.get(code)
        out.append({"service": code, "name": svc.name if svc else code, "agency": svc.agency if svc else "",
                    "respondents": index.respondents, "ikm": float(index.ikm), "mutu": index.grade.mutu})
    return out


def suggestion_json(r: StoredResponse) -> dict[str, Any]:
    return {"id": r.id, "date": r.local_date.isoformat(), "service": r.service, "agency": r.agency,
            "counter": r.counter, "comment": r.comment, "follow_up": r.follow_up or "baru", "reply": r.reply,
            "replied_by": r.replied_by, "replied_at": r.replied_at.isoformat() if r.replied_at else None}


def ikm_report(ctx: Context, sc: Scope, lang: str = "id") -> dict[str, Any]:
    """Everything the SKM page, its export and GET /reports/ikm show for one scope and period."""
    with ctx.uow() as uow:
        repo = SurveyRepository(uow.conn)
        rows = repo.responses(sc.first, sc.last, sc.services)
        served = repo.served(sc.first, sc.last, sc.services)
        # The trend always covers the twelve months up to `to`, whatever the period, so a month's report still
        # shows where it stands in the year.
        since = min(sc.first, _months_back(sc.last, TREND_MONTHS - 1))
        trend = rows if since == sc.first else repo.responses(since, sc.last, sc.services)
    minimum = skm.minimum_sample(served)
    body = {"from": sc.first.isoformat(), "to": sc.last.isoformat(), "agency": sc.agency, "service": sc.service}
    body |= index_json(skm.compute_index(r.answers for r in rows), lang)
    body |= {"population": served, "min_sample": minimum, "sample_enough": len(rows) >= minimum and served > 0,
             "profile": _profile(rows), "months": _months(trend), "services": _by_service(ctx, rows),
             "suggestions": [suggestion_json(r) for r in reversed(rows) if r.comment]}
    return body


def current_month(ctx: Context, agency: str | None = None) -> dict[str, Any]:
    """This month's index of the whole site (or one agency), for a public ticker: no scoping, no suggestions."""
    today = ctx.now().date()
    services = None if agency is None else {s.code for s in ctx.site.services.values() if s.agency == agency}
    with ctx.uow() as uow:
        rows = SurveyRepository(uow.conn).responses(today.replace(day=1), today, services)
    index = skm.compute_index(r.answers for r in rows)
    return {"respondents": len(rows), "ikm": float(index.ikm) if index else None,
            "mutu": index.grade.mutu if index else None, "since": (today.replace(day=1)).isoformat(),
            "days": (today - today.replace(day=1) + timedelta(days=1)).days}
