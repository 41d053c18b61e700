"""Tests of the printer factory, the file/CUPS/dummy adapters, error translation and the test ticket."""

import errno
import socket
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from escpos.exceptions import DeviceNotFoundError, ImageWidthError
from PIL import Image

from hardware.printing import PrinterError, PrinterStatus, make_printer, print_test_ticket
from hardware.printing.errors import DEVICE_ERRORS, as_printer_error, decode_paper_status
from hardware.printing.fake import FakePrinter, example_ticket

WITA = ZoneInfo("Asia/Makassar")


def test_dummy_printer_writes_the_raw_job_and_a_png_preview(tmp_path):
    printer = make_printer({"type": "dummy", "folder": str(tmp_path / "tickets"), "profile": "POS-5890"})
    printer.print_ticket(example_ticket())
    printer.print_ticket(example_ticket(reprint=True))
    binaries = sorted((tmp_path / "tickets").glob("D037-*.bin"))
    previews = sorted((tmp_path / "tickets").glob("D037-*.png"))
    assert len(binaries) == 2 and len(previews) == 2, "a reprint in the same second overwrote the first ticket"
    assert any(b"CETAK ULANG" in path.read_bytes() for path in binaries)
    assert b"D037" in binaries[0].read_bytes()
    with Image.open(previews[0]) as preview:
        assert preview.width == 384
    assert printer.status() is PrinterStatus.UNKNOWN


def test_dummy_printer_in_a_folder_it_cannot_create_raises_a_printer_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    printer = make_printer({"type": "dummy", "folder": str(blocker / "tickets")})
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(example_ticket())
    assert caught.value.code == "offline"


def test_file_printer_writes_the_job_to_the_device_file(tmp_path):
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    printer = make_printer({"type": "file", "path": str(device), "profile": "TM-T20II"})
    assert printer.status() is PrinterStatus.UNKNOWN
    printer.print_ticket(example_ticket())
    assert b"D037" in device.read_bytes()
    assert b"\x1dV" in device.read_bytes(), "80 mm profile cuts"


def test_file_printer_whose_device_is_missing_is_offline_and_creates_no_file(tmp_path):
    device = tmp_path / "lp0"
    printer = make_printer({"type": "file", "path": str(device)})
    assert printer.status() is PrinterStatus.OFFLINE
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(example_ticket())
    assert caught.value.code == "offline"
    assert not device.exists()


def fake_lp(tmp_path, exit_code: int = 0) -> list[str]:
    """A stand-in for `lp`: saves stdin and its arguments, then exits with `exit_code`."""
    script = (
        "import sys, pathlib; out = pathlib.Path(sys.argv[1]);"
        "out.write_bytes(sys.stdin.buffer.read()); (out.parent / 'args').write_text(' '.join(sys.argv[2:]));"
        f"sys.stderr.write('lp: The printer or class does not exist.') if {exit_code} else None; sys.exit({exit_code})"
    )
    return [sys.executable, "-c", script, str(tmp_path / "job.bin")]


def test_cups_printer_sends_one_raw_job_to_the_queue(tmp_path):
    printer = make_printer({"type": "cups", "queue": "kiosk", "command": fake_lp(tmp_path)})
    printer.print_ticket(example_ticket())
    assert b"D037" in (tmp_path / "job.bin").read_bytes()
    assert (tmp_path / "args").read_text() == "-o raw -t antre -d kiosk"


def test_cups_printer_reports_a_failed_lp_with_its_reason(tmp_path):
    printer = make_printer({"type": "cups", "queue": "nope", "command": fake_lp(tmp_path, exit_code=1)})
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(example_ticket())
    assert caught.value.code == "print_failed"
    assert "does not exist" in str(caught.value)


def test_cups_printer_without_lp_installed_is_offline():
    printer = make_printer({"type": "cups", "queue": "kiosk", "command": ["/nonexistent/lp"]})
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(example_ticket())
    assert caught.value.code == "offline"


def test_serial_printer_on_a_missing_port_is_offline():
    printer = make_printer({"type": "serial", "device": "/dev/ttyANTRE-missing", "baudrate": 19200})
    assert printer.status() is PrinterStatus.OFFLINE
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(example_ticket())
    assert caught.value.code == "offline"


@pytest.mark.parametrize("ids", [("0x04b8", "0x0e15"), ("04B8", "0E15"), (0x04B8, 0x0E15)])
def test_usb_ids_are_accepted_as_hex_strings_or_ints_and_a_missing_printer_is_offline(ids):
    printer = make_printer({"type": "usb", "vendor_id": ids[0], "product_id": ids[1]})
    assert printer.name == "usb 04b8:0e15"
    # No such device on a build machine (or no libusb at all): both mean "offline", never a crash.
    assert printer.status() is PrinterStatus.OFFLINE
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(example_ticket())
    assert caught.value.code in ("offline", "access_denied")


