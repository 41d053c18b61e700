"""The ticket desk: issue (or check in), print, and tell the server how it went; runs on worker threads."""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from hardware.printing import PrinterError, TicketPrinter, ticket_from_api
from hardware.printing.errors import PrinterStatus
from kiosk.api import ApiRefused, ApiUnavailable, KioskApi
from kiosk.worker import Msg

logger = logging.getLogger(__name__)

# PrinterError codes -> the device state the server keeps (ok | paper_out | offline | unknown).
ERROR_STATES = {"paper_out": "paper_out", "offline": "offline", "access_denied": "offline"}
BAD_PRINTER_STATES = ("paper_out", "offline")


class Reporter:
    """Print reports and printer states for the server, sent in order; kept and retried while it is away."""

    def __init__(self, api: KioskApi) -> None:
        self.api = api
        self._pending: deque[Callable[[], None]] = deque()
        self._lock = threading.Lock()
        self._last_state: str | None = None

    def printed(self, token: str, printed: bool, reason: str = "") -> None:
        self._add(lambda: self.api.report_printed(token, printed, reason))

    def state(self, printer: str) -> None:
        """Queue a printer state report when it differs from the last one queued."""
        with self._lock:
            if printer == self._last_state:
                return
            self._last_state = printer
        self._add(lambda: self.api.report_state(printer))

    def _add(self, report: Callable[[], None]) -> None:
        with self._lock:
            self._pending.append(report)

    def flush(self) -> None:
        """Send what is pending, oldest first; stop at the first unreachable server (retried later)."""
        while True:
            with self._lock:
                if not self._pending:
                    return
                report = self._pending[0]
            try:
                report()
            except ApiUnavailable as exc:
                logger.warning("report kept for later: %s", exc)
                return
            except ApiRefused as exc:  # e.g. a ticket of yesterday: nothing to retry
                logger.warning("report refused: %s", exc)
            with self._lock:
                self._pending.popleft()

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._pending)


class TicketDesk:
    """What happens after the confirm tap: one ticket from the server, then paper, then the reports."""

    def __init__(self, api: KioskApi, printer: TicketPrinter, reporter: Reporter, out: queue.Queue[Msg], *,
                 site_name: str, tz: ZoneInfo, after_report: Callable[[], None] = lambda: None) -> None:
        self.api, self.printer, self.reporter, self.out = api, printer, reporter, out
        self.site_name, self.tz = site_name, tz
        self.after_report = after_report  # hands the reports to the background worker
        self.printer_state = "unknown"
        self.last_error = ""  # the last print failure's code, for the heartbeat (the office's device page)

    def issue(self, job: int, service: str, priority: str | None, key: str, agencies: Mapping[str, str]) -> None:
        """Issue a ticket of `service` (the same one on a retry of `key`) and print it."""
        try:
            ticket = self.api.issue_ticket(service, priority, key)
        except ApiUnavailable as exc:
            logger.warning("ticket not issued: %s", exc)
            self.out.put(Msg("unavailable", None, job))
            return
        except ApiRefused as exc:
            self.out.put(Msg("refused", exc.message, job))
            return
        self._print(job, ticket, agencies)

    def check_in(self, job: int, code: str, key: str, agencies: Mapping[str, str]) -> None:
        """Check in an online booking by its code, then print its ticket like any other."""
        try:
            ticket = self.api.check_in(code, key)
        except ApiUnavailable as exc:
            logger.warning("check-in failed: %s", exc)
            self.out.put(Msg("unavailable", None, job))
            return
        except ApiRefused as exc:
            self.out.put(Msg("checkin_refused", exc.message, job))
            return
        self._print(job, ticket, agencies)

    def reprint(self, ticket: dict[str, Any], agencies: Mapping[str, str]) -> None:
        """A clerk asked for this ticket again: print it marked CETAK ULANG and report it."""
        self.out.put(Msg("reprinting", ticket))
        self._print(0, ticket, agencies, reprint=True)

    def check_printer(self) -> None:
        """Ask the printer how it is (short timeout) and report a change; `unknown` is not a problem."""
        status = self.printer.status()
        self._set_state(status.value if status is not PrinterStatus.UNKNOWN else self._known_or_unknown())

    def check_if_bad(self) -> None:
        """Idle job: while the printer is known bad, look again so the warning clears once paper is loaded."""
        if self.printer_state in BAD_PRINTER_STATES:
            self.check_printer()

    def health(self) -> dict[str, str]:
        """The printer's part of the heartbeat: its state and the last print error (a code, never a ticket)."""
        return {"printer": self.printer_state, "error": self.last_error}

    def _known_or_unknown(self) -> str:
        # A printer that never answers stays "unknown"; one that printed fine is still "ok".
        return "ok" if self.printer_state == "ok" else "unknown"

    def _print(self, job: int, ticket: dict[str, Any], agencies: Mapping[str, str], reprint: bool = False) -> None:
        self.out.put(Msg("issued", ticket, job))
        agency = str(ticket.get("agency") or "")
        try:
            paper = ticket_from_api(
                ticket, site_name=self.site_name, agency_name=agencies.get(agency, agency),
                service_name=str(ticket.get("service_name") or ticket.get("service") or ""), tz=self.tz,
                reprint=reprint)
            self.printer.print_ticket(paper)
        except (PrinterError, ValueError, KeyError) as exc:
            error = exc if isinstance(exc, PrinterError) else PrinterError("print_failed", detail=repr(exc))
            logger.warning("ticket %s not printed: %s", ticket.get("number"), error)
            self.out.put(Msg("print_failed", {"ticket": ticket, "code": error.code}, job))
            self.last_error = error.code
            self.reporter.printed(str(ticket["token"]), False, error.code)
            self._set_state(ERROR_STATES.get(error.code, "unknown"))
        else:
            self.out.put(Msg("printed", ticket, job))
            if reprint:  # the server already counts a fresh ticket as printed; a reprint clears "unprinted"
                self.reporter.printed(str(ticket["token"]), True)
            self._set_state("ok")
        self.after_report()

    def _set_state(self, state: str) -> None:
        if state != self.printer_state:
            self.out.put(Msg("printer", state))
        self.printer_state = state
        self.reporter.state(state)
        self.after_report()
