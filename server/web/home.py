"""The server's front page: what a citizen came for first (book, check a booking, follow a ticket by its printed
number), the staff's links second; and `/lacak`, today's ticket found by its number, read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, render_template, request

from ..booking_guard import check_rate_limit
from ..services import tickets
from ..services.context import Context
from ..views.tickets import ticket_json
from .booking_text import STATUS_EN

bp = Blueprint("home_pages", __name__, template_folder=str(Path(__file__).parent / "templates"))
TRACK_REFRESH_SECS = 30  # the read-only page reloads itself; the QR's page is the live one


def _ctx() -> Context:
    return current_app.extensions["antre"]


@bp.get("/")
def index() -> str:
    return render_template("home/index.html", site=_ctx().site)


@bp.get("/lacak")
def track() -> Any:
    """Today's ticket by its printed number. Numbers are public (the TV calls them), so the answer holds only what
    the TV could tell and never the ticket's token: giving up a place or the survey stay with the QR's page.
    Counted against the citizen's booking rate limit (per address), as the booking lookup is."""
    number = request.args.get("nomor", "").strip()[:8]
    if not number:
        return render_template("home/track.html", site=_ctx().site, number="", ticket=None, refresh=0)
    check_rate_limit()
    ctx = _ctx()
    info = tickets.find_today(ctx, number)
    ticket = None
    if info is not None:
        data = ticket_json(ctx.site, ctx.public_url, info)
        ticket = {k: data[k] for k in ("number", "service_name", "status", "status_label", "ahead", "eta_minutes",
                                       "no_counter_open", "counter_name")}
        ticket["status_en"] = STATUS_EN.get(data["status_label"], data["status"])
    live = ticket is not None and ticket["status"] in ("waiting", "called", "serving")
    body = render_template("home/track.html", site=ctx.site, number=number.upper(), ticket=ticket,
                           refresh=TRACK_REFRESH_SECS if live else 0)
    return body, 200 if ticket else 404, {"Cache-Control": "no-store"}


@bp.errorhandler(429)
def _too_many(_exc: Any) -> Any:
    return render_template("home/track.html", site=_ctx().site, number="", ticket=None, refresh=0,
                           too_many=True), 429
