"""Words on the TV (Bahasa Indonesia first, English switchable) and the date and clock in the site's zone."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
# Indonesia's three zones go by their own names; other zones fall back to the zone's abbreviation.
ZONE_NAMES = {7: "WIB", 8: "WITA", 9: "WIT"}

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "now_calling": "NOMOR ANTREAN",
        "go_to": "silakan menuju",
        "recall": "PANGGILAN ULANG",
        "priority": "PRIORITAS",
        "no_calls": "Belum ada panggilan",
        "no_calls_hint": "Silakan ambil nomor antrean di kios",
        "opens_today": "Layanan dibuka pukul {time}",
        "opens_tomorrow": "Layanan dibuka besok, {time}",
        "opens_on": "Layanan dibuka {day}, {time}",
        "opens_hint": "Nomor antrean dapat diambil di kios saat layanan dibuka",
        "history": "Riwayat Panggilan",
        "history_empty": "Belum ada panggilan hari ini",
        "counters": "Loket",
        "waiting_service": "Menunggu per Layanan",
        "waiting_agency": "Menunggu per Instansi",
        "waiting_none": "Tidak ada yang menunggu",
        "people": "orang",
        "closed": "Tutup",
        "paused": "Istirahat",
        "idle": "—",
        "reconnecting": "Menyambung ulang…",
        "refused": "Token layar ditolak",
    },
    "en": {
        "now_calling": "NOW CALLING",
        "go_to": "please go to",
        "recall": "CALLED AGAIN",
        "priority": "PRIORITY",
        "no_calls": "No calls yet",
        "no_calls_hint": "Please take a queue number at the kiosk",
        "opens_today": "Service starts at {time}",
        "opens_tomorrow": "Service starts tomorrow, {time}",
        "opens_on": "Service starts {day}, {time}",
        "opens_hint": "Queue numbers are issued at the kiosk once service starts",
        "history": "Recent Calls",
        "history_empty": "No calls yet today",
        "counters": "Counters",
        "waiting_service": "Waiting per Service",
        "waiting_agency": "Waiting per Agency",
        "waiting_none": "Nobody is waiting",
        "people": "people",
        "closed": "Closed",
        "paused": "On break",
        "idle": "—",
        "reconnecting": "Reconnecting…",
        "refused": "Display token refused",
    },
}


def label(language: str, key: str) -> str:
    """The screen text for key in language (Indonesian when the language or key is unknown)."""
    return LABELS.get(language, LABELS["id"]).get(key) or LABELS["id"].get(key, key)


def priority_labels(items: Any) -> dict[str, dict[str, str]]:
    """`GET /api/v1/priorities` ([{"code", "label", "label_en", ...}]) as {code: {"id": label, "en": label_en}}."""
    table: dict[str, dict[str, str]] = {}
    for item in items if isinstance(items, list) else ():
        if isinstance(item, Mapping) and item.get("code"):
            label_id = str(item.get("label") or item["code"])
            table[str(item["code"])] = {"id": label_id, "en": str(item.get("label_en") or label_id)}
    return table


def priority_label(labels: Mapping[str, Mapping[str, str]], language: str, code: str) -> str:
    """The server's label of a priority in language; until it is known, the code itself made readable."""
    entry = labels.get(code)
    if entry is None:
        return code.replace("_", " ").capitalize()
    return entry.get(language) or entry["id"]


def zone_name(moment: datetime) -> str:
    """WIB, WITA or WIT for Indonesia's zones, else the zone's own abbreviation (e.g. "UTC")."""
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() % 3600 == 0:
        hours = int(offset.total_seconds() // 3600)
        if hours in ZONE_NAMES:
            return ZONE_NAMES[hours]
    return moment.tzname() or ""


def format_date(moment: datetime, language: str = "id") -> str:
    """"Sabtu, 28 November 2026" (the day and month names of language)."""
    days, months = DAYS.get(language, DAYS["id"]), MONTHS.get(language, MONTHS["id"])
    return f"{days[moment.weekday()]}, {moment.day} {months[moment.month - 1]} {moment.year}"


def format_clock(moment: datetime) -> str:
    """"08.15 WITA": Indonesian writes the time with a dot."""
    return f"{moment.hour:02d}.{moment.minute:02d} {zone_name(moment)}".strip()


def format_datetime(moment: datetime, language: str = "id") -> str:
    """"Sabtu, 28 November 2026 · 08.15 WITA" for an aware datetime in the site's zone."""
    return f"{format_date(moment, language)} · {format_clock(moment)}"


def format_call_time(iso: str) -> str:
    """"2026-11-28T08:15:42+08:00" -> "08.15" (the call's own local time); "" when unreadable."""
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return ""
    return f"{moment.hour:02d}.{moment.minute:02d}"


def format_opening(opens: datetime, now: datetime, language: str = "id") -> str:
    """When service starts, from the TV's clock: "Layanan dibuka pukul 08.00" (later today), "… besok, 08.00",
    "… Senin, 08.00" (this week), "… Senin, 7 Desember, 08.00" (later)."""
    opens = opens.astimezone(now.tzinfo)
    clock = f"{opens.hour:02d}.{opens.minute:02d}"
    days = (opens.date() - now.date()).days
    if days <= 0:
        return label(language, "opens_today").format(time=clock)
    if days == 1:
        return label(language, "opens_tomorrow").format(time=clock)
    day = DAYS.get(language, DAYS["id"])[opens.weekday()]
    if days > 6:
        day = f"{day}, {opens.day} {MONTHS.get(language, MONTHS['id'])[opens.month - 1]}"
    return label(language, "opens_on").format(day=day, time=clock)
