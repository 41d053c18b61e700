"""Site administration endpoints: agencies, services, counters, holidays, breaks, booking sessions, the display
ticker (list, create, change, retire), the whole site as TOML, and the audit trail. Who may touch what is decided
by the use cases (admin: everything; supervisor: their agencies' services and counters)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, request

from ..services import site_admin
from ..services.audit import audit_trail
from .answers import reply
from .answers_office import AuditEntry, ImportResult, SiteEntry, Ticker
from .errors import ApiError
from .inputs import require
from .inputs import service_context as _ctx
from .schemas import SITE_BODIES, TickerBody, parse

bp = Blueprint("site_admin", __name__)
# URL part → entity kind of the service layer. GET /services and GET /counters[/{code}] are the kiosk's and the
# clerk's views; their administrative lists (retired entries too) are under /site/{kind}.
PATHS = {"agencies": "agencies", "services": "services", "counters": "counters", "holidays": "holidays",
         "breaks": "breaks", "booking-sessions": "sessions"}
_ROUTES = "<any(agencies, services, counters, holidays, breaks, 'booking-sessions'):path>"



def _body(path: str) -> dict[str, Any]:
    """The entry's keys as sent (a null removes a key), checked against the kind's model first."""
    return parse(SITE_BODIES[path]).model_dump(exclude_unset=True)


@bp.get(f"/site/{_ROUTES}")
@bp.get("/<any(agencies, holidays, breaks, 'booking-sessions'):path>")
@require("supervisor")
def list_entities(path: str) -> Any:
    return reply(list[SiteEntry], site_admin.list_entities(_ctx(), g.principal, PATHS[path]))


@bp.post(f"/{_ROUTES}")
@require("supervisor")
def create_entity(path: str) -> Any:
    return reply(SiteEntry, site_admin.create_entity(_ctx(), g.principal, PATHS[path], _body(path)), 201)


@bp.get(f"/site/{_ROUTES}/<path:key>")
@bp.get("/<any(agencies, services, holidays, breaks, 'booking-sessions'):path>/<path:key>")
@require("supervisor")
def get_entity(path: str, key: str) -> Any:
    return reply(SiteEntry, site_admin.get_entity(_ctx(), g.principal, PATHS[path], key))


@bp.patch(f"/{_ROUTES}/<path:key>")
@require("supervisor")
def update_entity(path: str, key: str) -> Any:
    return reply(SiteEntry, site_admin.update_entity(_ctx(), g.principal, PATHS[path], key, _body(path)))


@bp.delete(f"/{_ROUTES}/<path:key>")
@require("supervisor")
def retire_entity(path: str, key: str) -> Any:
    return reply(SiteEntry, site_admin.retire_entity(_ctx(), g.principal, PATHS[path], key))


@bp.get("/display/ticker")
@require("supervisor")
def get_ticker() -> Any:
    return reply(Ticker, site_admin.get_entity(_ctx(), g.principal, "ticker", "ticker"))


@bp.put("/display/ticker")
@require("supervisor")
def set_ticker() -> Any:
    body = {"ticker": parse(TickerBody).ticker}
    return reply(Ticker, site_admin.update_entity(_ctx(), g.principal, "ticker", "ticker", body))


@bp.get("/site/export")
@require("admin")
def export_site() -> Any:
    return Response(site_admin.export_site(_ctx()), mimetype="application/toml")


@bp.post("/site/import")
@require("admin")
def import_site() -> Any:
    """Body: the TOML text; `?dry_run=1` only shows the differences."""
    text = request.get_data(as_text=True)
    dry_run = request.args.get("dry_run", "") in ("1", "true", "yes")
    lines = site_admin.import_site(_ctx(), g.principal, text, dry_run)
    return reply(ImportResult, {"dry_run": dry_run, "differences": lines})


@bp.get("/audit")
@require("supervisor")
def audit() -> Any:
    try:
        limit = int(request.args.get("limit", 200))
    except ValueError:
        raise ApiError(422, "invalid_field", "Kolom 'limit' harus bilangan bulat.", field="limit") from None
    ctx = _ctx()
    entries = audit_trail(ctx, g.principal, request.args.get("object") or None, limit)
    return reply(list[AuditEntry], [e.to_dict() | {"at": e.at.astimezone(ctx.site.timezone).isoformat()}
                                    for e in entries])
