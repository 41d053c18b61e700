"""Command line: `python -m kiosk [--config PATH] [--server URL] [--token T] [--print-test] [--screenshot FILE.png]`.

Exit status: 0 done, 1 the printer or the file failed, 2 bad arguments or config, 3 server unreachable or refusing
this kiosk's token (as `python -m display`). Every failure is one line on stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from pathlib import Path

from kiosk.config import PORTRAIT, ConfigError, KioskConfig, config_path, load_config

EXIT_USAGE, EXIT_UNREACHABLE = 2, 3
NO_TOKEN = "[kiosk] token kosong: buat dengan `python -m server device add NAMA --kind kiosk`"
CHECK_TIMEOUT_SECS = (2.0, 5.0)  # connect, read


def _size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    try:
        size = (int(width), int(height))
    except ValueError:
        size = (0, 0)
    if not sep or min(size) < 200 or max(size) > 8000:
        raise argparse.ArgumentTypeError(f"ukuran {text!r} tidak valid; contoh: 1080x1920 atau 1920x1080")
    return size


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kiosk", description="Antre: kios tiket antrean (layar sentuh).")
    parser.add_argument("--config", help="config.toml (default: $ANTRE_CONFIG atau ./config.toml)")
    parser.add_argument("--server", help="alamat server, menggantikan [kiosk] server")
    parser.add_argument("--token", help="token perangkat kios, menggantikan [kiosk] token")
    parser.add_argument("--print-test", action="store_true", help="cetak TIKET UJI di printer lalu keluar")
    parser.add_argument("--screenshot", metavar="FILE.png", help="simpan tampilan beranda ke berkas PNG lalu keluar")
    parser.add_argument("--windowed", action="store_true", help="jendela biasa, bukan layar penuh")
    parser.add_argument("--size", type=_size, default=None, metavar="WxH",
                        help="ukuran jendela/tangkapan layar, mis. 1080x1920 (potret) atau 1920x1080 (lanskap)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Operator commands answer in one line; the running kiosk keeps an INFO log for support.
    quiet = args.print_test or args.screenshot
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        cfg = load_config(config_path(args.config), server=args.server, token=args.token)
    except ConfigError as exc:
        return _fail(str(exc), EXIT_USAGE)
    if args.print_test:
        return _print_test(cfg)
    if args.screenshot:
        # A home screen drawn without the server would look normal and hide the fault (the display exits 3 too).
        if not cfg.token:
            return _fail(NO_TOKEN, EXIT_USAGE)
        refusal = _server_refusal(cfg)
        if refusal:
            return _fail(refusal, EXIT_UNREACHABLE)
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # no window on the kiosk's own screen
        from kiosk.snapshot import save_home_screenshot

        return save_home_screenshot(cfg, Path(args.screenshot), args.size)
    return _run(cfg, args)


def _print_test(cfg: KioskConfig) -> int:
    from hardware.printing import PrinterError, print_test_ticket

    try:
        print_test_ticket(cfg.printer, cfg.site_name, cfg.timezone, status_url=cfg.server + "/")
    except PrinterError as exc:
        return _fail(f"tiket uji tidak tercetak: {exc}", 1)
    print(f"Tiket uji (TIKET UJI) dikirim ke printer {cfg.printer.get('type')}.")
    return 0


def _server_refusal(cfg: KioskConfig) -> str:
    """"" when the server answers and takes this kiosk's token (`GET /auth/me`); else the one-line reason."""
    import requests

    try:
        response = requests.get(f"{cfg.server}/api/v1/auth/me", headers={"Authorization": f"Bearer {cfg.token}"},
                                timeout=CHECK_TIMEOUT_SECS)
    except requests.RequestException as exc:
        return f"server tidak dapat dihubungi ({cfg.server}): {_short(exc)}"
    if response.status_code in (401, 403):
        return f"kios ditolak oleh server ({cfg.server}): token perangkat salah atau sudah dicabut"
    if not response.ok:
        return f"server tidak dapat dihubungi ({cfg.server}): HTTP {response.status_code}"
    try:
        role = response.json().get("role")
    except (ValueError, AttributeError):
        return f"server tidak dapat dihubungi ({cfg.server}): jawaban /api/v1/auth/me bukan JSON"
    if role != "kiosk":
        return f"kios ditolak oleh server ({cfg.server}): token ini milik perangkat {role!r}, bukan kios"
    return ""


def _short(exc: Exception) -> str:
    """"Connection refused" rather than the whole of requests' nested message."""
    found = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(exc))
    if found:
        return found.group(1).strip()
    if isinstance(exc, TimeoutError) or "timed out" in str(exc).lower():
        return "waktu habis (timeout)"
    return (str(exc).splitlines() or [type(exc).__name__])[0][:160]


def _run(cfg: KioskConfig, args: argparse.Namespace) -> int:
    from hardware.printing import PrinterError, make_printer

    if not cfg.token:
        return _fail(NO_TOKEN, EXIT_USAGE)
    try:
        printer = make_printer(cfg.printer)
    except PrinterError as exc:
        return _fail(str(exc), EXIT_USAGE)
    from kiosk.app import KioskApp

    app = KioskApp(cfg, printer=printer, size=args.size or PORTRAIT, fullscreen=cfg.fullscreen and not args.windowed)
    try:
        app.start()
        app.run()
    except KeyboardInterrupt:  # Ctrl+C in a terminal: the threads are stopped by run(); no traceback
        app.stop()
    return 0


def _fail(reason: str, status: int) -> int:
    print(f"kiosk: {reason}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
