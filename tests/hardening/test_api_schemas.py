"""The API's description is generated from its models (issue 17: 1): every request and answer model is a component
of /api/v1/openapi.json exactly as pydantic describes it, every operation documents a 2xx and its 4xx answers, the
document names every /api/v1 route and nothing else, and a real server's answers — one walk through every
operation with a JSON answer, as kiosk, clerk, survey tablet, admin and nobody — each validate against the model
their operation names (strict pydantic) and against the served document's schema (JSON Schema). The server runs
with ANTRE_CHECK_ANSWERS=1, so it also refuses, as a 500, any answer that left its model."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import jsonschema_rs
import pytest
import requests
from flask import Flask
from pydantic import BaseModel, ValidationError

from server.api import answers, answers_office, schemas
from server.api.openapi import REF, document
from server.api.operations import FILE, OPERATIONS
from server.app import create_app
from server.config import config_from_dict
from support import Api, ServerProcess, site_config

MODELS = [m for module in (answers, answers_office, schemas) for m in vars(module).values()
          if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == module.__name__
          and m not in (answers.Answer, answers.OpenAnswer, answers.ServiceFacts, schemas.Body, schemas.SiteBody)]  # bases
NIK = "6472051203900001"


def test_every_model_is_a_component_exactly_as_pydantic_describes_it():
    components = document()["components"]["schemas"]
    assert len(MODELS) > 70
    for model in MODELS:
        own = model.model_json_schema(ref_template=REF)
        own.pop("$defs", None)
        assert components[model.__name__] == own, model.__name__


def test_every_operation_documents_a_2xx_and_its_4xx_with_the_error_model():
    spec = document()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            codes = {int(c) for c in op["responses"]}
            assert any(200 <= c < 300 for c in codes), (method, path)
            assert 400 in codes and (not op.get("security") or {401, 403} <= codes), (method, path)
            assert ("requestBody" not in op) or {413, 415, 422} <= codes, (method, path)
            for code in codes - set(range(200, 300)):
                assert op["responses"][str(code)]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"}, (method, path, code)


def test_the_document_names_every_api_route_and_no_other(tmp_path):
    raw = site_config()
    raw["server"]["async_mode"] = "threading"
    raw["storage"]["url"] = f"sqlite:///{tmp_path / 'antre.db'}"
    app, _ = create_app(config_from_dict(raw))
    try:
        routes = {(path, method.lower()) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
                  for path in _paths(rule.rule.removeprefix("/api/v1")) for method in rule.methods - {"HEAD", "OPTIONS"}}
    finally:
        app.extensions["antre"].engine.dispose()
    documented = {(re.sub(r"{\w+}", "{}", path), method) for path, item in document()["paths"].items()
                  for method in item}
    assert routes - {("/openapi.json", "get")} == documented


def _paths(rule: str) -> list[str]:
    """A Flask rule as the document's paths, parameters unnamed: each choice of an `any(...)`, `<x>` as `{}`."""
    choice = re.search(r"<any\(([^)]*)\):\w+>", rule)
    if choice:
        return [p for c in choice.group(1).split(",") for p in _paths(rule.replace(choice.group(0),
                                                                               c.strip().strip("'"), 1))]
    return [re.sub(r"<[^>]+>", "{}", rule)]


def test_a_drifted_answer_is_refused_when_answers_are_checked():
    app = Flask(__name__)
    with app.app_context(), mock.patch.object(answers, "CHECK_ANSWERS", True):
        assert answers.reply(answers.Ok, {"status": "ok"})[1] == 200
        for shape, drifted in ((answers.Ok, {"status": "ok", "extra": 1}), (answers.Ok, {"status": "fine"}),
                               (list[answers.CounterBrief], [{"code": "L01", "name": "Loket 1", "services": "KTP"}]),
                               (answers.Token, {"token": 5, "token_type": "Bearer"})):
            with pytest.raises(ValidationError):
                answers.reply(shape, drifted)
    with app.app_context(), mock.patch.object(answers, "CHECK_ANSWERS", False):  # production: never validated
        assert answers.reply(answers.Ok, {"status": "fine"})[0].get_json() == {"status": "fine"}


