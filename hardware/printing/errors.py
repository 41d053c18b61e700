"""The one printer error the kiosk shows (`PrinterError`), printer states, and the mapping from device errors."""

from __future__ import annotations

import errno
import subprocess
from enum import StrEnum

from escpos.exceptions import DeviceNotFoundError
from escpos.exceptions import Error as EscposError

try:
    from usb.core import NoBackendError
except ImportError:  # pyusb is an extra of python-escpos; without it there is no USB printer to fail

    class NoBackendError(ValueError):  # type: ignore[no-redef]
        """Stand-in so `DEVICE_ERRORS` has the same shape without pyusb."""

# Real-time status (DLE EOT 4, paper roll sensor): bits 1 and 4 are always 1, bits 0 and 7 always 0.
PAPER_STATUS_QUERY = b"\x10\x04\x04"
_STATUS_FIXED_MASK = 0x93
_STATUS_FIXED_BITS = 0x12
_PAPER_END_BITS = 0x60

MESSAGES: dict[str, str] = {
    "paper_out": "Kertas printer habis, silakan hubungi petugas",
    "offline": "Printer tidak terhubung",
    "access_denied": "Tidak ada izin untuk memakai printer, silakan hubungi petugas",
    "print_failed": "Tiket gagal dicetak, silakan hubungi petugas",
    "config": "Pengaturan printer salah",
}


# What a printer adapter catches and translates. Anything else is a bug and must surface as such.
DEVICE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # sockets, files, usb.core.USBError, serial.SerialException
    EscposError,  # DeviceNotFoundError, USBNotFoundError, ImageWidthError...
    NoBackendError,  # pyusb without libusb
    subprocess.SubprocessError,  # the `lp` command of CUPS queues
)


class PrinterStatus(StrEnum):
    """What the printer last said about itself; `unknown` when it does not answer (print anyway)."""

    OK = "ok"
    PAPER_OUT = "paper_out"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


class PrinterError(Exception):
    """A printer problem the kiosk can show: a stable snake_case `code` and a message in Bahasa Indonesia.

    `detail` keeps the device's own (usually English) words for the log and for `--print-test`.
    """

    def __init__(self, code: str, message: str | None = None, detail: str = "") -> None:
        self.code = code
        self.message = message or MESSAGES.get(code, MESSAGES["print_failed"])
        self.detail = " ".join(detail.split())  # one line, whatever the device library wrote
        super().__init__(f"{self.message} ({self.detail})" if self.detail else self.message)


def decode_paper_status(reply: bytes) -> PrinterStatus:
    """Read the answer to DLE EOT 4; anything that is not a status byte counts as no answer."""
    for byte in reply:
        if byte & _STATUS_FIXED_MASK == _STATUS_FIXED_BITS:
            return PrinterStatus.PAPER_OUT if byte & _PAPER_END_BITS == _PAPER_END_BITS else PrinterStatus.OK
    return PrinterStatus.UNKNOWN


def as_printer_error(exc: BaseException) -> PrinterError:
    """Translate a device, socket, USB, serial or python-escpos error into a `PrinterError`."""
    if isinstance(exc, PrinterError):
        return exc
    detail = f"{type(exc).__name__}: {exc}"
    if _access_denied(exc):
        return PrinterError("access_denied", detail=detail)
    if isinstance(exc, OSError | DeviceNotFoundError | subprocess.TimeoutExpired):
        # Refused connections, socket timeouts, unplugged USB or serial devices: all OSError subclasses.
        return PrinterError("offline", detail=detail)
    if isinstance(exc, NoBackendError):
        return PrinterError("offline", detail=f"{detail} (libusb is not installed)")
    return PrinterError("print_failed", detail=detail)


def _access_denied(exc: BaseException) -> bool:
    # python-escpos re-raises USB errors as DeviceNotFoundError without `from`, so look down the chain too.
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, PermissionError) or getattr(seen, "errno", None) in (errno.EACCES, errno.EPERM):
            return True
        if "access denied" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False

