"""Public booking pages (mobile first, no JavaScript needed): place → service → date → session and applicant →
confirmation with code and QR; find, cancel or reschedule with the code and the NIK's last 4 digits.

The NIK is only ever in a POST body; between pages only the booking code (and the last 4 digits the citizen
typed) travel, in the signed session cookie — never in a URL.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import qrcode
import qrcode.image.svg
from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_wtf.csrf import generate_csrf, validate_csrf
from markupsafe import Markup
from wtforms.validators import ValidationError

from ..booking_config import Place
from ..booking_guard import HONEYPOT, check_rate_limit, honeypot_filled
from ..domain.errors import DomainError
from ..domain.site import Service
from ..services import booking as booking_service
from ..services.context import Context
from ..views.booking import booking_json
from .booking_text import priority_choices, register_template_helpers, translate

bp = Blueprint("booking_pages", __name__, template_folder="templates")
register_template_helpers(bp)


def _ctx() -> Context:
    return current_app.extensions["antre"]


def _place(code: str) -> Place:
    place = _ctx().booking.place(code)
    if place is None:
        abort(404)
    return place


def _service(code: str) -> tuple[Service, Place]:
    ctx = _ctx()
    if code not in ctx.site.services or not ctx.booking.bookable(code):
        abort(404)
    return ctx.site.services[code], ctx.booking.place_of(ctx.site, code)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


def qr_svg(data: str) -> Markup:
    """An inline SVG QR code (server-side, no CDN); sized by CSS."""
    img = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = img.to_string(encoding="unicode")
    svg = re.sub(r'\s(width|height)="[^"]*"', "", svg, count=2)
    return Markup(svg.replace("<svg", '<svg role="img" aria-label="QR"', 1))  # noqa: S704 (built by qrcode)


@bp.context_processor
def _csrf() -> dict[str, Any]:
    return {"csrf_token": generate_csrf}  # every booking form posts it (Flask-WTF; issue 17)


class FormExpired(DomainError):
    status = 400


def _check_form() -> None:
    """Every state-changing booking form: the citizen's booking rate limit, then Flask-WTF's CSRF token (a page of
    another site cannot book, cancel or reschedule in the citizen's name, whatever the browser's SameSite)."""
    check_rate_limit()
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError as exc:
        raise FormExpired("form_expired", translate("form_expired")) from exc


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError) -> Any:
    return render_template("booking/error.html", message=exc.message), exc.status


@bp.errorhandler(404)
def _not_found(_exc: Any) -> Any:
    return render_template("booking/error.html", message=translate("not_found")), 404


@bp.errorhandler(429)
def _too_many(_exc: Any) -> Any:
    return render_template("booking/error.html", message=translate("too_many")), 429


# ---------------------------------------------------------------------- the four steps
@bp.get("/booking")
@bp.get("/booking/")
def places(error: str | None = None, status: int = 200) -> Any:
    ctx = _ctx()
    counts = {p.code: len(ctx.booking.services_at(ctx.site, p)) for p in ctx.booking.places}
    return render_template("booking/places.html", places=[p for p in ctx.booking.places if counts[p.code]],
                           counts=counts, error=error, site=ctx.site), status


def _bookable(code: str) -> bool:
    ctx = _ctx()
    return code in ctx.site.services and ctx.booking.bookable(code)


@bp.get("/booking/place/<code>")
def services(code: str) -> Any:
    ctx, place = _ctx(), _place(code)
    groups: dict[str, list[Service]] = {}
    for s in ctx.booking.services_at(ctx.site, place):
        groups.setdefault(s.agency, []).append(s)
    return render_template("booking/services.html", place=place, groups=groups, agencies=ctx.site.agencies,
                           site=ctx.site)


@bp.get("/booking/service/<code>")
def dates(code: str, error: str | None = None, status: int = 200) -> Any:
    if not _bookable(code):  # back to step 1 with the reason, not to a dead end
        return places(translate("no_service"), 404)
    service, place = _service(code)
    days = booking_service.booking_dates(_ctx(), code)
    return render_template("booking/dates.html", service=service, place=place, days=days, error=error,
                           today=_ctx().now().date(), site=_ctx().site, pick_url=lambda d: url_for(
                               ".book_form", code=code, day=d.isoformat())), status


# Errors about the chosen day: the form is shown again (what was typed kept) with the message and a way to
# another date, instead of an error page that loses everything.
DAY_ERRORS = ("date_outside_window", "date_closed")


def _form_page(service: Service, place: Place, day: date, error: str | None = None, values: dict[str, str] | None = None,
               status: int = 200, session_error: str | None = None) -> Any:
    try:
        slots, day_error = booking_service.slots(_ctx(), service.code, day), None
    except DomainError as exc:
        if exc.code not in DAY_ERRORS:
            raise
        slots, day_error, status = [], exc.message, max(status, exc.status)
        error = None if error == day_error else error
    return render_template("booking/form.html", service=service, place=place, day=day, slots=slots, error=error,
                           day_error=day_error, session_error=session_error, values=values or {},
                           priorities=priority_choices(), site=_ctx().site, honeypot=HONEYPOT), status


@bp.route("/booking/service/<code>/<day>", methods=["GET", "POST"])
def book_form(code: str, day: str) -> Any:
    if not _bookable(code):
        return places(translate("no_service"), 404)
    service, place = _service(code)
    try:
        when = date.fromisoformat(day)
    except ValueError:
        return dates(code, translate("no_date"), 404)
    if request.method == "GET":
        return _form_page(service, place, when)
    _check_form()
    form = request.form
    values = {k: form.get(k, "") for k in ("session", "name", "phone", "priority")}
    if honeypot_filled(form):
        return _form_page(service, place, when, translate("error_title"), values, 422)
    if not values["session"]:  # said next to the session list, before anything else is checked
        return _form_page(service, place, when, values=values, status=422, session_error=translate("session_first"))
    req = booking_service.BookingRequest(
        service=code, day=when, session=form.get("session", ""), name=form.get("name", ""),
        nik=form.get("nik", ""), phone=form.get("phone", ""), consent=form.get("consent") == "yes",
        priority=form.get("priority") or None)
    try:
        done = booking_service.book(_ctx(), req)
    except DomainError as exc:
        if exc.details.get("field") == "session" or exc.code in ("session_full", "session_over"):
            return _form_page(service, place, when, values=values, status=exc.status, session_error=exc.message)
        return _form_page(service, place, when, exc.message, values, exc.status)
    session["booking_done"] = {"code": done.booking.code, "last4": done.booking.nik_last4, "nik": done.nik_masked,
                         "warnings": [w.message for w in done.warnings]}
    return redirect(url_for(".confirmation"), code=303)


@bp.get("/booking/confirmation")
def confirmation() -> Any:
    booked = session.get("booking_done")
    if not booked:
        return redirect(url_for(".places"))
    booking = booking_service.lookup(_ctx(), booked["code"], booked["last4"])
    info = booking_json(_ctx(), booking, booked["nik"])
    session["booking_manage"] = {"code": booking.code, "last4": booking.nik_last4}
    ctx = _ctx()
    service, place = ctx.site.services[booking.service], ctx.booking.place_of(ctx.site, booking.service)
    return render_template("booking/confirmation.html", b=info, qr=qr_svg(booking.code),
                           warnings=booked.get("warnings", []), service=service, place=place, site=_ctx().site)


# ---------------------------------------------------------------------- find, cancel, reschedule
def _managed() -> tuple[Any, dict[str, Any]] | None:
    held = session.get("booking_manage")
    if not held:
        return None
    try:
        booking = booking_service.lookup(_ctx(), held["code"], held["last4"])
    except DomainError:
        session.pop("booking_manage", None)
        return None
    return booking, booking_json(_ctx(), booking, ticket_number=booking_service.ticket_number(_ctx(), booking))


@bp.route("/booking/manage", methods=["GET", "POST"])
def manage() -> Any:
    if request.method == "GET":
        return render_template("booking/manage.html", error=None, code="", site=_ctx().site)
    _check_form()
    code, last4 = request.form.get("code", ""), request.form.get("last4", "")
    try:
        booking = booking_service.lookup(_ctx(), code, last4)
    except DomainError as exc:
        return render_template("booking/manage.html", error=exc.message, code=code, site=_ctx().site), exc.status
    session["booking_manage"] = {"code": booking.code, "last4": booking.nik_last4}
    return redirect(url_for(".manage_view"), code=303)


@bp.get("/booking/manage/view")
def manage_view() -> Any:
    found = _managed()
    if found is None:
        return redirect(url_for(".manage"))
    booking, info = found
    return render_template("booking/manage_view.html", b=info, qr=qr_svg(booking.code),
                           notice=session.pop("booking_notice", None), site=_ctx().site)


@bp.post("/booking/manage/cancel")
def cancel() -> Any:
    _check_form()
    held = session.get("booking_manage") or {}
    booking_service.cancel(_ctx(), held.get("code", ""), held.get("last4", ""))
    session["booking_notice"] = "cancelled_msg"
    return redirect(url_for(".manage_view"), code=303)


@bp.get("/booking/manage/reschedule")
def reschedule_dates() -> Any:
    found = _managed()
    if found is None:
        return redirect(url_for(".manage"))
    booking, info = found
    service, place = _service(booking.service)
    days = booking_service.booking_dates(_ctx(), booking.service)
    return render_template("booking/dates.html", service=service, place=place, days=days, b=info,
                           today=_ctx().now().date(), site=_ctx().site,
                           pick_url=lambda d: url_for(".reschedule_form", day=d.isoformat()))


@bp.route("/booking/manage/reschedule/<day>", methods=["GET", "POST"])
def reschedule_form(day: str) -> Any:
    found = _managed()
    if found is None:
        return redirect(url_for(".manage"))
    booking, info = found
    service, place = _service(booking.service)
    when, error, status = _day(day), None, 200
    if request.method == "POST":
        _check_form()
        held = session["booking_manage"]
        try:
            booking_service.reschedule(_ctx(), held["code"], held["last4"], when, request.form.get("session", ""))
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            session["booking_notice"] = "rescheduled_msg"
            return redirect(url_for(".manage_view"), code=303)
    slots = booking_service.slots(_ctx(), service.code, when)
    return render_template("booking/reschedule.html", service=service, place=place, day=when, slots=slots, b=info,
                           error=error, site=_ctx().site), status


# ---------------------------------------------------------------------- retired
@bp.get("/kelurahan/appointments")
def appointments() -> Any:
    """The old kelurahan appointments page: today's appointments are the counter terminal's panel now."""
    return redirect(url_for("counter_pages.choose"))