# ---------------------------------------------------------------------------------------------- a real server
@pytest.fixture(scope="module")
def server(tmp_path_factory):
    raw = site_config()
    raw["booking"].update(rate_limit="", services={}, sessions=[{"name": "Hari", "start": "00:00", "end": "24:00",
                                                                   "quota": 5}])
    with mock.patch.dict(os.environ, {"ANTRE_CHECK_ANSWERS": "1"}):
        proc = ServerProcess(tmp_path_factory.mktemp("api-schemas"), raw).start()
    try:
        proc.kiosk = proc.add_device("kiosk-1", "kiosk")
        done = proc.cli("device", "add", "tablet-4", "--kind", "survey", "--counter", "L04")
        assert done.returncode == 0, done.stderr
        proc.tablet = done.stdout.strip()
        proc.add_clerk("siti", "L04", "L05")
        yield proc
    finally:
        proc.stop()
    assert "Traceback" not in proc.log(), proc.log()[-4000:]


class Checked:
    """Sends requests, validates each answer against its operation's model and the served document."""

    def __init__(self, server: ServerProcess) -> None:
        self.spec = requests.get(f"{server.url}/api/v1/openapi.json", timeout=10).json()
        self.covered: set[tuple[str, str, int]] = set()

    def call(self, api: Api, method: str, path: str, json=None, status: int | None = None, **kw) -> requests.Response:
        r = api.s.request(method, api.base + path, json=json, timeout=10, **kw)
        template = self.template(path.split("?")[0], method)
        op = OPERATIONS[template][method.lower()]
        documented = self.spec["paths"][template][method.lower()]["responses"]
        assert str(r.status_code) in documented, (method, path, r.status_code, r.text[:300])
        assert status is None or r.status_code == status, (method, path, r.status_code, r.text[:300])
        if r.status_code >= 400:
            answers.Error.model_validate_json(r.content, strict=True)
        elif r.status_code == 204:
            assert r.content == b""
        else:
            shape = op.ok if r.status_code == op.status else op.also[r.status_code]
            if shape in (FILE, str):
                assert r.headers["Content-Type"].startswith(op.media)
            else:
                answers.adapter(shape).validate_json(r.content, strict=True)
                schema = documented[str(r.status_code)]["content"]["application/json"]["schema"]
                jsonschema_rs.validator_for(schema | {"components": self.spec["components"]}).validate(r.json())
        self.covered.add((template, method.lower(), r.status_code))
        return r

    def template(self, path: str, method: str) -> str:
        if path in self.spec["paths"] and method.lower() in self.spec["paths"][path]:
            return path
        for template, item in self.spec["paths"].items():
            if method.lower() in item and re.fullmatch(re.sub(r"{\w+}", "[^/]+", template), path):
                return template
        raise AssertionError(f"{method} {path} is not documented")


def test_answers_from_a_real_server_validate_against_their_documented_model(server):
    c, none = Checked(server), Api(server.url)
    kiosk, tablet = Api(server.url, server.kiosk), Api(server.url, server.tablet)
    clerk = Api(server.url).login("siti", "rahasia-123")
    admin = Api(server.url).login("admin", server.admin_password())
    today = datetime.now(ZoneInfo("Asia/Makassar")).date().isoformat()
    walk_public(c, none, today)
    walk_counter(c, none, kiosk, clerk, tablet, admin)
    walk_booking(c, none, kiosk, clerk, today)
    walk_accounts(c, none, admin)
    walk_site(c, admin)
    answered = {(path, method, status) for path, item in c.spec["paths"].items() for method, op in item.items()
                for status in map(int, op["responses"]) if 200 <= status < 300}
    assert answered - c.covered == set()  # every documented 2xx was seen and validated
    assert {code for *_, code in c.covered} >= {400, 401, 403, 404, 409, 415, 422}


