"""Booking endpoints (`/api/v1`): places, dates, slots, book, lookup, cancel, reschedule, check-in, and today's
appointments for a (kelurahan) clerk. The NIK only ever travels in a POST body and comes back masked."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Flask, g, request
from flask_limiter import Limiter

from ..booking_guard import HONEYPOT, check_rate_limit, honeypot_filled, install_rate_limit
from ..services import booking as booking_service
from ..services.context import Context
from ..views.booking import booking_json
from ..views.services import service_facts
from .answers import Booking, BookingDay, CheckedIn, NewBookingAnswer, Place, Slot, reply
from .errors import ApiError
from .inputs import json_body, require, ticket_view
from .inputs import service_context as _ctx
from .schemas import BookingCancel, BookingLookup, BookingReschedule, NewBooking, parse

bp = Blueprint("booking", __name__)



def parse_day(value: Any, field: str = "date") -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ApiError(422, "invalid_field", f"Kolom '{field}' harus tanggal YYYY-MM-DD.", field=field) from None


def slot_json(slot: booking_service.Slot) -> dict[str, Any]:
    s = slot.session
    return {"session": s.code, "name": s.name, "start": s.start.strftime("%H:%M"),
            "end": s.end.strftime("%H:%M") if s.end else "24:00", "quota": s.quota, "remaining": slot.remaining,
            "available": slot.available, "reason": slot.reason}


def service_json(ctx: Context, code: str) -> dict[str, Any]:
    return service_facts(ctx.site, ctx.site.services[code]) | {
        "sessions": [{"session": x.code, "name": x.name, "hours": x.hours, "quota": x.quota}
                     for x in ctx.booking.sessions[code]]}


@bp.get("/booking/places")
def places() -> Any:
    ctx = _ctx()
    return reply(list[Place], [{"code": p.code, "name": p.name, "kind": p.kind, "address": p.address,
                                "services": [service_json(ctx, s.code) for s in ctx.booking.services_at(ctx.site, p)]}
                               for p in ctx.booking.places])


@bp.get("/booking/dates")
def dates() -> Any:
    days = booking_service.booking_dates(_ctx(), request.args.get("service", ""))
    return reply(list[BookingDay], [{"date": d.day.isoformat(), "open": d.open, "reason": d.reason} for d in days])


@bp.get("/booking/slots")
def slots() -> Any:
    day = parse_day(request.args.get("date", ""))
    return reply(list[Slot], [slot_json(s) for s in booking_service.slots(_ctx(), request.args.get("service", ""), day)])


@bp.post("/bookings")
def create() -> Any:
    check_rate_limit()
    body = parse(NewBooking)
    if honeypot_filled({HONEYPOT: body.website}):
        raise ApiError(422, "rejected", "Permintaan ditolak.")
    req = booking_service.BookingRequest(
        service=body.service, day=parse_day(body.date), session=body.session, name=body.name,
        nik=body.nik, phone=body.phone or "", consent=body.consent, priority=body.priority)
    done = booking_service.book(_ctx(), req)
    answer = booking_json(_ctx(), done.booking, done.nik_masked)
    answer["nik_warnings"] = [{"code": w.code, "message": w.message} for w in done.warnings]
    return reply(NewBookingAnswer, answer, 201)


@bp.post("/bookings/lookup")
def lookup() -> Any:
    check_rate_limit()
    body = parse(BookingLookup)
    found = booking_service.lookup(_ctx(), body.code, body.nik_last4)
    return reply(Booking, booking_json(_ctx(), found, ticket_number=booking_service.ticket_number(_ctx(), found)))


@bp.post("/bookings/<code>/cancel")
def cancel(code: str) -> Any:
    check_rate_limit()
    body = parse(BookingCancel)
    return reply(Booking, booking_json(_ctx(), booking_service.cancel(_ctx(), code, body.nik_last4)))


@bp.post("/bookings/<code>/reschedule")
def reschedule(code: str) -> Any:
    check_rate_limit()
    body = parse(BookingReschedule)
    moved = booking_service.reschedule(_ctx(), code, body.nik_last4, parse_day(body.date), body.session)
    return reply(Booking, booking_json(_ctx(), moved))


@bp.post("/bookings/<code>/check-in")
@require("kiosk", "clerk")
def check_in(code: str) -> Any:
    json_body()
    booking, info, created = booking_service.check_in(_ctx(), code, g.principal)
    answer = ticket_view(info) | {"booking": booking_json(_ctx(), booking, None, info.ticket.number)}
    return reply(CheckedIn, answer, 201 if created else 200)


@bp.get("/bookings/today")
@require("clerk")
def today() -> Any:
    ctx = _ctx()
    agency = request.args.get("agency") or None
    rows = booking_service.appointments_today(ctx, g.principal, agency)
    return reply(list[Booking], [booking_json(ctx, b, ticket_number=number) for b, number in rows])


def setup(app: Flask, limiter: Limiter, rate_limit: str) -> None:
    """Prepare the rate limit of the citizen's write calls (`[booking] rate_limit`, shared with the booking pages)."""
    install_rate_limit(app, limiter, rate_limit)
