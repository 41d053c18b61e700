"""REST of the satisfaction survey: the questionnaire, a visitor's answer for a finished ticket, what a survey
tablet should ask now, the IKM report (admin, supervisor) and the follow-up of a suggestion."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, jsonify, request

from ..domain.accounts import Principal
from ..services import accounts, survey, survey_report
from ..services.context import Context
from .errors import ApiError
from .inputs import bearer_token, require

bp = Blueprint("survey", __name__)


def _ctx() -> Context:
    return current_app.extensions["antre"]


def _lang() -> str:
    return "en" if request.args.get("lang") == "en" else "id"


def _object() -> dict[str, Any]:
    data = request.get_json(silent=True) if request.is_json else None
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Kirim data sebagai JSON (Content-Type: application/json).")
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", "Isi permintaan bukan objek JSON yang valid.")
    return data


def _optional_device() -> Principal | None:
    """A survey tablet sends its device token; a visitor's phone sends none (the ticket token is the key)."""
    token = bearer_token()
    if token is None:
        return None
    principal = accounts.resolve(_ctx(), token)
    return principal if principal.role == "survey" else None


@bp.get("/survey/questions")
def questions() -> Any:
    return jsonify(survey.questions(_lang()))


@bp.get("/survey/profile")
def profile() -> Any:
    return jsonify(survey.profile_options(_lang()))


@bp.get("/survey/current")
def current() -> Any:
    """This month's IKM and mutu of the site (or `?agency=`): public, as units must publish it (e.g. a TV ticker)."""
    agency = request.args.get("agency") or None
    if agency is not None and agency not in _ctx().site.agencies:
        raise ApiError(404, "unknown_agency", "Instansi tidak dikenal.")
    return jsonify(survey_report.current_month(_ctx(), agency))


@bp.get("/tickets/<token>/survey")
def state(token: str) -> Any:
    return jsonify({"state": survey.survey_state(_ctx(), token)})


@bp.post("/tickets/<token>/survey")
def answer(token: str) -> Any:
    body = _object()
    submission = survey.parse_submission(body)
    device = _optional_device()
    survey.submit(_ctx(), token, submission, source="tablet" if device else "status", device=device)
    return jsonify({"status": "recorded", "message": "Terima kasih, penilaian Anda sudah kami terima."}), 201


@bp.get("/survey/offer")
@require("survey")
def offer() -> Any:
    found = survey.tablet_offer(_ctx(), g.principal)
    return (jsonify(found), 200) if found else ("", 204)


@bp.get("/reports/ikm")
@require("supervisor")
def ikm() -> Any:
    ctx = _ctx()
    first, last = survey_report.parse_period(request.args.get("from"), request.args.get("to"), ctx.now().date())
    scope = survey_report.scope(ctx, g.principal, first, last, request.args.get("agency") or None,
                                request.args.get("service") or None)
    return jsonify(survey_report.ikm_report(ctx, scope, _lang()))


@bp.post("/survey/suggestions/<int:response_id>/follow-up")
@require("supervisor")
def follow_up(response_id: int) -> Any:
    body = _object()
    state_value, reply = body.get("state"), body.get("reply", "")
    if not isinstance(reply, str):
        raise ApiError(422, "invalid_field", "Kolom 'reply' harus berupa teks.", field="reply")
    survey.set_follow_up(_ctx(), g.principal, response_id, str(state_value or ""), reply)
    return jsonify({"id": response_id, "follow_up": state_value, "reply": reply.strip()})


def _describe() -> None:
    """Add the survey's paths to the API description (GET /api/v1/openapi.json)."""
    from .openapi import SPEC, _obj, _op, _s

    num, nullable = {"type": "number"}, {"type": ["number", "null"]}
    token = {"name": "token", "in": "path", "required": True, "schema": _s()}
    period = [{"name": n, "in": "query", "required": False, "schema": _s()} for n in ("from", "to", "agency", "service")]
    scores = {"type": "object", "required": [f"U{i}" for i in range(1, 10)],
              "properties": {f"U{i}": {"type": "integer", "enum": [1, 2, 3, 4]} for i in range(1, 10)}}
    question = _obj(code=_s(), element=_s(), text=_s(), options={"type": "array", "items": _obj(score=num, text=_s())})
    answer = {"type": "object", "required": ["answers"], "properties": {
        "answers": scores, "profile": {"type": "object", "properties": {k: _s() for k in
                                                                          ("age", "sex", "education", "occupation")}},
        "comment": _s(maxLength=1000)}}
    ikm = {"type": "object", "required": ["respondents", "nrr", "ikm", "mutu", "kinerja"], "properties": {
        "respondents": num, "nrr": {"type": "object", "additionalProperties": nullable}, "ikm": nullable,
        "mutu": {"type": ["string", "null"]}, "kinerja": {"type": ["string", "null"]}, "unit": nullable,
        "population": num, "min_sample": num, "sample_enough": {"type": "boolean"}}}
    SPEC["paths"].update({
        "/survey/questions": {"get": _op("The nine SKM elements (U1–U9) with the regulation's questions; ?lang=en",
                                         {"type": "array", "items": question})},
        "/survey/profile": {"get": _op("The optional respondent profile's fields and choices",
                                       {"type": "object"})},
        "/survey/current": {"get": _op("This month's IKM and mutu (?agency=), public", {"type": "object"},
                                       errors=(404,))},
        "/survey/offer": {"get": _op("A survey tablet: the ticket its counter just finished (204: none)",
                                     _obj(token=_s(), number=_s(), service=_s(), service_name=_s()), auth=True)},
        "/tickets/{token}/survey": {
            "get": _op("Whether the ticket's survey is open, answered or not_served yet", _obj(state=_s()),
                       params=[token]),
            "post": _op("Answer the survey once after service (409 not_served / already_answered)",
                        _obj(status=_s(), message=_s()), body=answer, errors=(400, 404, 409, 422), params=[token],
                        ok_status="201")},
        "/reports/ikm": {"get": _op("The IKM of a period per Permenpan RB 14/2017 (admin; supervisor: own agencies)",
                                    ikm, auth=True, errors=(404, 422), params=period)},
        "/survey/suggestions/{id}/follow-up": {"post": _op(
            "Follow up a suggestion: baru | ditindaklanjuti | selesai with the officer's reply (audit-logged)",
            _obj(id=num, follow_up=_s(), reply=_s()), auth=True, errors=(404, 422),
            params=[{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            body=_obj(state=_s(enum=["baru", "ditindaklanjuti", "selesai"]), reply=_s()))},
    })


_describe()
