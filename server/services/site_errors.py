"""Turn the config validator's one-line errors into field errors with Indonesian messages (for the console/REST).

The same validator (`build_site` + the booking loader) checks config.toml, an imported file and every console
change; here its English line becomes `Invalid(code, message, field=...)` naming the form field.
"""

from __future__ import annotations

import re

from ..config import ConfigError
from ..domain.errors import Invalid

# (pattern of the validator's message, stable code, field or None = the pattern's group "field", message)
_RULES: tuple[tuple[re.Pattern[str], str, str | None, str], ...] = tuple((re.compile(p), c, f, m) for p, c, f, m in (
    (r"missing key '(?P<field>\w+)'", "required", None, "Wajib diisi."),
    (r"'(?P<field>\w+)' has the wrong type", "wrong_type", None, "Jenis nilainya salah."),
    (r"unknown agency '(?P<x>[^']*)'", "unknown_agency", "agency", "Instansi {x} tidak dikenal."),
    (r"bad prefix", "bad_prefix", "prefix", "Prefiks harus 1–2 huruf kapital, tanpa I dan O."),
    (r"prefix '(?P<p>[^']*)' already used by (?P<x>\S+)", "prefix_taken", "prefix",
     "Prefiks {p} sudah dipakai oleh layanan {x}."),
    (r"'open' cannot be 24:00", "bad_time", "open", "Jam buka tidak boleh 24:00."),
    (r"'close' must be after 'open'", "close_before_open", "close", "Jam tutup harus setelah jam buka."),
    (r" (?P<field>open|close|start|end): bad time", "bad_time", None, "Jam harus berbentuk HH:MM, mis. 08:00."),
    (r"'daily_quota' must be", "bad_quota", "daily_quota", "Kuota harian harus bilangan bulat 0 atau lebih."),
    (r"'target_wait_minutes' must be", "bad_target", "target_wait_minutes",
     "Target waktu tunggu harus bilangan bulat 1–1440 menit."),
    (r"unknown day", "bad_days", "days", "Hari tidak dikenal (pakai mon, tue, wed, thu, fri, sat, sun)."),
    (r"'days' must be", "bad_days", "days", "Pilih setidaknya satu hari."),
    (r"'(?P<field>\w+)' must be a list of strings", "wrong_type", None, "Harus berupa daftar teks."),
    (r"duplicate code '(?P<x>[^']*)'", "code_taken", "code", "Kode {x} sudah ada."),
    (r"unknown service '(?P<x>[^']*)'", "unknown_service", "services", "Layanan {x} tidak dikenal."),
    (r"'end' must be after 'start'", "end_before_start", "end", "Jam selesai harus setelah jam mulai."),
    (r"bad date", "bad_date", "date", "Tanggal harus berbentuk YYYY-MM-DD."),
    (r"at least one \[\[service\]\]", "no_service", "code", "Situs butuh setidaknya satu layanan aktif."),
    (r"session '(?P<s>[^']*)' \((?P<h>[^)]*)\) lies outside the hours of service (?P<x>\S+) \((?P<o>[^)]*)\)",
     "session_outside_hours", "sessions", "Sesi {s} ({h}) di luar jam layanan {x} ({o})."),
    (r"must end after it starts", "end_before_start", "sessions", "Setiap sesi harus selesai setelah mulai."),
    (r"session code|each session needs|two sessions share|'sessions' must be", "bad_sessions", "sessions",
     "Setiap sesi butuh nama unik, jam mulai, jam selesai dan kuota."),
    (r"session .*'quota' must be", "bad_quota", "sessions", "Kuota sesi harus bilangan bulat 1 atau lebih."),
    (r"'place' must be", "wrong_type", "place", "Jenis tempat harus berupa teks, mis. \"kelurahan\"."),
    (r"'retired' must be", "wrong_type", "retired", "Harus true atau false."),
    (r"'hours' must be a list|hours cannot start at 24:00|hours must be in order|hours: bad time", "bad_hours",
     "hours", "Jam kerja loket: satu rentang per baris (mis. 08:00-12:00), berurutan, selesai setelah mulai."),
))


def invalid_from(exc: ConfigError) -> Invalid:
    """The field error for a validator message (an unknown message keeps its own text, field "document")."""
    text = str(exc)
    for pattern, code, field, message in _RULES:
        match = pattern.search(text)
        if match:
            groups = match.groupdict()
            return Invalid(code, message.format(**groups), field=field or groups["field"], detail=text)
    return Invalid("invalid_site", f"Data tidak valid: {text}", field="document", detail=text)
