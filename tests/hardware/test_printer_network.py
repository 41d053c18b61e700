"""Integration tests of the network printer adapter against a loopback TCP 9100 printer."""

import socket
import time

import pytest

from hardware.printing import PrinterError, PrinterStatus, make_printer
from hardware.printing.fake import FakeNetworkPrinter, example_ticket

QUERY = b"\x10\x04\x04"
SHORT_TIMEOUT_SECS = 0.3


def network_printer(fake: FakeNetworkPrinter, **extra):
    return make_printer({"type": "network", "host": fake.host, "port": fake.port, "profile": "POS-5890", **extra})


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def recv_exactly(client: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count and (chunk := client.recv(count - len(data))):
        data += chunk
    return data


def test_a_printer_with_paper_reports_ok_and_receives_the_ticket():
    with FakeNetworkPrinter("paper_ok") as fake:
        printer = network_printer(fake)
        assert printer.status() is PrinterStatus.OK
        printer.print_ticket(example_ticket())
        assert fake.wait_for(b"Berlaku hari ini")
        assert b"D037" in fake.received
        assert fake.received.startswith(QUERY)


def test_a_printer_without_paper_refuses_the_job_and_prints_nothing():
    with FakeNetworkPrinter("paper_out") as fake:
        printer = network_printer(fake)
        assert printer.status() is PrinterStatus.PAPER_OUT
        with pytest.raises(PrinterError) as caught:
            printer.print_ticket(example_ticket())
        assert caught.value.code == "paper_out"
        assert caught.value.message == "Kertas printer habis, silakan hubungi petugas"
        assert fake.wait_idle()
        assert fake.received == QUERY * 2, "only the two status queries may reach the printer"


def test_a_silent_printer_is_unknown_within_the_short_timeout_and_still_prints():
    with FakeNetworkPrinter("silent") as fake:
        printer = network_printer(fake, timeout=SHORT_TIMEOUT_SECS)
        started = time.monotonic()
        assert printer.status() is PrinterStatus.UNKNOWN
        assert time.monotonic() - started < SHORT_TIMEOUT_SECS + 1.0
        printer.print_ticket(example_ticket())
        assert fake.wait_for(b"Berlaku hari ini")
        assert b"D037" in fake.received


def test_the_default_status_timeout_is_two_seconds_not_sixty():
    with FakeNetworkPrinter("silent") as fake:
        started = time.monotonic()
        assert network_printer(fake).status() is PrinterStatus.UNKNOWN
        assert 1.5 <= time.monotonic() - started < 3.5


def test_a_refused_connection_is_offline_quickly():
    printer = make_printer({"type": "network", "host": "127.0.0.1", "port": closed_port()})
    started = time.monotonic()
    assert printer.status() is PrinterStatus.OFFLINE
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(example_ticket())
    assert caught.value.code == "offline"
    assert caught.value.message == "Printer tidak terhubung"
    assert "\n" not in str(caught.value)
    assert time.monotonic() - started < 1.0


def test_the_fake_answers_a_query_split_across_two_writes_and_ignores_other_bytes():
    with FakeNetworkPrinter("paper_out") as fake, socket.create_connection((fake.host, fake.port)) as client:
        client.settimeout(2)
        client.sendall(b"hello \x10")
        assert fake.wait_for(b"hello \x10")
        client.sendall(b"\x04\x04 world \x10\x04\x01")
        assert recv_exactly(client, 2) == b"\x72\x1e"


def test_the_fake_answers_every_query_in_a_stream_of_print_data():
    with FakeNetworkPrinter("paper_ok") as fake, socket.create_connection((fake.host, fake.port)) as client:
        client.settimeout(2)
        client.sendall(b"\x1b@" + QUERY + b"text\n" + QUERY + QUERY)
        assert recv_exactly(client, 3) == b"\x12\x12\x12"
