"""Device health over Socket.IO: kiosks, TVs and survey tablets send `heartbeat` on their own namespace (`/kiosk`,
`/display`, `/survey`) with their device token; counter terminals ask for `device_alerts` and are told when they change.

Every process runs a small monitor that, while one of its counter terminals is connected, reads the devices' state
once per `alert_check_seconds` and sends each of its OWN terminals (`ignore_queue`) the alerts of its agency when
they change: the database is the one place every process reads, so no message between processes is needed and an
alert reaches every terminal within a second or two of the heartbeat (or of the silence) that caused it.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import request
from flask_socketio import SocketIO

from ..domain.errors import DomainError
from ..ops_config import OpsSettings
from ..services import accounts, devices_health
from ..services.context import Context
from .emits import COUNTER, DISPLAY, KIOSK, counter_room
from .failures import LoopFailures
from .survey import SURVEY

log = logging.getLogger(__name__)
DEVICE_NAMESPACES = (KIOSK, DISPLAY, SURVEY)


def _error(exc: DomainError) -> dict[str, Any]:
    return {"error": {"code": exc.code, "message": exc.message}}


def _token(data: Any) -> str:
    return str(data.get("token", "")).strip() if isinstance(data, dict) else ""


class DeviceMonitor:
    """Receives heartbeats and pushes device alerts to this process's counter terminals."""

    def __init__(self, socketio: SocketIO, ctx: Context, settings: OpsSettings) -> None:
        self.sio, self.ctx, self.settings = socketio, ctx, settings
        self._sent: dict[str, tuple[Any, ...]] = {}  # counter code → the alerts its terminals were last sent
        self._started = False
        for namespace in DEVICE_NAMESPACES:
            socketio.on_event("heartbeat", self._heartbeat, namespace=namespace)
        socketio.on_event("device_alerts", self._device_alerts, namespace=COUNTER)

    # ------------------------------------------------------------------ handlers
    def _heartbeat(self, data: Any = None) -> dict[str, Any]:
        """`heartbeat {"token", "version", "ip", "uptime", "printer", "error"}` → `{"ok": true, "every": secs}`
        (the ack tells the device how often to come back)."""
        try:
            device = accounts.resolve(self.ctx, _token(data))
            body = {k: v for k, v in data.items() if k != "token"} if isinstance(data, dict) else data
            devices_health.heartbeat(self.ctx, device, body, request.remote_addr or "")
        except DomainError as exc:
            return _error(exc)
        self.start()
        return {"ok": True, "every": self.settings.heartbeat_seconds}

    def _device_alerts(self, data: Any = None) -> dict[str, Any]:
        """A counter terminal asks for the alerts of its loket's agency (`{"token", "counter"}`)."""
        try:
            principal = accounts.resolve(self.ctx, _token(data))
            if principal.kind != "user":
                return {"error": {"code": "forbidden", "message": "Hanya petugas yang melihat peringatan."}}
            counter = str(data.get("counter", "")) if isinstance(data, dict) else ""
            found = devices_health.alerts_for_counter(self.ctx.site, devices_health.alerts(self.ctx), counter)
        except DomainError as exc:
            return _error(exc)
        self.start()
        return {"alerts": [a.to_dict() for a in found]}

    # ------------------------------------------------------------------ the monitor
    def start(self) -> None:
        if not self._started:
            self._started = True
            self.sio.start_background_task(self._loop)

    def _terminals_open(self) -> bool:
        rooms = self.sio.server.manager.rooms.get(COUNTER, {})
        return bool(rooms.get(None))

    def check(self) -> int:
        """Send every counter room of this process whose alerts changed its new list; the number of rooms told."""
        if not self._terminals_open():
            self._sent.clear()  # the next terminal asks for the alerts itself when it connects
            return 0
        found = devices_health.alerts(self.ctx)
        told = 0
        for code in self.ctx.site.counters:
            mine = devices_health.alerts_for_counter(self.ctx.site, found, code)
            key = tuple((a.device_id, a.problem) for a in mine)
            if self._sent.get(code, ()) == key:
                continue
            self._sent[code] = key
            self.sio.emit("device_alerts", {"alerts": [a.to_dict() for a in mine]}, namespace=COUNTER,
                          to=counter_room(code), ignore_queue=True)
            told += 1
        return told

    def _loop(self) -> None:
        failures = LoopFailures(log, "device alert check failed")
        while True:
            self.sio.sleep(self.settings.alert_check_seconds)
            try:
                self.check()
                failures.worked()
            except Exception as exc:  # a database hiccup must not end the monitor; the next round tries again
                failures.failed(exc)
