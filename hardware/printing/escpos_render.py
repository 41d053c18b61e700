"""Turns a ticket layout into ESC/POS bytes with python-escpos, ready for any transport."""

from __future__ import annotations

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy

from hardware.printing.layout import Block, Gap, Line, Paper, QrCode, qr_image, ticket_blocks
from hardware.printing.ticket import TicketPrint

# Lines fed after the last text on printers without a cutter, so the footer clears the tear-off bar.
TEAR_OFF_FEED_LINES = 4

_Style = tuple[int, bool, bool]  # (size, bold, invert)


def render_escpos(ticket: TicketPrint, paper: Paper) -> bytes:
    """The complete print job of one ticket for `paper`, from printer reset to cut."""
    # Rendering into python-escpos's Dummy keeps the job pure: it is built before any device is touched,
    # sent in one write, and the same bytes go to .bin previews and tests.
    printer = Dummy(profile=paper.profile, magic_encode_args={"disabled": True, "encoding": "CP437"})
    printer.hw("INIT")
    # Every line of the ticket is centered; ESC a stays in force until the reset at the end.
    printer.set(align="center")
    style: _Style = (1, False, False)
    for block in ticket_blocks(ticket, paper):
        style = _render_block(printer, block, paper, style)
    printer.set(custom_size=True, width=1, height=1, bold=False, invert=False, align="left")
    if paper.has_cutter:
        printer.cut()
    else:
        printer.ln(TEAR_OFF_FEED_LINES)
    return printer.output


def _render_block(printer: Dummy, block: Block, paper: Paper, style: _Style) -> _Style:
    match block:
        case Line(text=text, size=size, bold=bold, invert=invert):
            style = _set_style(printer, (size, bold, invert), style)
            printer.textln(text)
        case QrCode():
            style = _set_style(printer, (1, False, False), style)
            if paper.qr == "native":
                # GS ( k: the printer draws the code itself; center=True is not supported natively,
                # the alignment set above centers it instead.
                printer.qr(block.data, ec=QR_ECLEVEL_M, size=block.module_dots, native=True)
                printer.ln()
            else:
                printer.image(qr_image(block), impl="bitImageRaster", center=True)
        case Gap(lines=lines):
            printer.ln(lines)
    return style


def _set_style(printer: Dummy, wanted: _Style, current: _Style) -> _Style:
    # Style commands are sent only on a change: cheap printers buffer little, and the job stays readable.
    if wanted == current:
        return current
    size, bold, invert = wanted
    # GS ! for every size, also 1x1: mixing it with ESC ! leaves the size to whichever came last.
    printer.set(custom_size=True, width=size, height=size, bold=bold, invert=invert)
    return wanted
