"""Builds the configured ticket printer from `[kiosk.printer]` and prints the operator's test ticket."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from escpos.printer import File

from hardware.printing.adapters import EscposPrinter, FolderPrinter, TicketPrinter
from hardware.printing.errors import PrinterError, PrinterStatus
from hardware.printing.layout import QR_MODES, Paper, paper_for
from hardware.printing.ticket import TicketPrint
from hardware.printing.transports import LpQueue, QuickNetwork, QuickSerial, QuickUsb

PRINTER_TYPES = ("usb", "network", "serial", "file", "cups", "dummy")
DEFAULT_PROFILE = "TM-T20II"
DEFAULT_STATUS_TIMEOUT_SECS = 2.0
DEFAULT_PRINT_TIMEOUT_SECS = 10.0
DEFAULT_DUMMY_FOLDER = "var/tickets"


def make_printer(cfg: Mapping[str, Any]) -> TicketPrinter:
    """Build the printer of a `[kiosk.printer]` table; a wrong setting raises PrinterError("config") naming it."""
    kind = cfg.get("type")
    if kind not in PRINTER_TYPES:
        _bad(f"type = {kind!r} tidak dikenal; pilih salah satu: {', '.join(PRINTER_TYPES)}")
    qr = cfg.get("qr", "image")
    if qr not in QR_MODES:
        _bad(f"qr = {qr!r} tidak dikenal; pilih \"image\" (semua printer) atau \"native\"")
    profile = cfg.get("profile", DEFAULT_PROFILE)
    try:
        paper = paper_for(str(profile), str(qr))
    except ValueError:
        _bad(f"profile = {profile!r} tidak dikenal python-escpos; contoh: \"POS-5890\" (58 mm), \"TM-T20II\" (80 mm)")
    status_timeout = _seconds(cfg, "timeout", DEFAULT_STATUS_TIMEOUT_SECS)
    print_timeout = _seconds(cfg, "print_timeout", DEFAULT_PRINT_TIMEOUT_SECS)
    if kind == "dummy":
        return FolderPrinter(Path(str(cfg.get("folder") or DEFAULT_DUMMY_FOLDER)), paper)
    return _BUILDERS[kind](cfg, paper, status_timeout, print_timeout)


def _network(cfg: Mapping[str, Any], paper: Paper, status_timeout: float, print_timeout: float) -> TicketPrinter:
    host, port = _required(cfg, "host"), _int(cfg, "port", 9100)
    return EscposPrinter(
        lambda: QuickNetwork(host, port, status_timeout, print_timeout, profile=paper.profile),
        paper, name=f"network {host}:{port}", bidirectional=True,
    )


def _usb(cfg: Mapping[str, Any], paper: Paper, status_timeout: float, print_timeout: float) -> TicketPrinter:
    vendor, product = _usb_id(cfg, "vendor_id"), _usb_id(cfg, "product_id")
    endpoints = {key: _usb_id(cfg, key) for key in ("in_ep", "out_ep") if key in cfg}
    return EscposPrinter(
        lambda: QuickUsb(vendor, product, status_timeout, print_timeout, profile=paper.profile, **endpoints),
        paper, name=f"usb {vendor:04x}:{product:04x}", bidirectional=True,
    )


def _serial(cfg: Mapping[str, Any], paper: Paper, status_timeout: float, print_timeout: float) -> TicketPrinter:
    device, baudrate = _required(cfg, "device"), _int(cfg, "baudrate", 9600)
    return EscposPrinter(
        lambda: QuickSerial(device, baudrate, status_timeout, print_timeout, profile=paper.profile),
        paper, name=f"serial {device}", bidirectional=True,
    )


def _file(cfg: Mapping[str, Any], paper: Paper, status_timeout: float, print_timeout: float) -> TicketPrinter:
    path = _required(cfg, "path")

    def probe() -> PrinterStatus:
        # /dev/usb/lp0 disappears when the printer is unplugged or switched off; it cannot report paper.
        return PrinterStatus.UNKNOWN if Path(path).exists() else PrinterStatus.OFFLINE

    return EscposPrinter(
        lambda: File(devfile=path, profile=paper.profile), paper,
        name=f"file {path}", bidirectional=False, probe=probe,
    )


def _cups(cfg: Mapping[str, Any], paper: Paper, status_timeout: float, print_timeout: float) -> TicketPrinter:
    queue = str(cfg.get("queue", ""))
    command = cfg.get("command", ["lp"])
    if not isinstance(command, list) or not command or not all(isinstance(part, str) for part in command):
        _bad(f"command = {command!r} harus daftar teks, misalnya [\"lp\"]")
    return EscposPrinter(
        lambda: LpQueue(queue, print_timeout, command, profile=paper.profile), paper,
        name=f"cups {queue or '(default queue)'}", bidirectional=False,
    )


_BUILDERS: dict[str, Callable[[Mapping[str, Any], Paper, float, float], TicketPrinter]] = {
    "network": _network, "usb": _usb, "serial": _serial, "file": _file, "cups": _cups,
}


def _bad(what: str) -> NoReturn:
    raise PrinterError("config", f"Pengaturan printer salah: [kiosk.printer] {what}")


def _required(cfg: Mapping[str, Any], key: str) -> str:
    value = cfg.get(key)
    if not isinstance(value, str) or not value:
        _bad(f"{key} wajib diisi untuk type = {cfg.get('type')!r}")
    return str(value)


def _int(cfg: Mapping[str, Any], key: str, default: int) -> int:
    value = cfg.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        _bad(f"{key} = {value!r} harus bilangan bulat lebih dari 0")
    return int(value)


def _seconds(cfg: Mapping[str, Any], key: str, default: float) -> float:
    value = cfg.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        _bad(f"{key} = {value!r} harus jumlah detik lebih dari 0")
    return float(value)


def _usb_id(cfg: Mapping[str, Any], key: str) -> int:
    # config.toml users copy ids from lsusb ("04b8:0e15"), so hex strings with or without 0x are accepted.
    value = cfg.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0xFFFF:
        return value
    if isinstance(value, str):
        try:
            parsed = int(value.strip().lower().removeprefix("0x"), 16)
        except ValueError:
            parsed = -1
        if 0 <= parsed <= 0xFFFF:
            return parsed
    _bad(f"{key} = {value!r} bukan ID USB seperti \"0x04b8\" (lihat lsusb)")


def sample_ticket(site_name: str, tz: tzinfo, now: datetime, status_url: str) -> TicketPrint:
    """The test ticket of `--print-test`: marked TIKET UJI, with a number no real ticket has (A000)."""
    return TicketPrint(
        site_name=site_name,
        agency_name="Contoh Instansi",
        service_name="Contoh Layanan",
        number="A000",
        issued_at=now,
        tz=tz,
        people_ahead=0,
        wait_minutes=0,
        status_url=status_url,
        test=True,
    )


def print_test_ticket(
    cfg: Mapping[str, Any],
    site_name: str,
    tz: tzinfo | str,
    *,
    status_url: str = "http://127.0.0.1:5000/",
    now: datetime | None = None,
) -> None:
    """Print a TIKET UJI on the printer of `cfg`; raise PrinterError with a one-line reason when it cannot."""
    if isinstance(tz, str):
        try:
            tz = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise PrinterError("config", f"Zona waktu tidak dikenal: {tz!r}") from None
    printer = make_printer(cfg)
    # A paper-out sensor answer stops the job inside print_ticket; "offline" is reported the same way there.
    printer.print_ticket(sample_ticket(site_name, tz, now or datetime.now(UTC), status_url))