@pytest.mark.parametrize(
    ("cfg", "named"),
    [
        ({"type": "bluetooth"}, "type"),
        ({}, "type"),
        ({"type": "network"}, "host"),
        ({"type": "network", "host": "10.0.0.9", "port": "9100"}, "port"),
        ({"type": "usb", "vendor_id": "epson", "product_id": "0x0e15"}, "vendor_id"),
        ({"type": "file"}, "path"),
        ({"type": "serial"}, "device"),
        ({"type": "dummy", "profile": "TM-T20"}, "profile"),
        ({"type": "dummy", "qr": "bitmap"}, "qr"),
        ({"type": "dummy", "timeout": 0}, "timeout"),
        ({"type": "cups", "command": "lp"}, "command"),
    ],
)
def test_a_wrong_setting_is_a_one_line_config_error_naming_the_key(cfg, named):
    with pytest.raises(PrinterError) as caught:
        make_printer(cfg)
    assert caught.value.code == "config"
    assert f"{named} =" in str(caught.value) or f"{named} wajib" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_test_ticket_is_marked_and_printed_in_the_site_zone(tmp_path):
    cfg = {"type": "dummy", "folder": str(tmp_path), "profile": "POS-5890"}
    print_test_ticket(cfg, "MPP Kota Samarinda", "Asia/Makassar", now=datetime(2026, 11, 28, 0, 15, tzinfo=UTC))
    (job,) = tmp_path.glob("A000-*.bin")
    data = job.read_bytes()
    assert b"TIKET UJI" in data and b"MPP KOTA SAMARINDA" in data and b"28/11/2026 08:15 WITA" in data


def test_the_test_ticket_on_an_unreachable_printer_raises_one_line_offline():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(PrinterError) as caught:
        print_test_ticket({"type": "network", "host": "127.0.0.1", "port": port}, "MPP", WITA)
    assert caught.value.code == "offline"
    assert str(caught.value).startswith("Printer tidak terhubung (") and "\n" not in str(caught.value)


def test_fake_printer_records_tickets_and_fails_on_request():
    printer = FakePrinter()
    printer.print_ticket(example_ticket())
    printer.error = PrinterError("paper_out")
    with pytest.raises(PrinterError, match="Kertas printer habis"):
        printer.print_ticket(example_ticket(number="D038"))
    assert [ticket.number for ticket in printer.printed] == ["D037"]
    assert printer.status() is PrinterStatus.OK


def usb_access_denied() -> DeviceNotFoundError:
    """python-escpos's way: a USBError caught and re-raised as DeviceNotFoundError, the cause only in the chain."""
    try:
        try:
            raise OSError(errno.EACCES, "insufficient permissions")
        except OSError:
            raise DeviceNotFoundError("Unable to open USB printer on (1208, 3605)")  # noqa: B904
    except DeviceNotFoundError as wrapped:
        return wrapped


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (PermissionError(errno.EACCES, "Permission denied", "/dev/usb/lp0"), "access_denied"),
        (usb_access_denied(), "access_denied"),
        (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), "offline"),
        (BrokenPipeError(errno.EPIPE, "Broken pipe"), "offline"),
        (TimeoutError("timed out"), "offline"),
        (DeviceNotFoundError("Device not found"), "offline"),
        (ImageWidthError("600 > 576"), "print_failed"),
    ],
)
def test_device_errors_become_one_printer_error_with_a_stable_code(error, code):
    assert isinstance(error, DEVICE_ERRORS)
    translated = as_printer_error(error)
    assert translated.code == code
    assert "\n" not in str(translated)


def test_programming_errors_are_not_device_errors():
    assert not isinstance(ValueError("bug"), DEVICE_ERRORS)
    assert not isinstance(TypeError("bug"), DEVICE_ERRORS)


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        (b"\x12", PrinterStatus.OK),
        (b"\x1e", PrinterStatus.OK),  # near end: still prints
        (b"\x72", PrinterStatus.PAPER_OUT),
        (b"\x7e", PrinterStatus.PAPER_OUT),
        (b"", PrinterStatus.UNKNOWN),
        (b"\xff", PrinterStatus.UNKNOWN),  # not a status byte
    ],
)
def test_paper_sensor_answers_are_decoded(reply, status):
    assert decode_paper_status(reply) is status
