"""`python -m kiosk` as an operator runs it: --print-test, and one-line reasons when something is wrong."""

from __future__ import annotations

from pathlib import Path

from kiosk_driver import run_kiosk

from hardware.printing.fake import FakeNetworkPrinter
from support import free_port


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, f"expected one line, got: {text!r}"
    return lines[0]


def test_print_test_against_a_closed_port_fails_with_one_line(tmp_path: Path) -> None:
    done = run_kiosk(tmp_path, "--print-test", printer={"type": "network", "host": "127.0.0.1",
                                                        "port": free_port(), "timeout": 1})
    assert done.returncode != 0
    line = one_line(done.stderr)
    assert "Printer tidak terhubung" in line and "Traceback" not in done.stderr


def test_print_test_prints_tiket_uji_on_the_configured_printer(tmp_path: Path) -> None:
    with FakeNetworkPrinter("paper_ok") as printer:
        done = run_kiosk(tmp_path, "--print-test", printer={"type": "network", "host": printer.host,
                                                            "port": printer.port, "profile": "POS-5890"})
        assert printer.wait_idle()
        received = printer.received
    assert done.returncode == 0, done.stderr
    assert b"TIKET UJI" in received and b"A000" in received


def test_print_test_with_paper_out_says_so(tmp_path: Path) -> None:
    with FakeNetworkPrinter("paper_out") as printer:
        done = run_kiosk(tmp_path, "--print-test", printer={"type": "network", "host": printer.host,
                                                            "port": printer.port})
    assert done.returncode != 0 and "Kertas printer habis" in one_line(done.stderr)


def test_a_bad_config_or_a_missing_token_stops_with_one_line(tmp_path: Path) -> None:
    done = run_kiosk(tmp_path, idle_seconds=-5)
    assert done.returncode == 2 and "idle_seconds" in one_line(done.stderr)
    done = run_kiosk(tmp_path, "--windowed", token="")
    assert done.returncode == 2 and "token" in one_line(done.stderr)
    done = run_kiosk(tmp_path, token="abc", printer={"type": "laser"})
    assert done.returncode == 2 and "Pengaturan printer salah" in one_line(done.stderr)


def test_a_screenshot_with_a_wrong_token_exits_3_in_one_line_and_writes_no_file(tmp_path: Path, server) -> None:
    target = tmp_path / "home.png"
    done = run_kiosk(tmp_path, "--screenshot", str(target), server=server.url, token="not-a-kiosk-token")
    assert done.returncode == 3 and "ditolak" in one_line(done.stderr) and "token" in done.stderr
    assert not target.exists()


def test_a_display_token_is_not_taken_for_a_kiosk_screenshot(tmp_path: Path, server) -> None:
    token = server.add_device("tv-for-the-kiosk-test", "display")
    done = run_kiosk(tmp_path, "--screenshot", str(tmp_path / "home.png"), server=server.url, token=token)
    assert done.returncode == 3 and "bukan kios" in one_line(done.stderr)


def test_a_screenshot_of_an_unreachable_server_exits_3_in_one_line(tmp_path: Path) -> None:
    target = tmp_path / "home.png"
    done = run_kiosk(tmp_path, "--screenshot", str(target), server=f"http://127.0.0.1:{free_port()}", token="abc")
    assert done.returncode == 3 and "tidak dapat dihubungi" in one_line(done.stderr)
    assert "Traceback" not in done.stderr and not target.exists()
