"""The live supervision board at /board: for admins and supervisors signed in to the console (the same session).

The page embeds the session's bearer token for its `/board` socket (as the counter page does) and draws what the
socket sends: a snapshot, then events (static/board/state.js). `?tv=1` is the wall-TV layout (larger type, no
links); `?lang=en` the English labels; `?agencies=DUKCAPIL,SAMSAT` only those agencies (within the user's own).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..demo_live import clock_rate
from ..services.board import BOARD_ROLES
from .admin_base import bp as console_bp
from .admin_base import console_page, ctx
from .booking_text import current_lang, remember_lang

# Nothing from elsewhere; the socket goes to the same host (ws: and wss: for 'self').
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")

bp = Blueprint("board", __name__, template_folder="templates")


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"  # the page embeds a bearer token
    return remember_lang(response)


@bp.get("/board")
def board() -> Any:
    """The board; anyone not signed in as an admin or supervisor goes through the console's guard at /admin/board
    (the login page, or the refusal a clerk gets), which leads back here."""
    if not current_user.is_authenticated or current_user.principal.role not in BOARD_ROLES:
        return redirect(url_for("admin.board", **request.args))
    principal = current_user.principal
    tv = request.args.get("tv") in ("1", "true", "yes")
    # ?agencies=A,B: a board for part of the building (a floor's TV); the server keeps it within the user's own
    agencies = [a.strip() for a in request.args.get("agencies", "").split(",") if a.strip()]
    config = {"token": current_user.token, "namespace": "/board", "lang": current_lang(), "tv": tv,
              "loginUrl": url_for("admin.login", reason="expired", next=url_for("admin.board")),
              # the site's clock (a demo's runs faster: clockRate), so minutes agree with the tickets' times
              "serverNowMs": int(ctx().now().timestamp() * 1000), "clockRate": clock_rate(ctx()),
              "user": principal.name, "role": principal.role,
              "timezone": ctx().site.timezone.key, "agencies": agencies}  # the clock shows site time
    args = request.args.to_dict()
    links = {"tv": url_for(".board", **(args | {"tv": "1"})),
             "lang": url_for(".board", **(args | {"lang": "id" if current_lang() == "en" else "en"}))}
    return render_template("board/board.html", config=config, tv=tv, lang=current_lang(), site=ctx().site,
                           links=links)


def _to_board() -> Response:
    return redirect(url_for("board.board", **request.args))


# The console's entry to the board (its navigation, and where its login comes back to: /admin paths only).
console_bp.add_url_rule("/board", endpoint="board", view_func=console_page(_to_board))
