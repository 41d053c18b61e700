"""The printed ticket as one value (`TicketPrint`) and the ASCII-safe wording printed on it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

FOOTER = "Berlaku hari ini"

# Characters NFKD leaves alone but that have an obvious ASCII twin.
_ASCII_TWINS = str.maketrans(
    {
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2022": "-",  # bullet
        "\u00b7": "-",  # middle dot
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00b1": "+/-",
    }
)
_WHITESPACE = re.compile(r"\s+")


def to_ascii(text: str) -> str:
    """Return `text` as printable ASCII: accents stripped, dashes and bullets as "-", anything else dropped.

    Thermal printers silently print `?` for characters outside their code page, and a control character in a
    name (ESC, GS...) would be executed as a printer command, so both are removed here.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_TWINS))
    kept = "".join(ch for ch in decomposed if " " <= ch <= "~" or ch in "\t\n\r")
    return _WHITESPACE.sub(" ", kept).strip()


@dataclass(frozen=True, slots=True)
class TicketPrint:
    """Everything printed on one queue ticket; both renderers (ESC/POS and PNG preview) read only this."""

    site_name: str
    agency_name: str
    service_name: str
    number: str
    issued_at: datetime
    tz: tzinfo
    people_ahead: int
    wait_minutes: int
    status_url: str
    priority: str | None = None
    reprint: bool = False
    test: bool = False
    footer: str = FOOTER
    no_counter_open: bool = False  # no loket serves the service yet: no estimate is printed, the reason is

    def __post_init__(self) -> None:
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() is None:
            raise ValueError("issued_at must be an aware datetime")
        if not to_ascii(self.number):
            raise ValueError("number must not be empty")
        if self.people_ahead < 0 or self.wait_minutes < 0:
            raise ValueError("people_ahead and wait_minutes must not be negative")


def format_issued_at(ticket: TicketPrint) -> str:
    """Issue time in the site's zone, e.g. "28/11/2026 08:15 WITA"."""
    local = ticket.issued_at.astimezone(ticket.tz)
    return f"{local:%d/%m/%Y %H:%M} {_zone_abbreviation(local)}"


def _zone_abbreviation(local: datetime) -> str:
    name = local.tzname() or ""
    # tzdata writes numeric abbreviations ("+08") for zones without a common one; print them as UTC offsets.
    if not name or name[0] in "+-":
        offset = local.strftime("%z")
        return f"UTC{offset[:3]}:{offset[3:]}"
    return name


def format_ahead(people: int) -> str:
    """People ahead, e.g. "5 orang"."""
    return f"{people} orang"


def format_wait(minutes: int) -> str:
    """Estimated wait in words: "segera", "40 menit", "1 jam 20 menit"."""
    if minutes <= 0:
        return "segera"
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest} menit"
    return f"{hours} jam" if rest == 0 else f"{hours} jam {rest} menit"


def ticket_from_api(
    data: Mapping[str, Any],
    *,
    site_name: str,
    agency_name: str,
    service_name: str,
    tz: tzinfo,
    reprint: bool = False,
) -> TicketPrint:
    """Build a `TicketPrint` from a ticket of the REST API (`POST /tickets`, check-in, `GET /tickets/{token}`)."""
    priority = data.get("priority")
    return TicketPrint(
        site_name=site_name,
        agency_name=agency_name,
        service_name=service_name,
        number=str(data["number"]),
        issued_at=datetime.fromisoformat(str(data["issued_at"])),
        tz=tz,
        people_ahead=int(data.get("ahead") or 0),
        wait_minutes=int(data.get("eta_minutes") or 0),
        status_url=str(data.get("status_url") or ""),
        # The server's label ("priority_label", from its one table); an older server's ticket prints the code.
        priority=str(data.get("priority_label") or str(priority).replace("_", " ")) if priority else None,
        reprint=reprint,
        no_counter_open=data.get("no_counter_open") is True,
    )
