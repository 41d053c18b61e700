"""Every word the kiosk shows, in Bahasa Indonesia (first) and English, and the wording of waits and counts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

TEXT: dict[str, dict[str, str]] = {
    "title": {"id": "Ambil Nomor Antrean", "en": "Take a Queue Number"},
    "choose_agency": {"id": "Silakan pilih instansi", "en": "Please choose an agency"},
    "choose_service": {"id": "Silakan pilih layanan", "en": "Please choose a service"},
    "checkin": {"id": "Lapor Hadir", "en": "Check In"},
    "checkin_hint": {"id": "Sudah booking antrean online? Lapor hadir di sini",
                     "en": "Booked online? Check in here"},
    "checkin_hint_short": {"id": "Sudah booking online?", "en": "Booked online?"},
    "language": {"id": "English", "en": "Bahasa Indonesia"},
    "back": {"id": "Kembali", "en": "Back"},
    "home": {"id": "Beranda", "en": "Home"},
    "loading": {"id": "Memuat layanan…", "en": "Loading services…"},
    "services_count": {"id": "{n} layanan", "en": "{n} services"},
    "services_count_1": {"id": "1 layanan", "en": "1 service"},
    "waiting": {"id": "{n} orang menunggu", "en": "{n} waiting"},
    "eta": {"id": "perkiraan {t}", "en": "about {t}"},
    "open": {"id": "Buka", "en": "Open"},
    "quota": {"id": "Kuota Habis", "en": "Quota Reached"},
    "closed": {"id": "Layanan Tutup", "en": "Service Closed"},
    "remaining": {"id": "sisa kuota {n}", "en": "{n} left today"},
    "opens_today": {"id": "Buka pukul {time}", "en": "Opens at {time}"},
    "opens_tomorrow": {"id": "Buka besok, {time}", "en": "Opens tomorrow, {time}"},
    "opens_on": {"id": "Buka {day}, {time}", "en": "Opens {day}, {time}"},
    "before_opening": {"id": "Layanan dibuka pukul {time}. Silakan menunggu.",
                       "en": "Services open at {time}. Please wait."},
    "search": {"id": "Cari layanan", "en": "Find a service"},
    "search_hint": {"id": "Ketik namanya, mis. KTP, SIM, paspor", "en": "Type its name, e.g. KTP, SIM, paspor"},
    "search_title": {"id": "Cari Layanan", "en": "Find a Service"},
    "search_sub": {"id": "Ketik nama layanan dengan papan ketik di layar",
                   "en": "Type the service's name on the on-screen keyboard"},
    "search_box": {"id": "Ketik nama layanan…", "en": "Type a service name…"},
    "all_services": {"id": "Semua layanan (A–Z)", "en": "All services (A–Z)"},
    "found": {"id": "{n} layanan ditemukan", "en": "{n} services found"},
    "found_1": {"id": "1 layanan ditemukan", "en": "1 service found"},
    "not_found": {"id": "Layanan \u201c{q}\u201d tidak ditemukan", "en": "No service matches \u201c{q}\u201d"},
    "not_found_hint": {"id": "Periksa ejaan atau coba kata lain (mis. KTP, SIM, paspor), atau kembali ke Beranda "
                             "dan pilih instansi.",
                       "en": "Check the spelling or try another word (e.g. KTP, SIM, paspor), or go back Home "
                             "and choose an agency."},
    "space": {"id": "Spasi", "en": "Space"},
    "clear": {"id": "Kosongkan", "en": "Clear"},
    "more_services": {"id": "+{n} lainnya", "en": "+{n} more"},
    "page": {"id": "Halaman {a} dari {b}", "en": "Page {a} of {b}"},
    "prev": {"id": "‹ Sebelumnya", "en": "‹ Previous"},
    "next": {"id": "Berikutnya ›", "en": "Next ›"},
    "priority_title": {"id": "Apakah Anda perlu layanan prioritas?", "en": "Do you need priority service?"},
    "priority_note": {"id": "Nomor prioritas dipanggil lebih dulu, tanpa menghentikan antrean reguler. "
                              "Petugas dapat memeriksa.",
                      "en": "Priority numbers are called sooner, without stopping the regular line. "
                            "Staff may check."},
    "regular": {"id": "Reguler", "en": "Regular"},
    "regular_sub": {"id": "Tidak perlu prioritas", "en": "No priority needed"},
    "confirm_title": {"id": "Periksa sebelum mengambil nomor", "en": "Check before taking a number"},
    "requirements": {"id": "Persyaratan yang perlu dibawa", "en": "Requirements to bring"},
    "no_requirements": {"id": "Tidak ada persyaratan khusus", "en": "No special requirements"},
    "fee": {"id": "Biaya", "en": "Fee"},
    "duration": {"id": "Waktu penyelesaian", "en": "Completion time"},
    "priority": {"id": "Prioritas", "en": "Priority"},
    "confirm": {"id": "Ambil Nomor Antrean", "en": "Take a Number"},
    "printing": {"id": "Mencetak…", "en": "Printing…"},
    "please_wait": {"id": "Mohon tunggu sebentar", "en": "Please wait a moment"},
    "checking": {"id": "Memeriksa kode booking…", "en": "Checking the booking code…"},
    "your_number": {"id": "Nomor antrean Anda", "en": "Your queue number"},
    "take_ticket": {"id": "Silakan ambil tiket Anda", "en": "Please take your ticket"},
    "ahead": {"id": "{n} orang di depan Anda", "en": "{n} people ahead of you"},
    "wait": {"id": "Perkiraan menunggu: {t}", "en": "Estimated wait: {t}"},
    "done": {"id": "Selesai", "en": "Done"},
    "qr_hint": {"id": "Pindai kode QR ini dengan ponsel untuk memantau antrean Anda",
                "en": "Scan this QR code with your phone to follow your place in line"},
    "note_number": {"id": "Catat atau foto nomor ini", "en": "Write down or photograph this number"},
    "unavailable": {"id": "Layanan sementara tidak tersedia", "en": "Service temporarily unavailable"},
    "unavailable_sub": {"id": "Silakan hubungi petugas atau coba lagi sebentar lagi.",
                        "en": "Please contact staff or try again in a moment."},
    "retry": {"id": "Coba Lagi", "en": "Try Again"},
    "refused": {"id": "Nomor tidak dapat diambil", "en": "No number can be issued"},
    "refused_hint": {"id": "Silakan pilih layanan lain atau tanyakan kepada petugas.",
                     "en": "Please choose another service or ask a member of staff."},
    "checkin_title": {"id": "Lapor Hadir Antrean Online", "en": "Check In an Online Booking"},
    "checkin_sub": {"id": "Ketik kode booking Anda atau pindai kode QR booking",
                    "en": "Type your booking code or scan your booking QR code"},
    "checkin_failed": {"id": "Lapor hadir gagal", "en": "Check-in failed"},
    "delete": {"id": "Hapus", "en": "Delete"},
    "send": {"id": "Lapor Hadir", "en": "Check In"},
    "reprinting": {"id": "Mencetak ulang nomor {number}", "en": "Reprinting number {number}"},
    "reprint_failed": {"id": "Cetak ulang {number} gagal: {reason}", "en": "Reprint of {number} failed: {reason}"},
    "printer_warning": {"id": "Printer bermasalah: nomor antrean akan ditampilkan di layar",
                        "en": "Printer problem: your number will be shown on the screen"},
    "paper_out_warning": {"id": "Kertas printer habis: nomor antrean akan ditampilkan di layar",
                          "en": "Printer out of paper: your number will be shown on the screen"},
    "soon": {"id": "segera", "en": "soon"},
    "after_open": {"id": "setelah loket dibuka", "en": "once a counter opens"},
    "minutes": {"id": "{m} menit", "en": "{m} min"},
    "hours": {"id": "{h} jam", "en": "{h} h"},
    "hours_minutes": {"id": "{h} jam {m} menit", "en": "{h} h {m} min"},
}

DAYS = {"id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
        "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}
MONTHS = {"id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
          "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")}

# Printer failures as the visitor reads them (PrinterError.code -> text); Indonesian matches hardware.printing.
PRINTER_TEXT: dict[str, dict[str, str]] = {
    "paper_out": {"id": "Kertas printer habis, silakan hubungi petugas",
                  "en": "The printer is out of paper, please contact staff"},
    "offline": {"id": "Printer tidak terhubung, silakan hubungi petugas",
                "en": "The printer is not connected, please contact staff"},
    "access_denied": {"id": "Tidak ada izin untuk memakai printer, silakan hubungi petugas",
                      "en": "The printer cannot be used, please contact staff"},
    "print_failed": {"id": "Tiket gagal dicetak, silakan hubungi petugas",
                     "en": "The ticket could not be printed, please contact staff"},
}

# The contract's priority codes, offered in this order until the server's table (GET /priorities) has arrived;
# their labels and hints are only the server's.
PRIORITIES = ("lansia", "disabilitas", "ibu_hamil", "balita")


def t(lang: str, key: str, **values: object) -> str:
    """The text `key` in `lang` (falls back to Indonesian), with `{name}` fields filled in."""
    entry = TEXT[key]
    return entry.get(lang, entry["id"]).format(**values)


def priority_codes(table: Mapping[str, Mapping[str, Any]]) -> tuple[str, ...]:
    """The priority categories to offer: the server's, or the contract's codes while its table is missing."""
    return tuple(table) or PRIORITIES


def priority_text(table: Mapping[str, Mapping[str, Any]], lang: str, code: str, field: str = "label") -> str:
    """The server's `label` (or `hint`) of a priority in `lang`; without its table, the code made readable (and
    no hint)."""
    entry = table.get(code)
    if entry is None:
        return code.replace("_", " ").capitalize() if field == "label" else ""
    return str((entry.get(f"{field}_en") if lang == "en" else None) or entry.get(field) or "")


def printer_text(lang: str, code: str | None) -> str:
    """What to tell the visitor about a printer failure with this `PrinterError.code`."""
    entry = PRINTER_TEXT.get(code or "", PRINTER_TEXT["print_failed"])
    return entry.get(lang, entry["id"])


def wait_text(lang: str, minutes: int | None, no_counter_open: bool = False) -> str:
    """An estimated wait in words: "segera", "25 menit", "1 jam 20 menit"; "setelah loket dibuka" when the server
    says no loket serves the service yet (its `no_counter_open`): then there is no estimate, not a short one."""
    if no_counter_open:
        return t(lang, "after_open")
    if not minutes or minutes <= 0:
        return t(lang, "soon")
    hours, rest = divmod(int(minutes), 60)
    if hours == 0:
        return t(lang, "minutes", m=rest)
    return t(lang, "hours", h=hours) if rest == 0 else t(lang, "hours_minutes", h=hours, m=rest)


def opening_text(lang: str, opens: datetime, now: datetime) -> str:
    """When a closed service opens, from the kiosk's clock: "Buka pukul 08.00" (later today), "Buka besok, 08.00",
    "Buka Senin, 08.00" (this week), "Buka Senin 5 Jan, 08.00" (later)."""
    opens = opens.astimezone(now.tzinfo)
    clock = f"{opens:%H.%M}"  # Indonesian time format, in English too: the same clock as the header
    days = (opens.date() - now.date()).days
    if days <= 0:
        return t(lang, "opens_today", time=clock)
    if days == 1:
        return t(lang, "opens_tomorrow", time=clock)
    names = DAYS.get(lang, DAYS["id"])
    day = names[opens.weekday()]
    if days > 6:
        day = f"{day} {opens.day} {MONTHS.get(lang, MONTHS['id'])[opens.month - 1]}"
    return t(lang, "opens_on", day=day, time=clock)
