"""The `TicketPrinter` port and its real adapters: any python-escpos connection, and a folder of previews."""

from __future__ import annotations

import logging
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from escpos.escpos import Escpos

from hardware.printing.errors import (
    DEVICE_ERRORS,
    PAPER_STATUS_QUERY,
    PrinterError,
    PrinterStatus,
    as_printer_error,
    decode_paper_status,
)
from hardware.printing.escpos_render import render_escpos
from hardware.printing.layout import Paper
from hardware.printing.preview import render_preview
from hardware.printing.ticket import TicketPrint

logger = logging.getLogger(__name__)


class TicketPrinter(ABC):
    """Prints queue tickets. Every failure is a `PrinterError`; nothing is swallowed."""

    paper: Paper

    @abstractmethod
    def print_ticket(self, ticket: TicketPrint) -> None:
        """Print one ticket, or raise `PrinterError` (paper_out, offline, access_denied, print_failed)."""

    @abstractmethod
    def status(self) -> PrinterStatus:
        """Ask the printer how it is, within a short timeout; never raises for a device problem."""


class EscposPrinter(TicketPrinter):
    """A printer reached through a python-escpos connection (`Network`, `Usb`, `Serial`, `File`, CUPS).

    `connect` builds a fresh, unopened connection per job: the kiosk may sit idle for hours, and a socket or
    USB handle kept open that long is the first thing to go stale. `bidirectional` says whether the
    connection can read status answers; `probe` gives the status of one that cannot (e.g. a missing device file).
    """

    def __init__(
        self,
        connect: Callable[[], Escpos],
        paper: Paper,
        *,
        name: str,
        bidirectional: bool,
        probe: Callable[[], PrinterStatus] | None = None,
    ) -> None:
        self._connect = connect
        self.paper = paper
        self.name = name
        self.bidirectional = bidirectional
        self._probe = probe or (lambda: PrinterStatus.UNKNOWN)
        # Many printers take one connection at a time: a status poll must wait for a job in progress.
        self._busy = threading.Lock()

    def print_ticket(self, ticket: TicketPrint) -> None:
        """Check the paper sensor when the printer can answer, then send the whole job in one write."""
        job = render_escpos(ticket, self.paper)
        if not self.bidirectional and self._probe() is PrinterStatus.OFFLINE:
            raise PrinterError("offline", detail=f"{self.name} not present")
        with self._busy:
            self._send(job)

    def _send(self, job: bytes) -> None:
        try:
            device = self._connect()
            device.open()
            try:
                if self.bidirectional and _query_paper(device) is PrinterStatus.PAPER_OUT:
                    raise PrinterError("paper_out", detail=f"{self.name} reports paper end")
                device._raw(job)  # python-escpos has no public "send these bytes" call
            finally:
                device.close()
        except DEVICE_ERRORS as exc:
            raise as_printer_error(exc) from exc

    def status(self) -> PrinterStatus:
        """`ok`/`paper_out` from the paper sensor; `unknown` without an answer; `offline` when unreachable."""
        if not self.bidirectional:
            return self._probe()
        try:
            with self._busy:
                device = self._connect()
                device.open()
                try:
                    return _query_paper(device)
                finally:
                    device.close()
        except DEVICE_ERRORS as exc:
            logger.warning("printer %s is offline: %s", self.name, as_printer_error(exc))
            return PrinterStatus.OFFLINE


def _query_paper(device: Escpos) -> PrinterStatus:
    try:
        reply = device.query_status(PAPER_STATUS_QUERY)
    except NotImplementedError:  # python-escpos connections that cannot read (Dummy, File, LP)
        return PrinterStatus.UNKNOWN
    return decode_paper_status(reply)


_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9_-]+")


class FolderPrinter(TicketPrinter):
    """The `dummy` printer: writes each job's raw bytes (`.bin`) and a PNG preview (`.png`) into a folder."""

    def __init__(self, folder: Path, paper: Paper, clock: Callable[[], datetime] | None = None) -> None:
        self.folder = folder
        self.paper = paper
        self._clock = clock or (lambda: datetime.now(UTC))

    def print_ticket(self, ticket: TicketPrint) -> None:
        """Write `<number>-<timestamp>.bin` and `.png`; a folder that cannot be written is a PrinterError."""
        job = render_escpos(ticket, self.paper)
        preview = render_preview(ticket, self.paper)
        number = _UNSAFE_FILENAME.sub("_", ticket.number) or "tiket"
        stamp = f"{self._clock().astimezone(ticket.tz):%Y%m%d-%H%M%S}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stem = self._free_stem(f"{number}-{stamp}")
            binary, image = self.folder / f"{stem}.bin", self.folder / f"{stem}.png"
            binary.write_bytes(job)
            preview.save(image, format="PNG")
        except OSError as exc:
            raise as_printer_error(exc) from exc

    def status(self) -> PrinterStatus:
        """Always `unknown`: like python-escpos's Dummy, a folder cannot answer a status query."""
        return PrinterStatus.UNKNOWN

    def _free_stem(self, stem: str) -> str:
        # Two tickets in the same second (a reprint) must not overwrite each other.
        candidate, n = stem, 1
        while (self.folder / f"{candidate}.bin").exists():
            n += 1
            candidate = f"{stem}-{n}"
        return candidate
