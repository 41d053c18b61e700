"""Server-rendered pages: the clerk's counter terminal, public booking pages and the live ticket status page."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Attach every page blueprint to `app`."""
    # issue 13: reports attaches /admin/reports to the console's blueprint, so it is imported before registration
    from . import reports

    app.register_blueprint(reports.pages)
    # survey_admin attaches the SKM report to the console's blueprint, so it is imported before registration
    from . import admin, board, booking, counter, devices_live, home, plan, status, survey, survey_admin  # noqa: F401

    for module in (home, counter, booking, status, admin, devices_live, board, survey):
        app.register_blueprint(module.bp)
