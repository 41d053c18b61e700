"""Report periods and scopes as plain values: a day, week (Mon–Sun), month, year or from–to of site-local dates,
and which part of the site a report covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .errors import DomainError

PERIOD_KINDS = ("day", "week", "month", "year", "range")
MAX_DAYS = 400  # a year and a bit: longer asks would only be slow, never useful on one page
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")


class BadQuery(DomainError):
    """A report was asked for with a parameter of the wrong form (answered 400 with the code)."""

    status = 400


def parse_day(value: str | None, name: str) -> date:
    if not value:
        raise BadQuery("missing_param", f"Parameter '{name}' wajib diisi (format YYYY-MM-DD).", param=name)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadQuery("bad_date", f"Parameter '{name}' harus tanggal YYYY-MM-DD, bukan '{value[:20]}'.",
                       param=name) from None


def check_range(start: date, end: date) -> tuple[date, date]:
    if end < start:
        raise BadQuery("bad_period", "Tanggal 'to' tidak boleh sebelum 'from'.")
    if (end - start).days + 1 > MAX_DAYS:
        raise BadQuery("period_too_long", f"Periode laporan paling panjang {MAX_DAYS} hari.")
    return start, end


def period_bounds(kind: str, anchor: date) -> tuple[date, date]:
    """The first and last day of the day/week/month/year containing `anchor`."""
    if kind == "day":
        return anchor, anchor
    if kind == "week":
        first = anchor - timedelta(days=anchor.weekday())
        return first, first + timedelta(days=6)
    if kind == "month":
        first = anchor.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    if kind == "year":
        return anchor.replace(month=1, day=1), anchor.replace(month=12, day=31)
    raise BadQuery("bad_period_kind", f"Jenis periode harus salah satu dari: {', '.join(PERIOD_KINDS[:4])}.")


def period_label(start: date, end: date) -> str:
    """How a period reads in Indonesian: "5 Desember 2026", "Desember 2026", "2026", "1–7 Desember 2026"."""
    if start == end:
        return f"{start.day} {MONTHS_ID[start.month - 1]} {start.year}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    if start.day == 1 and (end + timedelta(days=1)).day == 1 and (start.year, start.month) == (end.year, end.month):
        return f"{MONTHS_ID[start.month - 1]} {start.year}"
    return f"{start.day} {MONTHS_ID[start.month - 1]} {start.year} – {end.day} {MONTHS_ID[end.month - 1]} {end.year}"


@dataclass(frozen=True, slots=True)
class Scope:
    """Which part of the site: all of it, or one agency, service, counter or clerk (combinable)."""

    agency: str | None = None
    service: str | None = None
    counter: str | None = None
    clerk: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in (("agency", self.agency), ("service", self.service), ("counter", self.counter),
                                  ("clerk", self.clerk)) if v}
