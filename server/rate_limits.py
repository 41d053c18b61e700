"""Every rate limit of the server, set up once with Flask-Limiter (issue 17: 5).

- Storage: Redis when `[realtime] message_queue` is Redis, so every process of a site shares one budget; memory
  otherwise (one process). Should Redis fail, each process falls back to memory rather than refuse everyone.
- The client address is Flask's `remote_addr`: X-Forwarded-For counts only behind `[server] proxies` trusted
  proxies (ProxyFix, set up in app.py); without them a forged header changes nothing.
- Login (POST /api/v1/auth/token, /counter/login, /admin/login share the buckets): failed tries are counted per
  username (`[server] login_rate_limit`, whatever the address) and per address (five times as many, whatever the
  username). A correct password is answered normally unless its own username's or its own address's bucket is full:
  an address hammering one account does not lock its other users out.
- Booking writes (API and pages): per address (`[booking] rate_limit`), and per NIK hash for a new booking and per
  booking code for find, cancel and reschedule (guessing the NIK's last 4 digits of one code from many addresses).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, Response, request, session
from flask.globals import request_ctx
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

LOGIN_VIEWS = ("auth.token", "counter_pages.login", "admin.login")
ADDRESS_FACTOR = 5  # an address may fail this many times more than one username (a shared office NAT)
_RATE = re.compile(r"^\s*(\d+)\s*(/|per)\s*(.+)$")


def storage_uri(message_queue: str) -> str:
    return message_queue if message_queue.startswith(("redis://", "rediss://", "unix://")) else "memory://"


def make_limiter(app: Flask, message_queue: str) -> Limiter:
    """The app's one Limiter (no default limits: each limit is named where it applies)."""
    return Limiter(get_remote_address, app=app, storage_uri=storage_uri(message_queue), default_limits=[],
                   key_prefix="antre", headers_enabled=True, swallow_errors=True,
                   in_memory_fallback_enabled=True, strategy="fixed-window")


def _form_or_json(name: str) -> str:
    """A field of the request's JSON object or form, as text ("" when absent or not text)."""
    data = request.get_json(silent=True) if request.is_json else request.form
    value = data.get(name) if isinstance(data, dict) or hasattr(data, "get") else None
    return value.strip().lower() if isinstance(value, str) else ""


def _digest(text: str) -> str:
    # The NIK is personal data: the limiter's storage (Redis) sees only a hash of it.
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:32]


def _login_username() -> str:
    return "user:" + _digest(_form_or_json("username"))


def _failed(response: Response) -> bool:
    return response.status_code == 401


def scaled(rate: str, factor: int) -> str:
    """"10/minute" × 5 → "50/minute"."""
    match = _RATE.match(rate)
    return f"{int(match.group(1)) * factor}/{match.group(3).strip()}" if match else rate


def limit_logins(app: Flask, limiter: Limiter, rate: str) -> None:
    """Wrap the three login views (after their blueprints are registered: decorating the module functions would
    change nothing) with the per-username and per-address limits on failed tries; "" turns login limits off."""
    if not rate:
        return
    per_user = limiter.shared_limit(rate, scope="login-user", key_func=_login_username, methods=["POST"],
                                    deduct_when=_failed)
    per_address = limiter.shared_limit(scaled(rate, ADDRESS_FACTOR), scope="login-address", methods=["POST"],
                                       deduct_when=_failed)
    for endpoint in LOGIN_VIEWS:
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = per_user(per_address(app.view_functions[endpoint]))


def check_only_where_limited(app: Flask, limiter: Limiter) -> None:
    """Flask-Limiter's hooks run on every request, and cost ~7 % of a call-next (issue 11) to find that a counter
    or ticket endpoint has no limit. With no application or default limits (none are set: each limit is named where
    it applies), only the login views carry limits checked before the view; the booking limits are checked inside
    their views (`with limit:`), which marks the request, so the after-request hook (rate-limit headers, the
    deduction of a failed login) and the teardown still run for them, and for nothing else."""
    manager = limiter.limit_manager
    if manager.application_limits or manager.default_limits:
        return
    checked = set(LOGIN_VIEWS)

    def marked() -> bool:  # Flask-Limiter keeps its per-request state on the request context, made when first used
        return hasattr(request_ctx._get_current_object(), "_limiter_request_context")  # type: ignore[attr-defined]

    def guard(hook: Any, when: Callable[[], bool]) -> Any:
        @wraps(hook)
        def guarded(*args: Any) -> Any:
            return hook(*args) if when() else (args[0] if args else None)  # an after-request hook's response
        return guarded

    before = app.before_request_funcs.get(None, [])
    after = app.after_request_funcs.get(None, [])
    teardown = app.teardown_request_funcs.get(None, [])

    def login() -> bool:
        return request._get_current_object().endpoint in checked  # type: ignore[attr-defined]

    for hooks, when in ((before, login), (after, marked), (teardown, marked)):
        for i, hook in enumerate(hooks):
            if getattr(hook, "__self__", None) is limiter or getattr(hook, "args", None) == (limiter,):
                hooks[i] = guard(hook, when)


def booking_limits(limiter: Limiter, rate: str) -> list[Any]:
    """The booking writes' limits, each used as a block in the view (booking_guard.check_rate_limit)."""
    if not rate:
        return []
    return [
        limiter.shared_limit(rate, scope="booking"),  # per address
        limiter.shared_limit(rate, scope="booking-nik", key_func=lambda: "nik:" + _digest(_form_or_json("nik")),
                             exempt_when=lambda: not _form_or_json("nik")),
        limiter.shared_limit(rate, scope="booking-code", key_func=_booking_code,
                             exempt_when=lambda: not _booking_code()),
    ]


def _booking_code() -> str:
    """The booking code a find, cancel or reschedule is about: in the path (API), the body or form (find), the
    session (the pages' cancel and reschedule); "" for a new booking (whose <code> in the path is a service)."""
    endpoint = request.endpoint or ""
    if endpoint in ("booking.cancel", "booking.reschedule"):
        code = (request.view_args or {}).get("code", "")
    elif endpoint in ("booking.lookup", "booking_pages.manage"):
        code = _form_or_json("code")
    elif endpoint in ("booking_pages.cancel", "booking_pages.reschedule_form"):
        code = (session.get("booking_manage") or {}).get("code", "")
    else:
        code = ""
    return "code:" + _digest(str(code).strip().upper()) if code else ""
