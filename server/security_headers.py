"""Headers on every answer (issue 17): a Content-Security-Policy that allows only this server (no inline script or
style: the templates load theirs from /static), no framing, no MIME sniffing, no Referer (a status page's address
is the key to its ticket), `no-store` on every page and API answer (names, booking codes, QR codes and tokens are
in them; only /static may be cached), and `Secure` cookies when the site is served over HTTPS.

A page blueprint that sets its own, stricter header keeps it: these are defaults (`setdefault`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, request

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PAGE_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self' ws: wss:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
            "form-action 'self'")
API_CSP = "default-src 'none'; frame-ancestors 'none'"  # JSON and files: nothing to load, nothing to frame
COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


_PAGE = (("Content-Security-Policy", PAGE_CSP), *COMMON.items())
_OTHER = (("Content-Security-Policy", API_CSP), *COMMON.items())


def add_headers(response: Response) -> Response:
    """An after_request hook: the defaults above (one pass over the answer's headers: this runs on every request)."""
    headers = response.headers
    present = {name.lower() for name in headers.keys()}
    for name, value in _PAGE if response.mimetype == "text/html" else _OTHER:
        if name.lower() not in present:
            headers.add(name, value)
    if "cache-control" not in present and not request._get_current_object().path.startswith("/static/"):
        headers.add("Cache-Control", "no-store")
    return response


class SecureCookies:
    """WSGI middleware: over HTTPS every cookie gets `Secure`, whoever sets it and whenever (Flask saves the session
    and Flask-Login its remember cookie after the after_request hooks have run). Behind nginx, `[server] proxies`
    makes ProxyFix (outside this) turn X-Forwarded-Proto: https into the scheme seen here."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("wsgi.url_scheme") != "https":
            return self.app(environ, start_response)

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers = [(k, f"{v}; Secure" if k.lower() == "set-cookie" and "; secure" not in v.lower() else v)
                       for k, v in headers]
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def register(app: Flask) -> None:
    """Attach the hook and the middleware. `Secure` follows each request's scheme, not `[server] public_url`: a site
    whose citizens come over https may still have clerks' PCs on plain http inside the LAN, whose cookies must work."""
    app.after_request(add_headers)
    app.wsgi_app = SecureCookies(app.wsgi_app)  # type: ignore[method-assign]
