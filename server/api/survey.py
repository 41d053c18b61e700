"""REST of the satisfaction survey: the questionnaire, a visitor's answer for a finished ticket, what a survey
tablet should ask now, the IKM report (admin, supervisor) and the follow-up of a suggestion."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request

from ..domain.accounts import Principal
from ..services import accounts, survey, survey_report
from .answers import reply
from .answers_office import (
    CurrentIkm,
    FollowUp,
    IkmReport,
    ProfileField,
    Question,
    SurveyOffer,
    SurveyRecorded,
    SurveyState,
)
from .errors import ApiError
from .inputs import bearer_token, require
from .inputs import service_context as _ctx
from .schemas import FollowUpBody, SurveyAnswer, parse

bp = Blueprint("survey", __name__)



def _lang() -> str:
    return "en" if request.args.get("lang") == "en" else "id"


def _optional_device() -> Principal | None:
    """A survey tablet sends its device token; a visitor's phone sends none (the ticket token is the key)."""
    token = bearer_token()
    if token is None:
        return None
    principal = accounts.resolve(_ctx(), token)
    return principal if principal.role == "survey" else None


@bp.get("/survey/questions")
def questions() -> Any:
    return reply(list[Question], survey.questions(_lang()))


@bp.get("/survey/profile")
def profile() -> Any:
    return reply(dict[str, ProfileField], survey.profile_options(_lang()))


@bp.get("/survey/current")
def current() -> Any:
    """This month's IKM and mutu of the site (or `?agency=`): public, as units must publish it (e.g. a TV ticker)."""
    agency = request.args.get("agency") or None
    if agency is not None and agency not in _ctx().site.agencies:
        raise ApiError(404, "unknown_agency", "Instansi tidak dikenal.")
    return reply(CurrentIkm, survey_report.current_month(_ctx(), agency))


@bp.get("/tickets/<token>/survey")
def state(token: str) -> Any:
    return reply(SurveyState, {"state": survey.survey_state(_ctx(), token)})


@bp.post("/tickets/<token>/survey")
def answer(token: str) -> Any:
    submission = survey.parse_submission(parse(SurveyAnswer).model_dump())
    device = _optional_device()
    survey.submit(_ctx(), token, submission, source="tablet" if device else "status", device=device)
    return reply(SurveyRecorded, {"status": "recorded", "message": "Terima kasih, penilaian Anda sudah kami terima."},
                 201)


@bp.get("/survey/offer")
@require("survey")
def offer() -> Any:
    found = survey.tablet_offer(_ctx(), g.principal)
    return reply(SurveyOffer, found) if found else ("", 204)


@bp.get("/reports/ikm")
@require("supervisor")
def ikm() -> Any:
    ctx = _ctx()
    first, last = survey_report.parse_period(request.args.get("from"), request.args.get("to"), ctx.now().date())
    scope = survey_report.scope(ctx, g.principal, first, last, request.args.get("agency") or None,
                                request.args.get("service") or None)
    return reply(IkmReport, survey_report.ikm_report(ctx, scope, _lang()))


@bp.post("/survey/suggestions/<int:response_id>/follow-up")
@require("supervisor")
def follow_up(response_id: int) -> Any:
    body = parse(FollowUpBody)
    survey.set_follow_up(_ctx(), g.principal, response_id, body.state, body.reply)  # checks both (domain codes)
    return reply(FollowUp, {"id": response_id, "follow_up": body.state, "reply": body.reply.strip()})
