"""The report as tables (the web page's tables, the CSV and the XLSX share them) and the raw tickets as CSV.

Labels are Bahasa Indonesia first; times in the raw CSV are site time (ISO 8601 with the offset, e.g. +08:00).
No personal data leaves here: tickets carry no names, NIK or phone numbers (bookings are only counted).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font

from ..domain.report_figures import Summary, TicketRecord
from ..domain.report_period import period_label
from ..domain.site import WEEKDAYS, Site

TICKET_COLUMNS = ("number", "service", "agency", "status", "priority", "issued_at", "called_at", "started_at",
                  "finished_at", "counter", "date", "skipped_at", "cancelled_at", "expired", "transferred_from",
                  "clerk")
WEEKDAY_ID = {"mon": "Senin", "tue": "Selasa", "wed": "Rabu", "thu": "Kamis", "fri": "Jumat", "sat": "Sabtu",
              "sun": "Minggu"}


@dataclass(frozen=True, slots=True)
class Table:
    key: str  # stable id: page anchors, sheet order, tests
    title: str  # "Ringkasan / Summary"
    headers: list[str]
    rows: list[list[object]]


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _pct(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def scope_label(site: Site, scope: dict[str, str]) -> str:
    """"Seluruh MPP" or the chosen agency/service/counter/clerk by name."""
    parts = []
    if "agency" in scope:
        parts.append(site.agencies[scope["agency"]].name if scope["agency"] in site.agencies else scope["agency"])
    if "service" in scope:
        svc = site.services.get(scope["service"])
        parts.append(f"Layanan {svc.name if svc else scope['service']}")
    if "counter" in scope:
        counter = site.counters.get(scope["counter"])
        parts.append(counter.name if counter else scope["counter"])
    if "clerk" in scope:
        parts.append(f"Petugas {scope['clerk']}")
    return " · ".join(parts) or "Seluruh MPP (whole site)"


def report_tables(summary: Summary, site: Site) -> list[Table]:
    """The report's tables in order: summary, per day, arrivals hour × weekday, busiest hours, per service, per
    clerk. Durations in minutes (one decimal), shares in per cent."""
    s, c, b = summary, summary.counts, summary.bookings
    rows: list[list[object]] = [
        ["Tiket diterbitkan (issued)", c.issued], ["Dilayani (served)", c.served],
        ["Terlewat (skipped)", c.skipped], ["Dibatalkan (cancelled)", c.cancelled],
        ["Kedaluwarsa (expired)", c.expired], ["Dialihkan (transferred)", c.transferred]]
    if b is not None:
        rows += [["Booking dibuat (bookings made)", b.made], ["Booking lapor hadir (checked in)", b.checked_in],
                 ["Booking tidak hadir (no-show)", b.no_show], ["Booking dibatalkan (cancelled)", b.cancelled]]
    for label, d in (("Waktu tunggu", s.wait), ("Waktu layanan", s.service_time)):
        rows += [[f"{label} rata-rata, menit (mean)", _minutes(d.mean_s)],
                 [f"{label} median, menit", _minutes(d.p50_s)], [f"{label} persentil 90, menit", _minutes(d.p90_s)]]
    rows.append(["Dipanggil dalam target, % (within target)", _pct(s.within_target)])
    days = [[d.day.isoformat(), WEEKDAY_ID[WEEKDAYS[d.day.weekday()]],
             "Tutup" + (f" ({d.note})" if d.note else "") if d.closed else "Belum" if d.future else "Buka",
             None if d.closed or d.future else d.issued, None if d.closed or d.future else d.served]
            for d in s.days]
    heat = [[WEEKDAY_ID[w], *s.heatmap[i], sum(s.heatmap[i])] for i, w in enumerate(WEEKDAYS)]
    return [
        Table("summary", "Ringkasan / Summary", ["Angka (figure)", "Nilai (value)"], rows),
        Table("days", "Per hari / By day", ["Tanggal", "Hari", "Status", "Diterbitkan", "Dilayani"], days),
        Table("arrivals", "Kedatangan per jam × hari / Arrivals by hour × weekday",
              ["Hari", *(f"{h:02d}" for h in range(24)), "Jumlah"], heat),
        Table("busiest", "Jam tersibuk / Busiest hours", ["Jam", "Kedatangan"],
              [[f"{h:02d}.00–{h + 1:02d}.00", n] for h, n in s.busiest_hours]),
        Table("services", "Per layanan / By service",
              ["Kode", "Layanan", "Diterbitkan", "Dilayani", "Tunggu rata-rata (menit)", "Target (menit)",
               "Dalam target (%)"],
              [[r.service, r.name, r.issued, r.served, _minutes(r.wait_mean_s), r.target_minutes,
                _pct(r.within_target)] for r in s.services]),
        Table("clerks", "Per petugas / By clerk",
              ["Petugas", "Dilayani", "Waktu layanan rata-rata (menit)", "Menganggur (%)"],
              [[r.clerk, r.served, _minutes(r.mean_service_s), _pct(r.idle_share)] for r in s.clerks]),
    ]


def header_lines(summary: Summary, site: Site) -> list[list[str]]:
    return [["Laporan antrean (queue report)", site.name],
            ["Periode (period)", f"{period_label(summary.start, summary.end)} "
                                 f"({summary.start.isoformat()} s.d. {summary.end.isoformat()})"],
            ["Cakupan (scope)", scope_label(site, summary.scope)],
            ["Zona waktu (time zone)", str(site.timezone)]]


def summary_csv(summary: Summary, site: Site) -> str:
    """The report as one CSV: the header (site, period, scope), then each table under its title."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerows(header_lines(summary, site))
    for table in report_tables(summary, site):
        w.writerow([])
        w.writerow([table.title])
        w.writerow(table.headers)
        w.writerows(["" if v is None else v for v in row] for row in table.rows)
    return out.getvalue()


