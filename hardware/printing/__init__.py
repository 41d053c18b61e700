"""Queue ticket printing: the ticket model, ESC/POS and PNG renderers, printer adapters and their fakes."""

from hardware.printing.adapters import EscposPrinter, FolderPrinter, TicketPrinter
from hardware.printing.errors import PrinterError, PrinterStatus
from hardware.printing.escpos_render import render_escpos
from hardware.printing.factory import make_printer, print_test_ticket, sample_ticket
from hardware.printing.layout import Paper, paper_for
from hardware.printing.preview import render_preview, save_preview
from hardware.printing.ticket import TicketPrint, ticket_from_api, to_ascii

__all__ = [
    "EscposPrinter",
    "FolderPrinter",
    "Paper",
    "PrinterError",
    "PrinterStatus",
    "TicketPrint",
    "TicketPrinter",
    "make_printer",
    "paper_for",
    "print_test_ticket",
    "render_escpos",
    "render_preview",
    "sample_ticket",
    "save_preview",
    "ticket_from_api",
    "to_ascii",
]
