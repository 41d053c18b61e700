"""python-escpos connection classes tuned for a kiosk: short status timeouts, bounded writes, CUPS via `lp`."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from typing import Any

from escpos.escpos import Escpos
from escpos.printer import Network, Serial, Usb


class QuickNetwork(Network):
    """TCP 9100 printer: connects and waits for status answers `status_timeout` seconds, not python-escpos's 60."""

    def __init__(self, host: str, port: int, status_timeout: float, print_timeout: float, **kwargs: Any) -> None:
        super().__init__(host=host, port=port, timeout=status_timeout, **kwargs)
        self.status_timeout = status_timeout
        self.print_timeout = print_timeout

    def _read(self) -> bytes:
        assert self.device
        self.device.settimeout(self.status_timeout)
        try:
            return self.device.recv(16)
        except TimeoutError:
            return b""  # many printers never answer DLE EOT; the caller reads b"" as "unknown"

    def _raw(self, msg: bytes) -> None:
        assert self.device
        # A print job may legitimately take longer than a status answer: the printer throttles the socket
        # while it feeds paper.
        self.device.settimeout(self.print_timeout)
        self.device.sendall(msg)


class QuickUsb(Usb):
    """USB printer whose status read gives up after `status_timeout` seconds and whose writes are bounded."""

    def __init__(
        self, vendor_id: int, product_id: int, status_timeout: float, print_timeout: float, **kwargs: Any
    ) -> None:
        super().__init__(idVendor=vendor_id, idProduct=product_id, timeout=int(print_timeout * 1000), **kwargs)
        self.status_timeout_ms = max(1, int(status_timeout * 1000))

    def _read(self) -> bytes:
        from usb.core import USBTimeoutError

        assert self.device
        try:
            return bytes(self.device.read(self.in_ep, 16, self.status_timeout_ms))
        except USBTimeoutError:
            return b""


class QuickSerial(Serial):
    """Serial printer whose reads wait `status_timeout` and whose writes fail after `print_timeout` seconds."""

    def __init__(
        self, device: str, baudrate: int, status_timeout: float, print_timeout: float, **kwargs: Any
    ) -> None:
        super().__init__(devfile=device, baudrate=baudrate, timeout=status_timeout, **kwargs)
        self.print_timeout = print_timeout

    def open(self, raise_not_found: bool = True) -> None:
        super().open(raise_not_found)
        if self.device:
            # With hardware flow control a switched-off printer would block the write forever.
            self.device.write_timeout = self.print_timeout


class LpQueue(Escpos):
    """A CUPS queue in raw mode, fed through the `lp` command; every write is one print job.

    python-escpos's own `LP` class discards lp's exit status and error output, and `CupsPrinter` needs pycups
    (a C extension); calling `lp` directly reports a failed job instead of losing it.
    """

    def __init__(self, queue: str, timeout: float, command: Sequence[str] = ("lp",), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.queue = queue
        self.timeout = timeout
        self.command = list(command)

    def _raw(self, msg: bytes) -> None:
        args = [*self.command, "-o", "raw", "-t", "antre"] + (["-d", self.queue] if self.queue else [])
        result = subprocess.run(args, input=msg, capture_output=True, timeout=self.timeout, check=False)
        if result.returncode != 0:
            stderr = result.stderr.decode("utf-8", "replace").strip()
            raise subprocess.SubprocessError(f"{' '.join(args)} exited with {result.returncode}: {stderr}")
