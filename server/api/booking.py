"""Booking endpoints (`/api/v1`): places, dates, slots, book, lookup, cancel, reschedule, check-in, and today's
appointments for a (kelurahan) clerk. The NIK only ever travels in a POST body and comes back masked."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from flask import Blueprint, Flask, current_app, g, jsonify, request
from flask_limiter import Limiter

from ..booking_config import BookingConfig, load_booking
from ..domain.booking import BOOKING_STATUS_LABELS, Booking, checkin_window
from ..domain.nik import mask_last4
from ..domain.phone import mask_phone
from ..domain.ticket import PRIORITY_LABELS, Priority
from ..services import booking as booking_service
from ..services.context import Context
from .errors import ApiError
from .inputs import json_body, require
from .serialize import ticket_json

bp = Blueprint("booking", __name__)
log = logging.getLogger(__name__)
RATE_SCOPE = "booking"
HONEYPOT = "website"  # a field people never see; bots fill every field


def _ctx() -> Context:
    return current_app.extensions["antre"]


def _cfg() -> BookingConfig:
    return current_app.extensions["antre_booking"]


def check_rate_limit() -> None:
    """Count this request against the citizen's booking limit (per client address, shared by every booking
    write, API and pages); over it, Flask-Limiter answers 429."""
    limit = current_app.extensions.get("antre_booking_limit")
    if limit is not None:
        with limit:  # Flask-Limiter's in-view form: checks and counts the hit here
            pass


def parse_day(value: Any, field: str = "date") -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ApiError(422, "invalid_field", f"Kolom '{field}' harus tanggal YYYY-MM-DD.", field=field) from None


def booking_json(ctx: Context, cfg: BookingConfig, b: Booking, nik_masked: str | None = None,
                 ticket_number: str | None = None) -> dict[str, Any]:
    """A booking as its holder (or a clerk) sees it: NIK and phone masked."""
    site, now = ctx.site, ctx.now()
    service, place = site.services[b.service], cfg.place_of(site, b.service)
    session = booking_service.session_of(cfg, b)
    status = b.effective_status(now)
    window = checkin_window(session, b.local_date, site.timezone, cfg.rules) if session else None
    return {
        "code": b.code, "service": b.service, "service_name": service.name, "agency": service.agency,
        "agency_name": site.agencies[service.agency].name, "place": place.code, "place_name": place.name,
        "date": b.local_date.isoformat(), "session": b.session, "session_name": session.name if session else b.session,
        "start": session.start.strftime("%H:%M") if session else None,
        "end": (session.end.strftime("%H:%M") if session.end else "24:00") if session else None,
        "status": status.value, "status_label": BOOKING_STATUS_LABELS[status], "name": b.name,
        "nik_masked": nik_masked or mask_last4(b.nik_last4), "phone_masked": mask_phone(b.phone) if b.phone else None,
        "priority": b.priority, "priority_label": PRIORITY_LABELS[Priority(b.priority)] if b.priority else None,
        "checkin_opens": window[0].isoformat(timespec="minutes") if window else None,
        "checkin_closes": window[1].isoformat(timespec="minutes") if window else None,
        "checkin_open": booking_service.checkin_open(ctx, cfg, b), "ticket_number": ticket_number,
        "created_at": b.created_at.isoformat(timespec="seconds"),
    }


def slot_json(slot: booking_service.Slot) -> dict[str, Any]:
    s = slot.session
    return {"session": s.code, "name": s.name, "start": s.start.strftime("%H:%M"),
            "end": s.end.strftime("%H:%M") if s.end else "24:00", "quota": s.quota, "remaining": slot.remaining,
            "available": slot.available, "reason": slot.reason}


def service_json(ctx: Context, cfg: BookingConfig, code: str) -> dict[str, Any]:
    s = ctx.site.services[code]
    return {"code": s.code, "name": s.name, "agency": s.agency, "agency_name": ctx.site.agencies[s.agency].name,
            "requirements": list(s.requirements), "procedure": list(s.procedure), "duration": s.duration,
            "fee": s.fee, "product": s.product, "complaint": s.complaint, "days": list(s.days),
            "sessions": [{"session": x.code, "name": x.name, "hours": x.hours, "quota": x.quota}
                         for x in cfg.sessions[code]]}


@bp.get("/booking/places")
def places() -> Any:
    ctx, cfg = _ctx(), _cfg()
    return jsonify([{"code": p.code, "name": p.name, "kind": p.kind, "address": p.address,
                     "services": [service_json(ctx, cfg, s.code) for s in cfg.services_at(ctx.site, p)]}
                    for p in cfg.places])


@bp.get("/booking/dates")
def dates() -> Any:
    days = booking_service.booking_dates(_ctx(), _cfg(), request.args.get("service", ""))
    return jsonify([{"date": d.day.isoformat(), "open": d.open, "reason": d.reason} for d in days])


@bp.get("/booking/slots")
def slots() -> Any:
    day = parse_day(request.args.get("date", ""))
    return jsonify([slot_json(s) for s in booking_service.slots(_ctx(), _cfg(), request.args.get("service", ""), day)])


@bp.post("/bookings")
def create() -> Any:
    check_rate_limit()
    body = json_body(required={"service": str, "date": str, "session": str, "name": str, "nik": str,
                               "consent": bool},
                     optional={"phone": str, "priority": str, HONEYPOT: str})
    if body.get(HONEYPOT):
        raise ApiError(422, "rejected", "Permintaan ditolak.")
    req = booking_service.BookingRequest(
        service=body["service"], day=parse_day(body["date"]), session=body["session"], name=body["name"],
        nik=body["nik"], phone=body.get("phone") or "", consent=body["consent"], priority=body.get("priority"))
    done = booking_service.book(_ctx(), _cfg(), req)
    answer = booking_json(_ctx(), _cfg(), done.booking, done.nik_masked)
    answer["nik_warnings"] = [{"code": w.code, "message": w.message} for w in done.warnings]
    return jsonify(answer), 201


@bp.post("/bookings/lookup")
def lookup() -> Any:
    check_rate_limit()
    body = json_body(required={"code": str, "nik_last4": str})
    found = booking_service.lookup(_ctx(), body["code"], body["nik_last4"])
    return jsonify(booking_json(_ctx(), _cfg(), found, ticket_number=booking_service.ticket_number(_ctx(), found)))


@bp.post("/bookings/<code>/cancel")
def cancel(code: str) -> Any:
    check_rate_limit()
    body = json_body(required={"nik_last4": str})
    return jsonify(booking_json(_ctx(), _cfg(), booking_service.cancel(_ctx(), code, body["nik_last4"])))


@bp.post("/bookings/<code>/reschedule")
def reschedule(code: str) -> Any:
    check_rate_limit()
    body = json_body(required={"nik_last4": str, "date": str, "session": str})
    moved = booking_service.reschedule(_ctx(), _cfg(), code, body["nik_last4"], parse_day(body["date"]),
                                       body["session"])
    return jsonify(booking_json(_ctx(), _cfg(), moved))


@bp.post("/bookings/<code>/check-in")
@require("kiosk", "clerk")
def check_in(code: str) -> Any:
    json_body()
    booking, info, created = booking_service.check_in(_ctx(), _cfg(), code, g.principal)
    answer = ticket_json(_ctx(), info) | {"booking": booking_json(_ctx(), _cfg(), booking, None, info.ticket.number)}
    return jsonify(answer), 201 if created else 200


@bp.get("/bookings/today")
@require("clerk")
def today() -> Any:
    ctx, cfg = _ctx(), _cfg()
    agency = request.args.get("agency") or None
    rows = booking_service.appointments_today(ctx, g.principal, agency)
    return jsonify([booking_json(ctx, cfg, b, ticket_number=number) for b, number in rows])


def _doc(summary: str, *, errors: str = "409, 422", body: str = "", auth: bool = False) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "tags": ["booking"], "responses": {
        "200": {"description": "OK"}, **{code.strip(): {"description": "error", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Error"}}}} for code in errors.split(",")}}}
    if body:
        props = {f.strip(): {"type": "boolean" if f.strip() == "consent" else "string"} for f in body.split(",")}
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "properties": props}}}}
    if auth:
        op["security"] = [{"bearer": []}]
    return op


OPENAPI_PATHS: dict[str, Any] = {
    "/booking/places": {"get": _doc("Places (the MPP, kelurahan offices) with their bookable services", errors="404")},
    "/booking/dates": {"get": _doc("Days of the booking window for ?service=, open or with the reason closed")},
    "/booking/slots": {"get": _doc("Sessions of ?service=&date= with their remaining places")},
    "/bookings": {"post": _doc("Book a session (rate-limited): 201 with the code; 409 session_full / "
                               "duplicate_booking", body="service, date, session, name, nik, phone, consent, priority")},
    "/bookings/lookup": {"post": _doc("The booking of a code + the NIK's last 4 digits (NIK masked)", errors="404",
                                      body="code, nik_last4")},
    "/bookings/{code}/cancel": {"post": _doc("Cancel: the place is free again", errors="404, 409", body="nik_last4")},
    "/bookings/{code}/reschedule": {"post": _doc("Move to another date/session (same code)", errors="404, 409, 422",
                                                 body="nik_last4, date, session")},
    "/bookings/{code}/check-in": {"post": _doc("Lapor Hadir (kiosk or clerk): 201 ticket, 200 the same ticket on a "
                                               "repeat; 409 checkin_too_early / checkin_too_late", auth=True,
                                               errors="401, 403, 404, 409")},
    "/bookings/today": {"get": _doc("Today's appointments of ?agency= or of the clerk's counters (masked)",
                                    auth=True, errors="401, 403, 404")},
}


def setup(app: Flask, limiter: Limiter) -> None:
    """Load `[booking]` (ConfigError on a bad one), prepare the rate limit of the citizen's write calls and list
    the booking endpoints in the OpenAPI description."""
    from . import openapi

    openapi.SPEC["paths"].update(OPENAPI_PATHS)
    cfg = load_booking(app.extensions["antre_config"])
    app.extensions["antre_booking"] = cfg
    if cfg.rate_limit:
        app.extensions["antre_booking_limit"] = limiter.shared_limit(cfg.rate_limit, scope=RATE_SCOPE)