def walk_public(c: Checked, none: Api, today: str) -> None:
    for path in ("/health", "/services", "/priorities", "/display/snapshot", "/booking/places",
                 "/booking/dates?service=KTP", f"/booking/slots?service=KTP&date={today}", "/survey/questions",
                 "/survey/questions?lang=en", "/survey/profile", "/survey/current"):
        c.call(none, "GET", path, status=200)
    c.call(none, "GET", "/survey/current?agency=NOPE", status=404)
    c.call(none, "GET", "/tickets/no-such-token", status=404)
    c.call(none, "POST", "/auth/token", {"username": "siti"}, status=422)
    c.call(none, "POST", "/auth/token", {"username": "siti", "password": "salah-sekali"}, status=401)
    c.call(none, "POST", "/auth/token", {"username": "siti", "password": "rahasia-123"}, status=200)
    c.call(none, "POST", "/auth/token", data="x", headers={"Content-Type": "text/plain"}, status=415)
    c.call(none, "POST", "/auth/token", data="[1", headers={"Content-Type": "application/json"}, status=400)
    c.call(none, "GET", "/counters", status=401)


def walk_counter(c: Checked, none: Api, kiosk: Api, clerk: Api, tablet: Api, admin: Api) -> None:
    key = {"Idempotency-Key": "walk-1"}
    first = c.call(kiosk, "POST", "/tickets", {"service": "KTP", "priority": "lansia"}, 201, headers=key).json()
    c.call(kiosk, "POST", "/tickets", {"service": "KTP", "priority": "lansia"}, 200, headers=key)
    c.call(kiosk, "POST", f"/tickets/{first['token']}/printed", {"printed": False, "reason": "paper_out"}, 200)
    c.call(clerk, "GET", "/tickets/unprinted", status=200)
    c.call(clerk, "POST", f"/tickets/{first['token']}/reprint", status=202)
    c.call(kiosk, "POST", "/devices/me/state", {"printer": "ok"}, 200)
    c.call(kiosk, "POST", "/devices/me/heartbeat", {"version": "1", "uptime": 5, "printer": "ok"}, 200)
    c.call(tablet, "POST", "/devices/me/heartbeat", {}, 200)
    for who in (kiosk, clerk):
        c.call(who, "GET", "/auth/me", status=200)
    c.call(kiosk, "GET", "/counters", status=403)
    c.call(clerk, "GET", "/counters", status=200)
    c.call(clerk, "POST", "/counters/L04/open", status=200)
    c.call(clerk, "GET", "/counters/L04", status=200)  # one waiting
    c.call(clerk, "POST", "/counters/L04/call-next", status=200)
    c.call(none, "GET", "/display/snapshot", status=200)  # with a call and a busy tile
    c.call(clerk, "POST", "/counters/L04/recall", status=200)
    c.call(clerk, "POST", "/counters/L04/start", status=200)
    c.call(clerk, "POST", "/counters/L04/finish", status=200)
    c.call(none, "GET", f"/tickets/{first['token']}/survey", status=200)
    c.call(tablet, "GET", "/survey/offer", status=200)
    scores = {f"U{i}": 3 for i in range(1, 10)}
    c.call(none, "POST", f"/tickets/{first['token']}/survey", {"answers": scores, "comment": "Antre cepat."}, 201)
    c.call(none, "POST", f"/tickets/{first['token']}/survey", {"answers": scores}, 409)
    c.call(tablet, "GET", "/survey/offer", status=204)  # answered: nothing to offer
    second = c.call(kiosk, "POST", "/tickets", {"service": "KK"}, 201).json()
    c.call(clerk, "POST", "/counters/L04/call-next", status=200)
    c.call(clerk, "GET", "/counters/L04", status=200)  # a current ticket
    c.call(clerk, "POST", "/counters/L04/skip", status=200)
    c.call(clerk, "GET", "/counters/L04", status=200)  # a skipped one
    c.call(clerk, "POST", "/counters/L04/recall", {"number": second["number"]}, 200)
    c.call(clerk, "POST", "/counters/L04/transfer", {"service": "KTP"}, 200)
    c.call(clerk, "POST", "/counters/L04/transfer", {"service": 7}, 422)
    c.call(clerk, "POST", "/counters/L04/call-next", status=200)
    c.call(clerk, "POST", "/counters/L04/finish", status=409)
    c.call(clerk, "POST", "/counters/L04/start", status=200)
    c.call(clerk, "POST", "/counters/L04/finish", status=200)
    c.call(clerk, "POST", "/counters/L04/call-next", status=204)
    c.call(clerk, "POST", "/counters/L04/pause", status=200)
    c.call(clerk, "POST", "/counters/L04/close", status=200)
    third = c.call(kiosk, "POST", "/tickets", {"service": "KK"}, 201).json()
    c.call(none, "POST", f"/tickets/{third['token']}/cancel", status=200)
    c.call(none, "POST", f"/tickets/{third['token']}/cancel", status=409)
    c.call(none, "GET", f"/tickets/{third['token']}", status=200)
    c.call(clerk, "POST", "/auth/logout", status=200)
    c.call(clerk, "GET", "/auth/me", status=401)
    clerk.login("siti", "rahasia-123")
    ikm = c.call(admin, "GET", "/reports/ikm", status=200).json()
    suggestion = ikm["suggestions"][0]["id"]
    c.call(admin, "POST", f"/survey/suggestions/{suggestion}/follow-up", {"state": "selesai", "reply": "Terima kasih"},
           200)
    c.call(admin, "GET", "/reports/summary?from=2026-01-01&to=2026-12-31", status=200)
    for path in ("/reports/summary.csv", "/reports/summary.xlsx", "/reports/tickets.csv"):
        c.call(admin, "GET", f"{path}?from=2026-01-01&to=2026-12-31", status=200)
    c.call(clerk, "GET", "/reports/summary?from=2026-01-01&to=2026-12-31", status=403)


