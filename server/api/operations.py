"""Every operation of `/api/v1`: its summary, request model, answer model per status and its own 4xx answers. The
models live in schemas.py (requests), answers.py and answers_office.py (answers); openapi.py turns this table into
the OpenAPI document and adds the answers every operation can give (400, 401/403, 404, 413/415/422, 429)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import answers as a
from . import answers_office as o
from . import schemas as s


@dataclass(frozen=True)
class Op:
    """One operation: `ok` answers with `status` (a model, `list[Model]`, a dict type, or a media type's text)."""

    summary: str
    ok: Any = None
    status: int = 200
    body: Any = None
    auth: bool = False
    errors: tuple[int, ...] = ()
    query: tuple[str, ...] = ()
    required_query: tuple[str, ...] = ()
    also: dict[int, Any] = field(default_factory=dict)  # more answers: status → shape (None: no body)
    media: str = "application/json"  # of the 2xx answer
    body_media: str = "application/json"
    headers: tuple[str, ...] = ()


COUNTER_ACTION = dict(ok=a.CounterAction, auth=True, errors=(404, 409, 422))
COUNTER_STATUS = dict(ok=a.CounterStatusAnswer, auth=True, errors=(404, 409, 422))
PERIOD = ("from", "to", "agency", "service", "counter", "clerk")
FILE = "file"

OPERATIONS: dict[str, dict[str, Op]] = {
    "/health": {"get": Op("Liveness", a.Ok)},
    "/auth/token": {"post": Op("Log in: username + password → bearer token", a.Token, body=s.Login,
                               errors=(401, 429))},
    "/auth/logout": {"post": Op("Revoke the bearer token sent", a.Ok, auth=True)},
    "/auth/me": {"get": Op("Who the bearer token is", a.Me, auth=True)},
    "/services": {"get": Op("Services with their state now", list[a.Service])},
    "/priorities": {"get": Op("Priority categories with their labels and hints (Bahasa Indonesia, English): every "
                              "client shows these words", list[a.PriorityCategory])},
    "/tickets": {"post": Op("Issue a ticket (kiosk device token or clerk); an Idempotency-Key header makes a retry "
                            "return the same ticket (200); the same key with another body: 422 "
                            "idempotency_key_reused", a.Ticket, 201, s.IssueTicket, auth=True, errors=(404, 409),
                            also={200: a.Ticket}, headers=("Idempotency-Key",))},
    "/tickets/{token}": {"get": Op("One ticket, by its status token", a.Ticket)},
    "/tickets/{token}/cancel": {"post": Op("The visitor cancels", a.Ticket, errors=(409,))},
    "/tickets/{token}/printed": {"post": Op("The issuing kiosk says whether the paper came out", a.Ticket,
                                            body=s.Printed, auth=True)},
    "/tickets/{token}/reprint": {"post": Op("CETAK ULANG: the issuing kiosk prints the ticket again (a clerk whose "
                                            "counters serve its service, or an admin)", a.Ticket, 202, auth=True,
                                            errors=(422,))},
    "/tickets/unprinted": {"get": Op("Today's tickets whose paper did not come out", list[a.Ticket], auth=True)},
    "/counters": {"get": Op("Counters the clerk may work at", list[a.CounterBrief], auth=True)},
    "/counters/{code}": {"get": Op("A counter's working view", a.CounterView, auth=True)},
    "/counters/{code}/call-next": {"post": Op("Call the next ticket (204 when nobody waits)", a.CounterAction,
                                              auth=True, errors=(404, 409), also={204: None})},
    "/counters/{code}/recall": {"post": Op("Announce the current ticket again, or bring back a skipped one",
                                           body=s.Recall, **COUNTER_ACTION)},
    "/counters/{code}/start": {"post": Op("Start serving the called ticket", **COUNTER_ACTION)},
    "/counters/{code}/finish": {"post": Op("Finish the ticket being served", **COUNTER_ACTION)},
    "/counters/{code}/skip": {"post": Op("Mark the called ticket as a no-show", **COUNTER_ACTION)},
    "/counters/{code}/transfer": {"post": Op("Send the current ticket to another service", body=s.Transfer,
                                             **COUNTER_ACTION)},
    "/counters/{code}/open": {"post": Op("Open the counter", **COUNTER_STATUS)},
    "/counters/{code}/pause": {"post": Op("Pause the counter (Istirahat)", **COUNTER_STATUS)},
    "/counters/{code}/close": {"post": Op("Close the counter (Tutup Loket)", **COUNTER_STATUS)},
    "/display/snapshot": {"get": Op("Everything a display needs, with the current seq", a.DisplaySnapshot)},
    # Booking (booking.py): the NIK only travels in a POST body and comes back masked.
    "/booking/places": {"get": Op("Places (the MPP, kelurahan offices) with their bookable services",
                                  list[a.Place], errors=(404,))},
    "/booking/dates": {"get": Op("Days of the booking window for ?service=, open or with the reason closed",
                                 list[a.BookingDay], errors=(404, 409, 422), required_query=("service",))},
    "/booking/slots": {"get": Op("Sessions of ?service=&date= with their remaining places", list[a.Slot],
                                 errors=(404, 409, 422), required_query=("service", "date"))},
    "/bookings": {"post": Op("Book a session (rate-limited): 201 with the code; 409 session_full / "
                             "duplicate_booking", a.NewBookingAnswer, 201, s.NewBooking, errors=(404, 409))},
    "/bookings/lookup": {"post": Op("The booking of a code + the NIK's last 4 digits (NIK masked)", a.Booking,
                                    body=s.BookingLookup, errors=(404,))},
    "/bookings/{code}/cancel": {"post": Op("Cancel: the place is free again", a.Booking, body=s.BookingCancel,
                                           errors=(409,))},
    "/bookings/{code}/reschedule": {"post": Op("Move to another date/session (same code)", a.Booking,
                                               body=s.BookingReschedule, errors=(409,))},
    "/bookings/{code}/check-in": {"post": Op("Lapor Hadir (kiosk or clerk): 201 ticket, 200 the same ticket on a "
                                             "repeat; 409 checkin_too_early / checkin_too_late", a.CheckedIn, 201,
                                             auth=True, errors=(409, 422), also={200: a.CheckedIn})},
    "/bookings/today": {"get": Op("Today's appointments of ?agency= or of the clerk's counters (masked)",
                                  list[a.Booking], auth=True, errors=(404,), query=("agency",))},
    # Accounts (admin_accounts.py): admin; a supervisor for their agencies' clerks and devices.
    "/users": {"get": Op("Users (a supervisor: the clerks of their agencies' counters)", list[o.User], auth=True),
               "post": Op("Add a user (a supervisor: clerks at their own counters)", o.User, 201, s.NewUser,
                          auth=True, errors=(409,))},
    "/users/{id}": {"patch": Op("Change a user's role, counters or agencies (only what is given)", o.User,
                                body=s.UserChange, auth=True, errors=(409,))},
    "/users/{id}/disable": {"post": Op("Disable a user: 401 on their next request, sockets closed within 2 s",
                                       a.Ok, auth=True, errors=(409,))},
    "/users/{id}/enable": {"post": Op("Enable a disabled user (they sign in again)", a.Ok, auth=True)},
    "/users/{id}/password": {"post": Op("Set a user's password; their sessions end", a.Ok, body=s.NewPassword,
                                        auth=True)},
    "/me/password": {"post": Op("Change your own password", a.Ok, body=s.OwnPassword, auth=True)},
    "/devices": {"get": Op("Devices with their state (a supervisor: shared ones and those at their counters)",
                           list[o.Device], auth=True),
                 "post": Op("Register a device (admin); the token is in this answer only", o.NewDeviceAnswer, 201,
                            s.NewDevice, auth=True, errors=(409,))},
    "/devices/{id}": {"delete": Op("Revoke a device's token: 401 next request, sockets closed within 2 s", a.Ok,
                                   auth=True)},
    "/devices/me/state": {"post": Op("A kiosk or display reports its state (printer: ok, paper_out, …); the answer "
                                     "is the state it sent", dict[str, str], body=s.DeviceState, auth=True)},
    "/devices/me/heartbeat": {"post": Op("A kiosk, display or survey tablet says it is alive (the same as "
                                         "Socket.IO `heartbeat`)", o.DeviceHealth, body=s.Heartbeat, auth=True)},
    "/devices/health": {"get": Op("Every active device's health and the open alerts (admin, supervisor)",
                                  o.HealthList, auth=True)},
    # Reports (reports.py, issue 13; figures defined in docs/reports.md): admin; a supervisor for their agencies.
    "/reports/summary": {"get": Op("Every report figure of a period and scope", o.Summary, auth=True, query=PERIOD,
                                   required_query=("from", "to"))},
    "/reports/summary.csv": {"get": Op("The summary's tables as CSV", FILE, auth=True, query=PERIOD,
                                       required_query=("from", "to"), media="text/csv")},
    "/reports/summary.xlsx": {"get": Op("The summary's tables as XLSX, a sheet per table", FILE, auth=True,
                                        query=PERIOD, required_query=("from", "to"), media=(
                                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))},
    "/reports/tickets.csv": {"get": Op("The period's tickets, one row each, site time, streamed", FILE, auth=True,
                                       query=PERIOD, required_query=("from", "to"), media="text/csv")},
    # Survey (survey.py): the questionnaire, a visitor's answer, a tablet's offer, the IKM and follow-ups.
    "/survey/questions": {"get": Op("The nine SKM elements (U1–U9) with the regulation's questions; ?lang=en",
                                    list[o.Question], query=("lang",))},
    "/survey/profile": {"get": Op("The optional respondent profile's fields and choices",
                                  dict[str, o.ProfileField], query=("lang",))},
    "/survey/current": {"get": Op("This month's IKM and mutu (?agency=), public", o.CurrentIkm, errors=(404,),
                                  query=("agency",))},
    "/survey/offer": {"get": Op("A survey tablet: the ticket its counter just finished (204: none)", o.SurveyOffer,
                                auth=True, also={204: None})},
    "/tickets/{token}/survey": {
        "get": Op("Whether the ticket's survey is open, answered or not_served yet", o.SurveyState),
        "post": Op("Answer the survey once after service (409 not_served / already_answered)", o.SurveyRecorded,
                   201, s.SurveyAnswer, errors=(403, 409))},
    "/reports/ikm": {"get": Op("The IKM of a period per Permenpan RB 14/2017 (admin; supervisor: own agencies)",
                               o.IkmReport, auth=True, errors=(404, 422), query=("from", "to", "agency", "service",
                                                                                  "lang"))},
    "/survey/suggestions/{id}/follow-up": {"post": Op(
        "Follow up a suggestion: baru | ditindaklanjuti | selesai with the officer's reply (audit-logged)",
        o.FollowUp, body=s.FollowUpBody, auth=True)},
    # Site administration (site_admin.py): admin; a supervisor for their agencies' services and counters.
    "/display/ticker": {"get": Op("The display ticker text", o.Ticker, auth=True),
                        "put": Op("Set the display ticker text", o.Ticker, body=s.TickerBody, auth=True)},
    "/site/export": {"get": Op("The site as TOML (config.toml format)", str, auth=True, media="application/toml")},
    "/site/import": {"post": Op("Apply a site file (TOML body) as the next version; ?dry_run=1 only shows the "
                                "differences", o.ImportResult, body=str, body_media="application/toml", auth=True,
                                query=("dry_run",))},
    "/audit": {"get": Op("Who changed what, when, old and new value (newest first; ?object=service:KTP, ?limit=200)",
                         list[o.AuditEntry], auth=True, errors=(422,), query=("object", "limit"))},
}

# Site document entries: part of the path → (what, key name).
SITE_PARTS = {"agencies": ("agency", "code"), "services": ("service", "code"), "counters": ("counter", "code"),
              "holidays": ("holiday (key: YYYY-MM-DD)", "key"), "breaks": ("break (key: name or position)", "key"),
              "booking-sessions": ("booking-session setting (key: default, place:X or service:CODE)", "key")}


def _site_operations() -> None:
    for part, (what, key) in SITE_PARTS.items():
        body, one = s.SITE_BODIES[part], f"/{part}/{{{key}}}"
        OPERATIONS.setdefault(f"/{part}", {})["post"] = Op(f"Add a {what}; live on every client within 2 s",
                                                           o.SiteEntry, 201, body, auth=True, errors=(409,))
        if part not in ("services", "counters"):  # GET /services and GET /counters are the kiosk's and clerk's
            OPERATIONS[f"/{part}"]["get"] = Op(f"Every {what} (retired ones too)", list[o.SiteEntry], auth=True)
        item = OPERATIONS.setdefault(one, {})
        if part != "counters":
            item["get"] = Op(f"One {what}", o.SiteEntry, auth=True)
        item["patch"] = Op(f"Change fields of a {what} (null removes a field); the key cannot change", o.SiteEntry,
                           body=body, auth=True, errors=(409,))
        item["delete"] = Op(f"Retire a {what}: out of the live site, kept in the document with its tickets",
                            o.SiteEntry, auth=True, errors=(409,))
        OPERATIONS[f"/site/{part}"] = {"get": Op(f"Every {what} (retired ones too)", list[o.SiteEntry], auth=True)}
        OPERATIONS[f"/site/{part}/{{{key}}}"] = {"get": Op(f"One {what}", o.SiteEntry, auth=True)}


_site_operations()
