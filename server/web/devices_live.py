"""The console's live device health: `/admin/devices/health.json` (what the devices page polls every two seconds:
each device's online state and printer, and the open alerts), and the words for printer states and alerts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from ..services import admin_accounts, devices_health
from .admin_base import actor, console_page, ctx
from .booking_text import current_lang

bp = Blueprint("devices_live", __name__, url_prefix="/admin")
POLL_MS = 2000  # an alert shows within this plus one request: well inside the 5 s the office was promised

TEXT: dict[str, tuple[str, str]] = {
    "alerts_title": ("Peringatan perangkat", "Device alerts"),
    "alerts_none": ("Semua perangkat yang terhubung dalam keadaan baik.", "Every connected device is fine."),
    "alerts_since": ("sejak", "since"),
    "printer_ok": ("baik", "ok"), "printer_paper_low": ("kertas hampir habis", "paper low"),
    "printer_paper_out": ("kertas habis", "paper out"), "printer_cover_open": ("penutup terbuka", "cover open"),
    "printer_offline": ("printer luring", "printer offline"), "printer_unknown": ("tidak diketahui", "unknown"),
    "printer_none": ("tanpa printer", "no printer"),
    "online": ("daring", "online"), "offline": ("luring", "offline"),
    "state_printer": ("Printer", "Printer"), "state_version": ("Versi", "Version"), "state_ip": ("IP", "IP"),
    "state_uptime": ("Menyala", "Uptime"), "state_error": ("Galat cetak terakhir", "Last print error"),
}


def device_text(key: str) -> str:
    pair = TEXT.get(key)
    if pair is None:
        return key.removeprefix("printer_").removeprefix("state_")
    return pair[1] if current_lang() == "en" else pair[0]


def uptime_text(seconds: Any) -> str:
    """3725 → "1 j 2 m" (hours and minutes are enough to see a device that restarts)."""
    if not isinstance(seconds, int):
        return str(seconds)
    hours, minutes = divmod(seconds // 60, 60)
    days, hours = divmod(hours, 24)
    return (f"{days} h " if days else "") + f"{hours} j {minutes} m"


@bp.app_context_processor
def _words() -> dict[str, Any]:
    # device_health() is called only by the template that shows it (the devices page), never on other pages.
    return {"device_text": device_text, "uptime_text": uptime_text, "device_health": visible_health}


def visible_health() -> dict[str, Any]:
    """The signed-in admin's (or supervisor's) devices with their health, and their open alerts."""
    mine = {d.id for d in admin_accounts.list_devices(ctx(), actor())}
    found = [d for d in devices_health.health(ctx()) if d.id in mine]
    lang = current_lang()
    alerts = [a.to_dict() | {"text": a.text(lang)} for a in devices_health.alerts_of(found)]
    devices = [d.to_dict() | {"printer_text": device_text(f"printer_{d.printer}") if d.printer else "",
                              "online_text": device_text("online" if d.online else "offline")} for d in found]
    return {"devices": devices, "alerts": alerts, "poll_ms": POLL_MS}


@bp.get("/devices/health.json")
@console_page
def health() -> Any:
    response = jsonify(visible_health())
    response.headers["Cache-Control"] = "no-store"
    return response
