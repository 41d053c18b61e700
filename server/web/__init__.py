"""Server-rendered pages: the clerk's counter terminal, public booking pages and the live ticket status page."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Attach every page blueprint to `app`."""
    from . import admin, board, booking, counter, devices_live, home, status

    for module in (home, counter, booking, status, admin, devices_live, board):
        app.register_blueprint(module.bp)
