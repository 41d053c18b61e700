"""Words of the booking and status pages: Bahasa Indonesia first, English on request (?lang=en)."""

from __future__ import annotations

from datetime import date, time

from flask import Blueprint, Response, current_app, request

from ..domain.ticket import PRIORITY_TEXTS, Priority

LANGS = ("id", "en")
COOKIE = "lang"

DAYS = {"id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
        "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}
MONTHS = {"id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
                 "November", "Desember"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December")}

TEXT: dict[str, dict[str, str]] = {
    "id": {
        "title": "Antrean Online", "tagline": "Pesan sesi layanan dari rumah, Lapor Hadir saat tiba.",
        "back": "Kembali", "step": "Langkah {n} dari 4",
        "choose_place": "Pilih tempat layanan", "kind_mpp": "Mal Pelayanan Publik", "kind_kelurahan": "Kantor Kelurahan",
        "n_services": "{n} layanan", "have_booking": "Sudah punya booking?",
        "footer": "Data pribadi dilindungi sesuai UU PDP No. 27/2022.", "manage_link": "Cek, ubah atau batalkan booking",
        "choose_service": "Pilih layanan", "requirements": "Persyaratan", "procedure": "Prosedur",
        "duration": "Waktu penyelesaian", "fee": "Biaya", "product": "Produk layanan", "complaint": "Pengaduan",
        "choose": "Pilih", "standard": "Standar pelayanan", "choose_date": "Pilih tanggal",
        "closed": "Tutup", "today": "Hari ini", "choose_session": "Pilih sesi", "remaining": "sisa {n} dari {q}",
        "full": "Kuota habis", "over": "Sesi sudah lewat", "applicant": "Data pemohon",
        "name": "Nama lengkap (sesuai KTP)", "name_short": "Nama", "priority_short": "Prioritas",
        "nik": "NIK (16 angka)", "nik_hint": "Lihat KTP atau Kartu Keluarga.",
        "phone": "Nomor HP (opsional)", "phone_hint": "Contoh: 0812 3456 7890",
        "priority": "Prioritas (opsional)", "priority_none": "Tidak ada",
        "consent": "Saya menyetujui pemrosesan data pribadi saya (nama, NIK, nomor HP) oleh {site} hanya untuk "
                   "antrean layanan ini, sesuai UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi.",
        "retention": "Nama, NIK dan nomor HP dihapus {days} hari setelah tanggal kunjungan; nomor antrean dan "
                     "statistik tetap ada tanpa data pribadi.",
        "privacy": "NIK Anda tidak disimpan utuh. Yang disimpan hanya 4 angka terakhirnya dan sebuah kode acak yang "
                   "tidak bisa diubah kembali menjadi NIK. NIK tidak pernah tampil utuh di layar, di alamat halaman, "
                   "atau di catatan sistem, dan tidak dibagikan kepada pihak lain.",
        "no_service": "Layanan itu tidak ada atau tidak melayani antrean online. Silakan pilih lagi.",
        "no_date": "Tanggal itu tidak dikenal. Silakan pilih tanggal.",
        "session_first": "Pilih sesi terlebih dahulu.", "other_date": "Pilih tanggal lain",
        "address": "Alamat", "hours": "Jam layanan", "current": "Jadwal Anda sekarang",
        "current_short": "jadwal sekarang",
        "submit": "Pesan Antrean", "retype_nik": "Demi keamanan, NIK perlu diketik ulang.",
        "no_session": "Tidak ada sesi yang bisa dipesan pada tanggal ini.",
        "done_title": "Booking berhasil", "code": "Kode booking",
        "show_code": "Tunjukkan kode atau QR ini saat Lapor Hadir di kios atau kepada petugas.",
        "checkin_when": "Lapor Hadir mulai pukul {opens} sampai {closes}. Nomor antrean Anda baru dibuat saat "
                        "Lapor Hadir; lewat dari waktu itu booking dinyatakan tidak hadir.",
        "bring": "Bawa persyaratan berikut", "nik_check": "Periksa kembali NIK Anda",
        "nik_check_hint": "Jika NIK salah, batalkan booking ini lalu pesan ulang.",
        "print": "Cetak / simpan", "manage": "Ubah atau batalkan",
        "place": "Tempat", "service": "Layanan", "date": "Tanggal", "session": "Sesi", "status": "Status",
        "manage_title": "Cek booking", "last4": "4 angka terakhir NIK", "find": "Cari booking",
        "cancel": "Batalkan booking", "cancel_confirm": "Ya, batalkan booking ini",
        "cancel_warn": "Tempat Anda di sesi ini akan dilepas untuk pemohon lain.",
        "cancelled_msg": "Booking dibatalkan. Tempat Anda sudah dilepas.", "reschedule": "Ubah jadwal",
        "rescheduled_msg": "Jadwal booking sudah diubah. Kode booking tetap sama.", "new_date": "Pilih tanggal baru",
        "new_session": "Pilih sesi baru", "save": "Simpan jadwal baru", "done": "Selesai",
        "ticket_number": "Nomor antrean", "error_title": "Tidak bisa diproses",
        "too_many": "Terlalu banyak permintaan dari perangkat ini. Coba lagi sebentar lagi.",
        "form_expired": "Formulir kedaluwarsa atau tidak dikirim dari halaman ini. Buka halamannya lagi dan ulangi.",
        "not_found": "Halaman tidak ditemukan.", "home": "Ke halaman awal",
        # the live ticket status page
        "st_title": "Status Antrean", "st_number": "Nomor antrean", "st_ahead": "Orang di depan Anda",
        "st_eta": "Perkiraan tunggu", "st_minutes": "{n} menit", "st_live": "Diperbarui langsung",
        "st_no_counter": "Belum ada loket yang melayani {service}; perkiraan setelah loket dibuka.",
        "st_offline": "Menyambung ulang…", "st_called": "Giliran Anda!", "st_go": "Silakan menuju",
        "st_sound": "Aktifkan suara & getar", "st_sound_on": "Suara aktif",
        "st_skipped": "Nomor Anda terlewat. Silakan hubungi petugas loket.",
        "st_done": "Layanan selesai. Terima kasih.", "st_cancelled": "Nomor antrean ini sudah tidak berlaku.",
        "st_serving": "Sedang dilayani di", "st_valid": "Berlaku hari ini",
        "st_unknown": "Tiket tidak ditemukan. Periksa kembali QR pada tiket Anda.",
        "st_cancel": "Batalkan antrean",
        "st_cancel_warn": "Nomor antrean ini akan dilepas dan tidak bisa dipakai lagi. Untuk dilayani, Anda perlu "
                          "mengambil nomor baru.",
        "st_cancel_yes": "Ya, batalkan antrean", "st_cancel_no": "Tidak jadi",
        "st_cancel_failed": "Antrean tidak bisa dibatalkan. Coba lagi atau hubungi petugas.",
    },
    "en": {
        "title": "Online Booking", "tagline": "Book a service session from home, check in when you arrive.",
        "back": "Back", "step": "Step {n} of 4",
        "choose_place": "Choose where to go", "kind_mpp": "Public Service Mall", "kind_kelurahan": "Village office",
        "n_services": "{n} services", "have_booking": "Already booked?",
        "footer": "Personal data protected under Law No. 27/2022 (PDP).", "manage_link": "Check, change or cancel a booking",
        "choose_service": "Choose a service", "requirements": "Requirements", "procedure": "Procedure",
        "duration": "Processing time", "fee": "Fee", "product": "Result", "complaint": "Complaints",
        "choose": "Choose", "standard": "Service standard", "choose_date": "Choose a date",
        "closed": "Closed", "today": "Today", "choose_session": "Choose a session", "remaining": "{n} of {q} left",
        "full": "Fully booked", "over": "Session is over", "applicant": "Applicant",
        "name": "Full name (as on the ID card)", "name_short": "Name", "priority_short": "Priority",
        "nik": "NIK (16 digits)", "nik_hint": "See your KTP or family card.",
        "phone": "Mobile number (optional)", "phone_hint": "Example: 0812 3456 7890",
        "priority": "Priority (optional)", "priority_none": "None",
        "consent": "I agree that {site} processes my personal data (name, NIK, phone) only for this service "
                   "booking, under Law No. 27 of 2022 on Personal Data Protection.",
        "retention": "Your name, NIK and phone number are erased {days} days after the visit date; the queue "
                     "number and statistics stay, without personal data.",
        "privacy": "Your NIK is not stored in full. Only its last 4 digits are kept, with a scrambled code that "
                   "cannot be turned back into the NIK. It is never shown in full on a screen, in a page address "
                   "or in system logs, and never shared.",
        "no_service": "That service does not exist or takes no online bookings. Please choose again.",
        "no_date": "That date is not valid. Please choose a date.",
        "session_first": "Choose a session first.", "other_date": "Choose another date",
        "address": "Address", "hours": "Opening hours", "current": "Your current booking",
        "current_short": "current booking",
        "submit": "Book", "retype_nik": "For your safety, please type your NIK again.",
        "no_session": "No session can be booked on this date.",
        "done_title": "Booking confirmed", "code": "Booking code",
        "show_code": "Show this code or QR code when you check in at the kiosk or with a clerk.",
        "checkin_when": "Check in from {opens} until {closes}. Your queue number is created when you check in; "
                        "after that time the booking counts as a no-show.",
        "bring": "Bring these documents", "nik_check": "Please check your NIK",
        "nik_check_hint": "If the NIK is wrong, cancel this booking and book again.",
        "print": "Print / save", "manage": "Change or cancel",
        "place": "Place", "service": "Service", "date": "Date", "session": "Session", "status": "Status",
        "manage_title": "Find a booking", "last4": "Last 4 digits of the NIK", "find": "Find booking",
        "cancel": "Cancel booking", "cancel_confirm": "Yes, cancel this booking",
        "cancel_warn": "Your place in this session will be released for others.",
        "cancelled_msg": "Booking cancelled. Your place has been released.", "reschedule": "Change date or session",
        "rescheduled_msg": "Your booking was moved. The booking code stays the same.", "new_date": "Choose a new date",
        "new_session": "Choose a new session", "save": "Save new schedule", "done": "Done",
        "ticket_number": "Queue number", "error_title": "Cannot be processed",
        "too_many": "Too many requests from this device. Please try again shortly.",
        "form_expired": "The form expired or was not sent from this page. Open the page again and retry.",
        "not_found": "Page not found.", "home": "Go to the start",
        "st_title": "Queue Status", "st_number": "Queue number", "st_ahead": "People ahead of you",
        "st_eta": "Estimated wait", "st_minutes": "{n} min", "st_live": "Live",
        "st_no_counter": "No counter is serving {service} yet; an estimate once one opens.",
        "st_offline": "Reconnecting…", "st_called": "It's your turn!", "st_go": "Please go to",
        "st_sound": "Turn on sound & vibration", "st_sound_on": "Sound on",
        "st_skipped": "Your number was skipped. Please talk to the counter clerk.",
        "st_done": "Service finished. Thank you.", "st_cancelled": "This queue number is no longer valid.",
        "st_serving": "Being served at", "st_valid": "Valid today only",
        "st_unknown": "Ticket not found. Please check the QR code on your ticket.",
        "st_cancel": "Give up my place",
        "st_cancel_warn": "This queue number will be released and cannot be used again. To be served you will need "
                          "a new number.",
        "st_cancel_yes": "Yes, give up my place", "st_cancel_no": "Keep my place",
        "st_cancel_failed": "The number could not be cancelled. Try again or ask a clerk.",
    },
}

STATUS_EN = {"terjadwal": "scheduled", "sudah lapor hadir": "checked in", "dibatalkan": "cancelled",
             "tidak hadir": "no-show", "menunggu": "waiting", "dipanggil": "called", "sedang dilayani": "being served",
             "selesai": "done", "terlewat": "skipped"}
# Session names are configured in Bahasa Indonesia; the usual ones read in English on the English pages.
SESSION_EN = {"pagi": "Morning", "siang": "Midday", "sore": "Afternoon", "malam": "Evening"}
WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def current_lang() -> str:
    """?lang=en|id wins (and is remembered in a cookie), then the cookie, then Bahasa Indonesia."""
    asked = request.args.get("lang")
    if asked in LANGS:
        return asked
    kept = request.cookies.get(COOKIE)
    return kept if kept in LANGS else "id"


def remember_lang(response: Response) -> Response:
    asked = request.args.get("lang")
    if asked in LANGS:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def translate(key: str, **values: object) -> str:
    lang = current_lang()
    text = TEXT[lang].get(key) or TEXT["id"][key]
    return text.format(**values) if values else text


def label(indonesian: str) -> str:
    """A status label in the page's language (labels come from the domain in Bahasa Indonesia)."""
    return STATUS_EN.get(indonesian, indonesian) if current_lang() == "en" else indonesian


def long_date(day: date | str) -> str:
    """Senin, 30 November 2026 / Monday, 30 November 2026 (from a date or an ISO date string)."""
    lang = current_lang()
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{DAYS[lang][day.weekday()]}, {day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def hhmm(iso: str | None) -> str:
    """"2026-11-30T07:00+08:00" → "07.00" (Indonesian time notation; the site's zone is already in the value)."""
    return "" if not iso else iso[11:16].replace(":", ".")


def clock(value: time | str | None) -> str:
    """A time of day in the one notation of the citizen pages, both languages: "08.00" (None = end of day)."""
    if value is None:
        return "24.00"
    text = value.strftime("%H:%M") if isinstance(value, time) else value
    return text.replace(":", ".")


def span(start: time | str | None, end: time | str | None) -> str:
    """"08.00–10.00": a session or opening hours, with an en dash."""
    return f"{clock(start)}\u2013{clock(end)}"


def session_name(name: str) -> str:
    """A configured session name in the page's language (unknown names stay as configured)."""
    return SESSION_EN.get(name.strip().lower(), name) if current_lang() == "en" else name


def priority_name(code: str | None) -> str:
    """A priority category's label in the page's language, from the one table in the domain."""
    if not code:
        return ""
    text = PRIORITY_TEXTS[Priority(code)]
    return text.label_en if current_lang() == "en" else text.label


def priority_choices() -> list[tuple[str, str]]:
    """(code, label) of every priority category, for the booking form's list."""
    return [(p.value, priority_name(p.value)) for p in PRIORITY_TEXTS]


def open_days(days: tuple[str, ...]) -> str:
    """("mon", …, "fri") → "Senin–Jumat"; days that are not one run are listed."""
    names = DAYS[current_lang()]
    idx = sorted(WEEKDAY_CODES.index(d) for d in days if d in WEEKDAY_CODES)
    if not idx:
        return ""
    if len(idx) > 2 and idx == list(range(idx[0], idx[-1] + 1)):
        return f"{names[idx[0]]}\u2013{names[idx[-1]]}"
    return ", ".join(names[i] for i in idx)


def short_day(day: date) -> tuple[str, str]:
    """("Sen", "30 Nov") for a date button."""
    lang = current_lang()
    return DAYS[lang][day.weekday()][:3], f"{day.day} {MONTHS[lang][day.month - 1][:3]}"


def register_template_helpers(bp: Blueprint) -> None:
    """Make t(), label(), the date, time, session and priority helpers and lang available to a blueprint's
    templates."""
    bp.context_processor(lambda: {"t": translate, "label": label, "long_date": long_date, "short_day": short_day,
                                  "hhmm": hhmm, "span": span, "session_name": session_name,
                                  "priority_name": priority_name, "open_days": open_days,
                                  "lang": current_lang(), "site": current_app.extensions["antre"].site})
    bp.after_request(remember_lang)
