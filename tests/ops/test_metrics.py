"""GET /metrics: Prometheus text that prometheus_client's own parser reads, counting an issued and a called ticket,
HTTP latency per route pattern (never a token), sockets per namespace and devices online; log lines never carry a
NIK or a phone number (the redaction filter and the JSON format)."""

import json
import logging
import sys

import pytest
from prometheus_client.parser import text_string_to_metric_families

from server.app import create_app
from server.domain.accounts import Principal
from server.metrics import JsonFormatter, RedactFilter, redact
from server.services import accounts
from server.services import admin_accounts as admin
from support import PASSWORD, in_process_config

SYSTEM = Principal("system", "test", "admin")


@pytest.fixture
def site(tmp_path):
    flask_app, socketio = create_app(in_process_config(tmp_path))
    yield flask_app, socketio, flask_app.extensions["antre"]
    flask_app.extensions["antre"].engine.dispose()


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_metrics_parse_and_count_an_issued_and_a_called_ticket(site):
    flask_app, socketio, ctx = site
    _, kiosk = admin.create_device(ctx, SYSTEM, "kios-1", "kiosk")
    admin.create_user(ctx, SYSTEM, "siti", "clerk", PASSWORD, counters=["L05"])
    clerk = accounts.login(ctx, "siti", PASSWORD)
    api = flask_app.test_client()
    tv = socketio.test_client(flask_app, namespace="/display")
    kiosk_socket = socketio.test_client(flask_app, namespace="/kiosk", auth={"token": kiosk})
    kiosk_socket.emit("heartbeat", {"token": kiosk, "printer": "ok"}, namespace="/kiosk", callback=True)

    before = _samples(api.get("/metrics").get_data(as_text=True))
    assert before.get(("antre_tickets_issued_total", (("service", "KTP"),)), 0) == 0
    issued = api.post("/api/v1/tickets", json={"service": "KTP"}, headers={"Authorization": f"Bearer {kiosk}"})
    assert issued.status_code == 201
    token = issued.get_json()["token"]
    assert api.get(f"/api/v1/tickets/{token}").status_code == 200
    auth = {"Authorization": f"Bearer {clerk}"}
    assert api.post("/api/v1/counters/L05/open", json={}, headers=auth).status_code == 200
    assert api.post("/api/v1/counters/L05/call-next", json={}, headers=auth).status_code == 200

    reply = api.get("/metrics")
    assert reply.status_code == 200 and reply.mimetype == "text/plain"
    text = reply.get_data(as_text=True)
    after = _samples(text)
    assert after[("antre_tickets_issued_total", (("service", "KTP"),))] == 1
    assert after[("antre_tickets_called_total", (("service", "KTP"),))] == 1
    route = (("endpoint", "/api/v1/tickets"), ("method", "POST"), ("status", "201"))
    assert after[("antre_http_request_duration_seconds_count", route)] == 1
    assert ("antre_http_request_duration_seconds_count",
            (("endpoint", "/api/v1/tickets/<token>"), ("method", "GET"), ("status", "200"))) in after
    assert token not in text  # the route's pattern is the label, never the path
    assert after[("antre_connected_clients", (("namespace", "/display"),))] == 1
    assert after[("antre_connected_clients", (("namespace", "/kiosk"),))] == 1
    assert after[("antre_devices_online", (("kind", "kiosk"),))] == 1
    assert after[("antre_devices_online", (("kind", "display"),))] == 0
    assert after[("antre_event_fanout_seconds_count", ())] >= 3  # issue, open, call
    assert after[("antre_db_transaction_seconds_count", ())] > 0
    tv.disconnect(namespace="/display")


NIK, PHONE = "6472031505900001", "081234567890"


def test_a_nik_or_a_phone_number_never_reaches_a_log_line():
    assert redact(f"booking for {NIK} at +62 812-3456-7890 or {PHONE}") == (
        "booking for [NIK] at [telepon] or [telepon]")
    assert redact("ticket A-012 at 10.30, seq 1234567") == "ticket A-012 at 10.30, seq 1234567"
    record = logging.LogRecord("antre", logging.INFO, __file__, 1, "lookup %s phone %s", (NIK, PHONE), None)
    assert RedactFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "lookup [NIK] phone [telepon]" and line["level"] == "INFO"


def test_a_traceback_in_the_log_is_redacted_too():
    try:
        raise ValueError(f"NIK {NIK} tidak valid untuk {PHONE}")
    except ValueError:
        record = logging.LogRecord("antre", logging.ERROR, __file__, 1, "booking failed", None, sys.exc_info())
    assert RedactFilter().filter(record)
    text = logging.Formatter().format(record)
    assert "ValueError: NIK [NIK] tidak valid untuk [telepon]" in text and NIK not in text and PHONE not in text
