"""The ticket layout as a list of printer-independent blocks, shared by the ESC/POS and PNG renderers."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Literal

import qrcode
from escpos.capabilities import get_profile
from PIL import Image

from hardware.printing.ticket import TicketPrint, format_ahead, format_issued_at, format_wait, to_ascii

QrMode = Literal["image", "native"]
QR_MODES: tuple[QrMode, ...] = ("image", "native")

# Font A of ESC/POS printers is 12 x 24 dots; every other size is a multiple of it.
CHAR_WIDTH_DOTS = 12
CHAR_HEIGHT_DOTS = 24
# Share of the paper width the QR code may take: big enough for old phone cameras, small enough for a short ticket.
QR_WIDTH_SHARE = 0.55
QR_MAX_MODULE_DOTS = 8
QR_BORDER_MODULES = 2


@dataclass(frozen=True, slots=True)
class Paper:
    """What the layout needs to know about a printer: its python-escpos profile, width and cutter."""

    profile: str
    columns: int
    width_dots: int
    has_cutter: bool
    qr: QrMode = "image"


def paper_for(profile: str, qr: str = "image") -> Paper:
    """Describe the paper of a python-escpos profile ("POS-5890" = 58 mm, "TM-T20II" = 80 mm)."""
    if qr not in QR_MODES:
        raise ValueError(f"qr must be one of {', '.join(QR_MODES)}, not {qr!r}")
    try:
        data = get_profile(profile)
    except KeyError:
        raise ValueError(f"unknown python-escpos profile {profile!r} (e.g. 'POS-5890', 'TM-T20II')") from None
    try:
        width_dots = int(data.profile_data["media"]["width"]["pixels"])
        columns = int(data.get_columns("a"))
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"profile {profile!r} does not state its paper width in dots") from None
    cutter = bool(data.supports("paperFullCut") or data.supports("paperPartCut"))
    mode: QrMode = "native" if qr == "native" else "image"
    return Paper(profile, columns, width_dots, cutter, mode)


@dataclass(frozen=True, slots=True)
class Line:
    """One centered line of text; `size` multiplies font A in both directions."""

    text: str
    size: int = 1
    bold: bool = False
    invert: bool = False


@dataclass(frozen=True, slots=True)
class QrCode:
    """The QR code of the ticket's status page, as the module matrix both renderers draw."""

    data: str
    module_dots: int


@dataclass(frozen=True, slots=True)
class Gap:
    """Empty vertical space, in lines of font A."""

    lines: int = 1


Block = Line | QrCode | Gap


def number_size(number: str, paper: Paper) -> int:
    """Font multiplier for the ticket number: as large as fits, 4x on 58 mm and 6x on 80 mm paper."""
    return max(1, min(8, paper.columns // 8, paper.columns // max(1, len(number))))


def ticket_blocks(ticket: TicketPrint, paper: Paper) -> list[Block]:
    """Lay a ticket out for `paper`; every text line is ASCII and fits the paper's columns."""
    rule = Line("-" * paper.columns)
    blocks: list[Block] = []
    blocks += _wrapped(to_ascii(ticket.site_name).upper(), paper, bold=True)
    blocks += _wrapped(to_ascii(ticket.agency_name), paper)
    blocks.append(rule)
    if ticket.test:
        blocks += _wrapped("TIKET UJI", paper, size=2, bold=True)
    if ticket.reprint:
        blocks += _wrapped("CETAK ULANG", paper, size=2, bold=True)
    number = to_ascii(ticket.number)
    blocks.append(Line("NOMOR ANTREAN"))
    blocks += _wrapped(number, paper, size=number_size(number, paper), bold=True)
    blocks += _wrapped(to_ascii(ticket.service_name), paper, bold=True)
    if ticket.priority:
        label = f"PRIORITAS: {to_ascii(ticket.priority).upper()}"
        blocks += _wrapped(label, paper, bold=True, invert=True, pad=1)
    blocks.append(Line(format_issued_at(ticket)))
    blocks.append(rule)
    blocks += _wrapped(f"Di depan Anda: {format_ahead(ticket.people_ahead)}", paper)
    if ticket.no_counter_open:  # "0 menit" would be a false promise: say why there is no estimate yet
        blocks += _wrapped("Perkiraan tunggu: setelah loket dibuka", paper)
        blocks += _wrapped(f"Belum ada loket yang melayani {to_ascii(ticket.service_name)}", paper)
    else:
        blocks += _wrapped(f"Perkiraan tunggu: {format_wait(ticket.wait_minutes)}", paper)
    if ticket.status_url:
        blocks.append(QrCode(ticket.status_url, qr_module_dots(ticket.status_url, paper)))
        blocks += _wrapped("Pindai untuk memantau antrean", paper)
    blocks.append(rule)
    blocks += _wrapped(to_ascii(ticket.footer), paper, bold=True)
    return blocks


def _wrapped(text: str, paper: Paper, *, size: int = 1, bold: bool = False, invert: bool = False,
             pad: int = 0) -> list[Line]:
    # An inverted line gets a blank around its text so the black bar does not touch the letters.
    width = paper.columns // size - 2 * pad
    parts = textwrap.wrap(text, width, break_long_words=True) or [""]
    return [Line(" " * pad + part + " " * pad, size, bold, invert) for part in parts]


def _qr_matrix(data: str, border: int = QR_BORDER_MODULES) -> list[list[bool]]:
    # Level M survives the smudges and curl of thermal paper at a small cost in size.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_module_dots(data: str, paper: Paper) -> int:
    """Dots per QR module so the code takes about `QR_WIDTH_SHARE` of the paper width."""
    modules = len(_qr_matrix(data))
    fit = int(paper.width_dots * QR_WIDTH_SHARE) // modules
    if fit < 1:
        fit = paper.width_dots // modules
    if fit < 1:
        raise ValueError(f"status URL too long for a QR code on {paper.width_dots}-dot paper")
    return min(QR_MAX_MODULE_DOTS, fit)


def qr_image(block: QrCode) -> Image.Image:
    """The QR code as a 1-bit image, `module_dots` dots per module, black on white."""
    matrix = _qr_matrix(block.data)
    side = len(matrix)
    small = Image.new("1", (side, side), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    return small.resize((side * block.module_dots, side * block.module_dots), Image.Resampling.NEAREST)
