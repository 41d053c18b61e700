"""Command line: `run` (the server), `user add|list|disable|enable|passwd`, `device add|list|revoke`,
`site export|import`; bad input ends with one line, never a traceback."""

from __future__ import annotations

import argparse
import gc
import getpass
import logging
import sys
from dataclasses import replace
from pathlib import Path

from . import ops_cli
from .config import AppConfig, ConfigError, load_config, load_secret
from .domain.accounts import Principal
from .domain.errors import DomainError
from .simulate import cli as simulate_cli

MAX_CONNECTIONS = 10_000
GC_THRESHOLDS = (50_000, 20, 20)  # young objects before a pass, young passes per middle one, middle per full
CLI = Principal("system", "cli", "admin")  # who the audit log names for a change made here
logger = logging.getLogger("antre")


def _config_option(default: object = argparse.SUPPRESS) -> argparse.ArgumentParser:
    """`--config PATH`, accepted before the subcommand and after it (a subcommand's copy wins only when given)."""
    option = argparse.ArgumentParser(add_help=False)
    option.add_argument("--config", metavar="PATH", default=default,
                        help="config.toml (default: $ANTRE_CONFIG or ./config.toml)")
    return option


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m server", description="Antre queue server",
                                parents=[_config_option(None)])
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", parents=[_config_option()],
                         help="start HTTP + Socket.IO (creates/migrates the database)")
    run.add_argument("--host")
    run.add_argument("--port", type=int)
    run.add_argument("--demo", action="store_true",
                     help="the sample site open now with simulated visitors and clerks, in var/demo.db (wiped)")
    run.add_argument("--demo-speed", type=float, default=1.0, metavar="X", help="play the demo X times faster")
    _account_parsers(sub)
    _site_parsers(sub)
    ops_cli.add_parsers(sub, _config_option())  # backup, restore, retention (issue 16)
    simulate_cli.add_parsers(sub, _config_option())  # simulate, plan (issue 15)
    demo = sub.add_parser("demo-data", parents=[_config_option()],
                          help="fill the database with a realistic history through the use cases (issue 13)")
    demo.add_argument("--days", type=int, required=True, help="days of history, ending yesterday")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--busy", type=float, default=1.0, metavar="X",
                      help="X times the sample site's usual arrivals (1.6: ~1,200 tickets a day, ~300,000 a year)")
    return p


def _site_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    config = _config_option()
    site = sub.add_parser("site", parents=[config], help="the site (agencies, services, counters, hours…) as TOML").add_subparsers(
        dest="action", required=True)
    export = site.add_parser("export", parents=[config], help="write the current site as TOML (config.toml format)")
    export.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    load = site.add_parser("import", parents=[config],
                           help="apply a site file in one transaction, showing the differences")
    load.add_argument("file")
    load.add_argument("--dry-run", action="store_true", help="only show the differences")


def _account_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    config = _config_option()
    user = sub.add_parser("user", parents=[config], help="manage accounts").add_subparsers(dest="action", required=True)
    add = user.add_parser("add", parents=[config], help="add an account; password from the first line of stdin")
    add.add_argument("username")
    add.add_argument("--role", choices=["admin", "supervisor", "clerk"], required=True)
    add.add_argument("--agency", action="append", default=[], metavar="CODE", help="a supervisor's agency")
    add.add_argument("--counter", action="append", default=[], metavar="CODE")
    user.add_parser("list", parents=[config], help="list the accounts")
    for action, text in (("disable", "disable an account (its sessions end at once)"),
                         ("enable", "enable a disabled account"),
                         ("passwd", "set a new password, read from stdin (asked twice on a terminal)")):
        user.add_parser(action, parents=[config], help=text).add_argument("username")
    device = sub.add_parser("device", parents=[config], help="manage kiosks, displays and survey tablets").add_subparsers(
        dest="action", required=True)
    dadd = device.add_parser("add", parents=[config], help="register a device and print its token once")
    dadd.add_argument("name")
    dadd.add_argument("--kind", choices=["kiosk", "display", "survey"], required=True)
    dadd.add_argument("--counter", metavar="CODE", help="the counter a survey tablet stands at")
    device.add_parser("list", parents=[config], help="list the devices")
    device.add_parser("revoke", parents=[config], help="revoke a device's token for good").add_argument("name")


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Kata sandi: ")
        if getpass.getpass("Ulangi kata sandi: ") != first:
            raise DomainError("password_mismatch", "kedua kata sandi tidak sama")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _offline_context(config_path: str | None):  # type: ignore[no-untyped-def]
    from .services.context import Context
    from .storage.database import make_engine, migrate

    config = load_config(config_path)
    from .ops_config import load_ops
    from .services import devices_health

    devices_health.configure(load_ops(config.raw).offline_after)  # `device list` judges "online" like the server
    _private(config)
    engine = make_engine(config.database_url)
    migrate(engine)
    ctx = Context(site=config.site, engine=engine, public_url=config.server.public_url, secret=load_secret(config),
                  booking=config.booking)
    from .services.site_store import load_site

    load_site(ctx, config.raw)  # the stored site, as the server uses it
    return ctx


