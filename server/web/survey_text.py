"""Words of the survey screens (status page form, survey tablet, SKM report): Bahasa Indonesia first, English on
request. The questions and answers themselves come from the domain (the regulation's wording)."""

from __future__ import annotations

from .booking_text import current_lang

TEXT: dict[str, tuple[str, str]] = {
    # the citizen's form (status page and tablet)
    "sv_title": ("Survei Kepuasan Masyarakat", "Public satisfaction survey"),
    "sv_intro": ("Layanan Anda sudah selesai. Bantu kami menjadi lebih baik: jawab 9 pertanyaan singkat. "
                 "Survei ini tanpa nama.",
                 "Your service is finished. Help us improve: answer 9 short questions. The survey is anonymous."),
    "sv_start": ("Isi survei", "Take the survey"),
    "sv_profile": ("Tentang Anda (boleh dilewati)", "About you (optional)"),
    "sv_choose": ("— pilih —", "— choose —"),
    "sv_comment": ("Saran atau pengaduan (boleh dikosongkan)", "Suggestion or complaint (optional)"),
    "sv_submit": ("Kirim penilaian", "Send"),
    "sv_sending": ("Mengirim…", "Sending…"),
    "sv_missing": ("Masih ada pertanyaan yang belum dijawab: {codes}", "Some questions are not answered yet: {codes}"),
    "sv_thanks": ("Terima kasih! Penilaian Anda sudah kami terima.", "Thank you! Your answers were received."),
    "sv_answered": ("Survei untuk tiket ini sudah diisi. Terima kasih!", "This ticket's survey was already answered. Thank you!"),
    "sv_failed": ("Penilaian belum terkirim. Periksa sambungan lalu coba lagi.",
                  "Your answers were not sent. Check the connection and try again."),
    "sv_chars": ("{n} dari 1000 karakter", "{n} of 1000 characters"),
    "sv_question": ("Pertanyaan {i} dari 9", "Question {i} of 9"),
    # the tablet
    "tb_idle": ("Terima kasih atas kunjungan Anda", "Thank you for your visit"),
    "tb_idle_hint": ("Setelah dilayani, silakan nilai layanan kami di sini.", "Once served, please rate our service here."),
    "tb_offer": ("Nilai layanan untuk nomor antrean", "Rate the service for ticket"),
    "tb_begin": ("Mulai", "Start"),
    "tb_back": ("Kembali", "Back"),
    "tb_skip": ("Lewati", "Skip"),
    "tb_next": ("Lanjut", "Next"),
    "tb_token": ("Token perangkat tablet survei", "Survey tablet device token"),
    "tb_token_hint": ("Dari `python -m server device add NAMA --kind survey --counter LOKET`; disimpan di tablet ini.",
                      "From `python -m server device add NAME --kind survey --counter CODE`; kept on this tablet."),
    "tb_save": ("Simpan", "Save"),
    "tb_offline": ("Tidak tersambung ke server", "Not connected to the server"),
    "tb_refused": ("Token ditolak: {reason}", "Token refused: {reason}"),
    "tb_counter": ("Loket {c}", "Counter {c}"),
    # the SKM report
    "nav_survey": ("Survei Kepuasan", "Satisfaction survey"),
    "rp_title": ("Survei Kepuasan Masyarakat (SKM)", "Public satisfaction survey (SKM)"),
    "rp_period": ("Periode", "Period"), "rp_from": ("Dari", "From"), "rp_to": ("Sampai", "To"),
    "rp_agency": ("Instansi", "Agency"), "rp_service": ("Layanan", "Service"), "rp_all": ("Semua", "All"),
    "rp_show": ("Tampilkan", "Show"), "rp_xlsx": ("Unduh XLSX", "Download XLSX"), "rp_print": ("Versi cetak", "Print version"),
    "rp_ikm": ("IKM", "Index (IKM)"), "rp_mutu": ("Mutu pelayanan", "Service quality"),
    "rp_kinerja": ("Kinerja unit pelayanan", "Unit performance"), "rp_respondents": ("Responden", "Respondents"),
    "rp_population": ("Pengunjung dilayani", "Visitors served"),
    "rp_min_sample": ("Sampel minimum (Krejcie & Morgan)", "Minimum sample (Krejcie & Morgan)"),
    "rp_enough": ("Jumlah responden sudah memenuhi sampel minimum.", "The sample has reached the minimum."),
    "rp_short": ("Jumlah responden belum memenuhi sampel minimum ({need} lagi).",
                 "The sample is below the minimum ({need} more needed)."),
    "rp_none": ("Belum ada responden pada periode ini.", "No respondents in this period yet."),
    "rp_elements": ("Nilai per unsur pelayanan", "Score per service element"),
    "rp_code": ("Kode", "Code"), "rp_element": ("Unsur pelayanan", "Service element"),
    "rp_total": ("Jumlah nilai", "Total score"), "rp_nrr": ("NRR", "Mean (NRR)"),
    "rp_weighted": ("NRR tertimbang", "Weighted NRR"), "rp_converted": ("Nilai konversi", "Converted"),
    "rp_unit": ("IKM unit pelayanan (Σ NRR tertimbang)", "Unit index (Σ weighted NRR)"),
    "rp_weakest": ("Unsur terlemah", "Weakest element"),
    "rp_profile": ("Profil responden", "Respondent profile"), "rp_unknown": ("Tidak diisi", "Not given"),
    "rp_trend": ("Tren per bulan", "Trend by month"), "rp_month": ("Bulan", "Month"),
    "rp_services": ("IKM per layanan", "Index per service"),
    "rp_suggestions": ("Saran dan pengaduan", "Suggestions and complaints"),
    "rp_date": ("Tanggal", "Date"), "rp_counter": ("Loket", "Counter"), "rp_comment": ("Isi", "Text"),
    "rp_state": ("Tindak lanjut", "Follow-up"), "rp_reply": ("Tanggapan petugas", "Officer's reply"),
    "rp_save": ("Simpan", "Save"), "rp_saved": ("Tindak lanjut disimpan.", "Follow-up saved."),
    "rp_no_suggestions": ("Tidak ada saran pada periode ini.", "No suggestions in this period."),
    "rp_method": ("Dihitung menurut Permenpan RB No. 14 Tahun 2017: NRR per unsur × 1/9, IKM = Σ NRR tertimbang × 25.",
                  "Computed as in Permenpan RB No. 14/2017: mean per element × 1/9, IKM = Σ weighted means × 25."),
    "rp_scale": ("Mutu: A 88,31–100,00 sangat baik · B 76,61–88,30 baik · C 65,00–76,60 kurang baik · "
                 "D 25,00–64,99 tidak baik",
                 "Quality: A 88.31–100.00 very good · B 76.61–88.30 good · C 65.00–76.60 fair · D 25.00–64.99 poor"),
    "rp_by": ("oleh {who}", "by {who}"),
}


def st(key: str, /, **values: object) -> str:
    """The text of `key` in the page's language, with `{name}` placeholders filled."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    text = pair[1] if current_lang() == "en" else pair[0]
    return text.format(**values) if values else text


def words(prefix: str) -> dict[str, str]:
    """Every text whose key starts with `prefix`, in the page's language (for a page's script)."""
    i = 1 if current_lang() == "en" else 0
    return {k: v[i] for k, v in TEXT.items() if k.startswith(prefix)}