def walk_booking(c: Checked, none: Api, kiosk: Api, clerk: Api, today: str) -> None:
    body = {"service": "KTP", "date": today, "session": "hari", "name": "Budi Santoso", "nik": NIK,
            "phone": "081234567890", "consent": True}
    code = c.call(none, "POST", "/bookings", body, 201).json()["code"]
    c.call(none, "POST", "/bookings", body, 409)
    c.call(none, "POST", "/bookings/lookup", {"code": code, "nik_last4": NIK[-4:]}, 200)
    c.call(kiosk, "POST", f"/bookings/{code}/check-in", status=201)
    c.call(kiosk, "POST", f"/bookings/{code}/check-in", status=200)
    c.call(clerk, "GET", "/bookings/today", status=200)
    other = c.call(none, "POST", "/bookings", body | {"service": "KK"}, 201).json()["code"]
    tomorrow = (date.fromisoformat(today) + timedelta(days=1)).isoformat()
    c.call(none, "POST", f"/bookings/{other}/reschedule", {"nik_last4": NIK[-4:], "date": tomorrow,
                                                           "session": "hari"}, 200)
    c.call(none, "POST", f"/bookings/{other}/cancel", {"nik_last4": NIK[-4:]}, 200)
    c.call(none, "POST", "/bookings/lookup", {"code": "ZZZZZZ", "nik_last4": "2345"}, 404)