def _private(config: AppConfig) -> None:
    """Database and var/ private to the server's account (0600/0700): they hold names and phone numbers."""
    from .private_files import secure

    secure(config.database_url, (config.path.parent if config.path else Path.cwd()) / "var")


def _run(args: argparse.Namespace) -> int:
    from . import demo_live
    from .app import create_app
    from .services.accounts import ensure_admin

    config = load_config(args.config)
    if args.demo:  # issue 18: its own open-all-day copy of the site, in its own wiped database
        config = demo_live.demo_config(config, args.demo_speed)
    # --host/--port move a public_url that was derived from the address, never one set in [server] public_url
    server = config.server.at(args.host or config.server.host, args.port or config.server.port)
    config = replace(config, server=server)
    from .metrics import configure_logging
    from .ops_config import load_ops

    ops = load_ops(config.raw)
    _private(config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    configure_logging(ops.log_format)  # no NIK or phone number in any line; JSON lines when asked
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app, socketio = create_app(config)
    from .jobs import start_jobs

    password = ensure_admin(app.extensions["antre"])
    start_jobs(socketio, app.extensions["antre"], retain_days=ops.retain_days)
    if args.demo:
        demo_live.start(socketio, app.extensions["antre"], args.demo_speed)
    host, port = server.host, server.port
    origin = "[server] public_url" if server.public_url_fixed else "dari host/port; atur [server] public_url di balik proxy"
    logger.info("Tiket dan kode QR memakai alamat publik %s (%s)", server.public_url, origin)
    if password:
        print(f"Akun admin pertama dibuat: pengguna 'admin', kata sandi '{password}' (simpan, hanya ditampilkan sekali).",
              flush=True)
    print(f"Antre berjalan di http://{host}:{port}  ({config.site.name}, {config.server.async_mode})", flush=True)
    kwargs: dict[str, object] = {}
    if config.server.async_mode == "threading":
        kwargs["allow_unsafe_werkzeug"] = True
    elif config.server.async_mode == "eventlet":
        # eventlet's WSGI server accepts only 1,024 connections at once by default: too few for a site's screens
        kwargs["max_size"] = MAX_CONNECTIONS
        # Werkzeug and Engine.IO already name headers as HTTP spells them; eventlet would split and re-capitalize
        # every response header's name again (~2 % of a health check's instructions, issue 11)
        kwargs["capitalize_response_headers"] = False
    _tune_gc()
    socketio.run(app, host=host, port=port, log_output=False, **kwargs)
    return 0


def _tune_gc() -> None:
    """Keep the garbage collector's full passes short and rare: with a thousand sockets open a full pass took
    110-150 ms and stalled a call on every screen (docs/benchmarks.md, watchers). What start-up built lives as long
    as the process, so it is frozen out of every pass; fewer, larger young passes make fewer full ones. A request
    leaves no reference cycle behind (tests/integration/test_no_cyclic_garbage.py): when a unit of work was one, a
    young pass every ~100 requests freed ~45,000 objects at once and held a call-next for 5-35 ms (issue 11)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"  # type: ignore[attr-defined]


def _user_command(ctx, args: argparse.Namespace) -> None:  # type: ignore[no-untyped-def]
    from .services import admin_accounts as admin

    if args.action == "list":
        rows = [["NAMA", "PERAN", "STATUS", "LOKET", "INSTANSI", "MASUK TERAKHIR"]]
        rows += [[u.username, u.role, "aktif" if u.active else "nonaktif", ",".join(u.counters) or "-",
                  ",".join(u.agencies) or "-", _when(u.last_login and u.last_login.astimezone(ctx.site.timezone))]
                 for u in admin.list_users(ctx, CLI)]
        print(_table(rows))
    elif args.action == "add":
        admin.create_user(ctx, CLI, args.username, args.role, _read_password(), args.counter, args.agency)
        print(f"Pengguna '{args.username}' ({args.role}) dibuat.")
    elif args.action == "passwd":
        user = admin.find_user(ctx, args.username)
        admin.set_password(ctx, CLI, user.id, _read_password())
        print(f"Kata sandi '{args.username}' diganti; sesi lamanya berakhir.")
    else:
        user = admin.find_user(ctx, args.username)
        (admin.disable_user if args.action == "disable" else admin.enable_user)(ctx, CLI, user.id)
        print(f"Pengguna '{args.username}' {'dinonaktifkan' if args.action == 'disable' else 'diaktifkan'}.")


def _device_command(ctx, args: argparse.Namespace) -> None:  # type: ignore[no-untyped-def]
    from .services import admin_accounts as admin

    if args.action == "list":
        rows = [["NAMA", "JENIS", "LOKET", "STATUS", "PRINTER", "TERAKHIR TERLIHAT"]]
        rows += [[d.name, d.kind, d.counter or "-", ("daring" if d.online else "luring") if d.active else "dicabut",
                  str(d.state.get("printer") or "-"), _when(d.last_seen and d.last_seen.astimezone(ctx.site.timezone))]
                 for d in admin.list_devices(ctx, CLI)]
        print(_table(rows))
    elif args.action == "add":
        print(admin.create_device(ctx, CLI, args.name, args.kind, args.counter)[1])
    else:
        admin.revoke_device(ctx, CLI, admin.find_device(ctx, args.name).id)
        print(f"Token perangkat '{args.name}' dicabut.")


def _site_command(ctx, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from .domain.errors import Invalid
    from .services import site_admin

    if args.action == "export":
        text = site_admin.export_site(ctx)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
            print(f"Situs (versi {ctx.stored.version}) ditulis ke {args.out}.")
        else:
            sys.stdout.write(text)
        return 0
    try:
        lines = site_admin.import_site(ctx, CLI, Path(args.file).read_text(encoding="utf-8"), args.dry_run)
    except Invalid as exc:
        print(f"antre: error: {args.file}: {exc.message}", file=sys.stderr)
        return 2
    print("\n".join(lines) if lines else "Tidak ada perbedaan (no differences).")
    if lines:
        print("Uji coba: tidak ada yang diubah." if args.dry_run else f"Diterapkan sebagai versi {ctx.stored.version}.")
    return 0


def _demo_command(ctx, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from .services import demo_data

    if args.days < 1:
        raise DomainError("bad_days", "--days harus 1 atau lebih")
    if args.busy <= 0:
        raise DomainError("bad_busy", "--busy harus lebih dari 0")
    demo_data.relax_durability(ctx.engine)
    r = demo_data.generate(ctx, args.days, args.seed, busy=args.busy)  # one transaction per simulated day
    print(f"{r.days} hari ({r.open_days} buka): {r.tickets} tiket, {r.bookings} booking, "
          f"{r.seconds:.1f} s ({r.days_per_second:.2f} hari/detik).")
    return 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            return _run(args)
        if args.command in ops_cli.COMMANDS:
            return ops_cli.run(args, _offline_context)
        if args.command in simulate_cli.COMMANDS:
            return simulate_cli.run(args, _offline_context)
        ctx = _offline_context(args.config)
        if args.command == "site":
            return _site_command(ctx, args)
        if args.command == "demo-data":
            return _demo_command(ctx, args)
        if args.command == "user":
            _user_command(ctx, args)
        else:
            _device_command(ctx, args)
        return 0
    except ConfigError as exc:
        print(f"antre: error: {exc}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(f"antre: error: {exc.message}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"antre: error: {exc}", file=sys.stderr)
        return 1
