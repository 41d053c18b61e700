"""The survey tablet page `/survey/tablet`: a touch screen at a counter (a device of kind `survey` bound to that
counter) that offers the SKM for the ticket the counter has just finished, one big question at a time, and resets
itself after 60 s without a touch. The device token is typed once and kept on the tablet (never in an address)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from werkzeug.wrappers import Response

from ..services import survey
from .booking_text import current_lang, remember_lang
from .survey_text import words

bp = Blueprint("survey_pages", __name__, template_folder="templates")
IDLE_RESET_SECS = 60
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
       "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return remember_lang(response)


@bp.get("/survey/tablet")
def tablet() -> Any:
    lang = current_lang()
    boot = {"questions": survey.questions(lang), "profile": survey.profile_options(lang),
            "words": words("sv_") | words("tb_"), "idle_secs": IDLE_RESET_SECS}
    return render_template("survey/tablet.html", boot=boot, lang=lang)
