"""The booking's JSON shape, as its holder or a clerk sees it (NIK and phone masked): one shape for the REST API
and the public booking pages."""

from __future__ import annotations

from typing import Any

from ..domain.booking import BOOKING_STATUS_LABELS, Booking, checkin_window
from ..domain.nik import mask_last4
from ..domain.phone import mask_phone
from ..domain.ticket import PRIORITY_LABELS, Priority
from ..services import booking as booking_service
from ..services.context import Context


def booking_json(ctx: Context, b: Booking, nik_masked: str | None = None,
                 ticket_number: str | None = None) -> dict[str, Any]:
    """A booking with its place, session, check-in window and status now; `nik_masked` only right after booking
    (the full NIK's masked form), else the stored last 4 digits behind stars."""
    site, cfg, now = ctx.site, ctx.booking, ctx.now()
    service, place = site.services[b.service], cfg.place_of(site, b.service)
    session = booking_service.session_of(ctx, b)
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
        "checkin_open": booking_service.checkin_open(ctx, b, now), "ticket_number": ticket_number,
        "created_at": b.created_at.isoformat(timespec="seconds"),
    }
