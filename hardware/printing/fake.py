"""Test doubles: `FakePrinter` (records tickets) and `FakeNetworkPrinter` (a loopback TCP 9100 printer)."""

from __future__ import annotations

import dataclasses
import socket
import threading
from datetime import datetime
from types import TracebackType
from typing import Any, Literal
from zoneinfo import ZoneInfo

from hardware.printing.adapters import TicketPrinter
from hardware.printing.errors import PrinterError, PrinterStatus
from hardware.printing.layout import Paper, paper_for
from hardware.printing.ticket import TicketPrint

FakeMode = Literal["paper_ok", "paper_out", "silent"]

# Answers of a real Epson printer to DLE EOT n: 1 printer (bit 3 = offline), 2 offline cause,
# 3 error cause, 4 paper roll sensor (bits 5-6 = paper end). A printer without paper goes offline.
_ANSWERS: dict[str, dict[int, int]] = {
    "paper_ok": {1: 0x16, 2: 0x12, 3: 0x12, 4: 0x12},
    "paper_out": {1: 0x1E, 2: 0x32, 3: 0x12, 4: 0x72},
}
_DLE_EOT = b"\x10\x04"


def example_ticket(**changes: Any) -> TicketPrint:
    """The fixed ticket of tests, golden previews and docs: the sample site's KTP (prefix D), D037 for a Lansia on
    Wednesday 16/12/2026 09:30 WITA (the docs' screenshot day), 5 ahead, 25 min."""
    wita = ZoneInfo("Asia/Makassar")
    ticket = TicketPrint(
        site_name="Mal Pelayanan Publik Kota Samarinda",
        agency_name="Dinas Kependudukan dan Pencatatan Sipil",
        service_name="KTP Elektronik",
        number="D037",
        issued_at=datetime(2026, 12, 16, 9, 30, tzinfo=wita),
        tz=wita,
        people_ahead=5,
        wait_minutes=25,
        status_url="http://127.0.0.1:5000/t/3F9C2A7B",
        priority="Lansia",
    )
    return dataclasses.replace(ticket, **changes)


class FakePrinter(TicketPrinter):
    """Records the tickets it is asked to print; set `error` to make the next prints fail with it."""

    def __init__(
        self,
        paper: Paper | None = None,
        *,
        error: PrinterError | None = None,
        status: PrinterStatus = PrinterStatus.OK,
    ) -> None:
        self.paper = paper or paper_for("TM-T20II")
        self.error = error
        self.reported_status = status
        self.printed: list[TicketPrint] = []

    def print_ticket(self, ticket: TicketPrint) -> None:
        """Record `ticket`, or raise the configured error without recording it."""
        if self.error is not None:
            raise self.error
        self.printed.append(ticket)

    def status(self) -> PrinterStatus:
        """The status set in the constructor or through `reported_status`."""
        return self.reported_status


class FakeNetworkPrinter:
    """A threaded loopback server on an ephemeral port that behaves like an ESC/POS printer on TCP 9100.

    It records every byte received and answers each `DLE EOT n` in the stream according to `mode`:
    `paper_ok` (0x12 for n = 4), `paper_out` (0x72), `silent` (never answers, like many cheap printers).
    Use it as a context manager; `host` and `port` are valid inside the block.
    """

    def __init__(self, mode: FakeMode = "paper_ok") -> None:
        self.mode: FakeMode = mode
        self.host = "127.0.0.1"
        self.port = 0
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._connections: list[socket.socket] = []
        self._received = bytearray()
        self._accepted = 0
        self._open = 0
        self._changed = threading.Condition()

    def __enter__(self) -> FakeNetworkPrinter:
        listener = socket.create_server((self.host, 0))
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._start(self._accept_loop)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # shutdown() wakes threads blocked in accept()/recv() on Linux; close() alone would not.
        assert self._listener is not None
        _shutdown(self._listener)
        accept_thread, *serve_threads = self._threads
        accept_thread.join(timeout=5)  # after this no connection can be added
        for connection in self._connections:
            _shutdown(connection)
        for thread in serve_threads:
            thread.join(timeout=5)

    @property
    def received(self) -> bytes:
        """Everything received so far, over all connections, in arrival order."""
        with self._changed:
            return bytes(self._received)

    def wait_for(self, data: bytes, timeout: float = 5.0) -> bool:
        """Block until `data` appears in the received bytes; False after `timeout` seconds."""
        with self._changed:
            return self._changed.wait_for(lambda: data in self._received, timeout)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until at least one client connected and every client has disconnected."""
        with self._changed:
            return self._changed.wait_for(lambda: self._accepted > 0 and self._open == 0, timeout)

    def _start(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return  # the listener was shut down
            with self._changed:
                self._connections.append(connection)
                self._accepted += 1
                self._open += 1
                self._changed.notify_all()
            self._start(self._serve, connection)

    def _serve(self, connection: socket.socket) -> None:
        stream = bytearray()  # this connection's bytes, scanned for DLE EOT n
        scanned = 0
        try:
            while chunk := _recv(connection):
                stream += chunk
                with self._changed:
                    self._received += chunk
                    self._changed.notify_all()
                scanned = self._answer_queries(connection, stream, scanned)
        finally:
            connection.close()
            with self._changed:
                self._open -= 1
                self._changed.notify_all()

    def _answer_queries(self, connection: socket.socket, stream: bytearray, start: int) -> int:
        # A query may be split over two chunks, so scanning resumes before an incomplete "10 04".
        while (found := stream.find(_DLE_EOT, start)) != -1:
            if found + 2 >= len(stream):
                return found
            answer = _ANSWERS.get(self.mode, {}).get(stream[found + 2])
            if answer is not None:
                try:
                    connection.sendall(bytes([answer]))
                except OSError:
                    pass  # the client hung up before reading the answer, as a real printer would not notice
            start = found + 3
        return max(start, len(stream) - 1)


def _recv(connection: socket.socket) -> bytes:
    try:
        return connection.recv(65536)
    except OSError:
        return b""


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already disconnected by the other side
    sock.close()