def walk_accounts(c: Checked, none: Api, admin: Api) -> None:
    c.call(admin, "GET", "/users", status=200)
    user = c.call(admin, "POST", "/users", {"username": "budi", "role": "clerk", "password": "rahasia-123",
                                            "counters": ["L01"]}, 201).json()
    c.call(admin, "POST", "/users", {"username": "budi", "role": "clerk", "password": "rahasia-123"}, 409)
    c.call(admin, "PATCH", f"/users/{user['id']}", {"counters": ["L01", "L02"]}, 200)
    c.call(admin, "POST", f"/users/{user['id']}/password", {"password": "rahasia-456"}, 200)
    budi = Api(none.base.removesuffix("/api/v1")).login("budi", "rahasia-456")
    c.call(budi, "POST", "/me/password", {"old_password": "rahasia-456", "new_password": "rahasia-789"}, 200)
    c.call(admin, "POST", f"/users/{user['id']}/disable", status=200)
    c.call(admin, "POST", f"/users/{user['id']}/enable", status=200)
    c.call(admin, "POST", "/users/999999/enable", status=404)
    c.call(admin, "GET", "/devices", status=200)
    tv = c.call(admin, "POST", "/devices", {"name": "tv-1", "kind": "display"}, 201).json()
    c.call(admin, "GET", "/devices/health", status=200)
    c.call(admin, "DELETE", f"/devices/{tv['id']}", status=200)


def walk_site(c: Checked, admin: Api) -> None:
    entries = {"agencies": ("TES", {"code": "TES", "name": "Instansi Tes", "floor": 1}, {"floor": 2}),
               "services": ("TES1", {"code": "TES1", "agency": "TES", "name": "Layanan Tes", "prefix": "Z",
                             "open": "00:00", "close": "24:00"},
                            {"daily_quota": 10}),
               "counters": ("LT1", {"code": "LT1", "name": "Loket Tes", "services": ["TES1"]}, {"name": "Loket T"}),
               "holidays": ("2026-12-31", {"date": "2026-12-31", "name": "Libur tes"}, {"name": "Libur"}),
               "breaks": ("Rehat", {"name": "Rehat", "start": "12:00", "end": "13:00"}, {"end": "12:30"}),
               "booking-sessions": ("service:TES1", {"key": "service:TES1", "enabled": False}, {"enabled": True})}
    for part, (key, new, change) in entries.items():
        c.call(admin, "POST", f"/{part}", new, 201)
        c.call(admin, "GET", f"/site/{part}", status=200)
        c.call(admin, "GET", f"/site/{part}/{key}", status=200)
        if part not in ("services", "counters"):
            c.call(admin, "GET", f"/{part}", status=200)
        if part != "counters":
            c.call(admin, "GET", f"/{part}/{key}", status=200)
        c.call(admin, "PATCH", f"/{part}/{key}", change, 200)
    c.call(admin, "PATCH", "/services/TES1", {"daily_quota": "sepuluh"}, 422)
    for part in ("booking-sessions", "breaks", "holidays", "services"):
        c.call(admin, "DELETE", f"/{part}/{entries[part][0]}", status=200)
    # Found by Schemathesis: an open loket whose only service was retired made every ranking of the lines a 500.
    c.call(admin, "POST", "/counters/LT1/open", status=200)
    c.call(admin, "POST", "/tickets", {"service": "KTP"}, 201)
    c.call(admin, "POST", "/counters/LT1/close", status=200)
    for part in ("counters", "agencies"):
        c.call(admin, "DELETE", f"/{part}/{entries[part][0]}", status=200)
    c.call(admin, "GET", "/display/ticker", status=200)
    c.call(admin, "PUT", "/display/ticker", {"ticker": "Selamat datang."}, 200)
    text = c.call(admin, "GET", "/site/export", status=200).text
    c.call(admin, "POST", "/site/import?dry_run=1", data=text.encode(), headers={"Content-Type": "application/toml"},
           status=200)
    c.call(admin, "GET", "/audit?limit=5", status=200)
    c.call(admin, "GET", "/audit?limit=lima", status=422)
