"""Guards of the citizen's booking writes, shared by the REST API and the public booking pages: the rate limits
(per client address, per NIK hash, per booking code: server/rate_limits.py) and a honeypot form field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app
from flask_limiter import Limiter

from .rate_limits import booking_limits

HONEYPOT = "website"  # a field people never see; bots fill every field
_LIMIT = "antre_booking_limit"  # app.extensions key of the shared limit (absent when turned off)


def install_rate_limit(app: Flask, limiter: Limiter, rate_limit: str) -> None:
    """Prepare the shared limits of `app` ("20/minute"; "" turns them off)."""
    app.extensions[_LIMIT] = booking_limits(limiter, rate_limit)


def check_rate_limit() -> None:
    """Count this request against the citizen's booking limits (shared by every booking write, API and pages);
    over one, Flask-Limiter answers 429."""
    for limit in current_app.extensions.get(_LIMIT, ()):
        with limit:  # Flask-Limiter's in-view form: checks and counts the hit here
            pass


def honeypot_filled(values: Mapping[str, Any]) -> bool:
    """True when the hidden honeypot field came back filled (a JSON body or a form): a bot."""
    return bool(values.get(HONEYPOT))