def summary_xlsx(summary: Summary, site: Site) -> bytes:
    """The report as an XLSX workbook: one sheet per table, each with the site, period and scope on top."""
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table in report_tables(summary, site):
        sheet = book.create_sheet(table.title.split(" / ")[0][:31])
        for line in header_lines(summary, site):
            sheet.append(line)
        sheet.append([])
        sheet.append([table.title])
        sheet.append(table.headers)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in table.rows:
            sheet.append(row)
        sheet.column_dimensions["A"].width = 44 if table.key == "summary" else 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------- raw tickets
def _local(seconds: int | None, tz: ZoneInfo) -> str:
    return "" if seconds is None else datetime.fromtimestamp(seconds, tz).isoformat()


def ticket_row(r: TicketRecord, site: Site) -> list[str]:
    svc = site.services.get(r.service)
    tz = site.timezone
    return [r.number, r.service, svc.agency if svc else "", r.status, r.priority or "", _local(r.issued_s, tz),
            _local(r.called_s, tz), _local(r.started_s, tz), _local(r.finished_s, tz), r.counter or "",
            r.day.isoformat(), _local(r.skipped_s, tz), _local(r.cancelled_s, tz), "1" if r.expired else "",
            r.transferred_from or "", r.clerk or ""]


def tickets_csv(records: Iterable[TicketRecord], site: Site) -> Iterator[str]:
    """The raw tickets as CSV text, a chunk per few hundred rows (for a streamed response)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(TICKET_COLUMNS)
    for i, r in enumerate(records, 1):
        w.writerow(ticket_row(r, site))
        if i % 500 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def read_tickets_csv(text: str) -> list[TicketRecord]:
    """The raw CSV read back into records (what a reader of the export recomputes the figures from)."""
    def epoch(value: str) -> int | None:
        return int(datetime.fromisoformat(value).timestamp()) if value else None

    out = []
    for row in csv.DictReader(io.StringIO(text)):
        issued = epoch(row["issued_at"])
        assert issued is not None
        out.append(TicketRecord(
            row["number"], date.fromisoformat(row["date"]), row["service"], row["status"], row["priority"] or None,
            issued, epoch(row["called_at"]), epoch(row["started_at"]), epoch(row["finished_at"]),
            epoch(row["skipped_at"]), epoch(row["cancelled_at"]), row["expired"] == "1",
            row["transferred_from"] or None, row["counter"] or None, row["clerk"] or None))
    return out
