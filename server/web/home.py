"""The server's front page: where a newcomer finds the counter terminal, booking, displays and the API."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, render_template

bp = Blueprint("home_pages", __name__, template_folder=str(Path(__file__).parent / "templates"))


@bp.get("/")
def index() -> str:
    ctx = current_app.extensions["antre"]
    return render_template("home/index.html", site=ctx.site)
