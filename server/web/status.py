"""The live ticket status page `/t/<token>` (the QR printed on every ticket): number, status, people ahead,
estimated wait, kept live over the `/ticket` Socket.IO namespace; says where to go, beeps and vibrates when the
ticket is called. No personal data, no framework: a few KB besides the Socket.IO client."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from ..domain.errors import DomainError
from ..services import survey, tickets
from ..services.context import Context
from ..views.tickets import ticket_json
from .booking_text import STATUS_EN, TEXT, current_lang, register_template_helpers
from .survey_text import words as survey_words

bp = Blueprint("status_pages", __name__, template_folder="templates")
register_template_helpers(bp)

# What the page's script needs; the ticket JSON itself has no name, NIK or phone in it.
PUBLIC_FIELDS = ("number", "service", "service_name", "status", "status_label", "priority_label", "ahead",
                 "eta_minutes", "eta_seconds", "no_counter_open", "issued_at", "called_at", "counter", "counter_name", "recalls")


def _ctx() -> Context:
    return current_app.extensions["antre"]


def _no_store(body: str, status: int = 200) -> tuple[str, int, dict[str, str]]:
    # The token in the address is the only key to the ticket: keep it out of caches and Referer headers.
    return body, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.get("/t/<token>")
def ticket_page(token: str) -> Any:
    ctx = _ctx()
    try:
        info = tickets.get_ticket(ctx, token)
    except DomainError:
        return _no_store(render_template("status/unknown.html", site=ctx.site), 404)
    data = ticket_json(ctx.site, ctx.public_url, info)
    ticket = {k: data[k] for k in PUBLIC_FIELDS}
    agency = ctx.site.agencies.get(data["agency"] or "")
    ticket["agency_name"] = agency.name if agency else ""
    # A kelurahan's ticket is headed by that office, not by the MPP.
    own_place = ctx.booking.place(data["agency"] or "")
    here = own_place.name if own_place else ctx.site.short_name or ctx.site.name
    words = {k: v for k, v in TEXT[current_lang()].items() if k.startswith("st_")}
    words["labels"] = STATUS_EN if current_lang() == "en" else {}  # type: ignore[assignment]
    # The survey (SKM) appears once the ticket is selesai, also for a booked visit's ticket; the script shows it
    # live when the finish arrives while the page is open.
    lang = current_lang()
    form = {"state": survey.survey_state(ctx, token), "status": data["status"], "questions": survey.questions(lang),
            "profile": survey.profile_options(lang), "words": survey_words("sv_")}
    return _no_store(render_template("status/ticket.html", ticket=ticket, token=token, words=words, site=ctx.site,
                                     here=here, survey=form))
