"""Command line: `run` (the server), `user add`, `device add`; bad input ends with one line, never a traceback."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys

from .config import ConfigError, load_config, load_secret
from .domain.errors import DomainError

MAX_CONNECTIONS = 10_000


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m server", description="Antre queue server")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start HTTP + Socket.IO (creates/migrates the database)")
    run.add_argument("--config")
    run.add_argument("--host")
    run.add_argument("--port", type=int)
    user = sub.add_parser("user", help="manage clerk and admin accounts").add_subparsers(dest="action", required=True)
    add = user.add_parser("add", help="add an account; password from the first line of stdin")
    add.add_argument("username")
    add.add_argument("--role", choices=["clerk", "admin"], required=True)
    add.add_argument("--counter", action="append", default=[], metavar="CODE")
    add.add_argument("--config")
    device = sub.add_parser("device", help="manage kiosks and displays").add_subparsers(dest="action", required=True)
    dadd = device.add_parser("add", help="register a device and print its token once")
    dadd.add_argument("name")
    dadd.add_argument("--kind", choices=["kiosk", "display"], required=True)
    dadd.add_argument("--config")
    return p


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
    engine = make_engine(config.database_url)
    migrate(engine)
    return Context(site=config.site, engine=engine, public_url=config.server.public_url, secret=load_secret(config),
                   booking=config.booking)


def _run(args: argparse.Namespace) -> int:
    from .app import create_app
    from .services.accounts import ensure_admin

    config = load_config(args.config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app, socketio = create_app(config)
    from .jobs import start_jobs

    password = ensure_admin(app.extensions["antre"])
    start_jobs(socketio, app.extensions["antre"])
    host, port = args.host or config.server.host, args.port or config.server.port
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
    socketio.run(app, host=host, port=port, log_output=False, **kwargs)
    return 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            return _run(args)
        from .services import accounts

        ctx = _offline_context(args.config)
        if args.command == "user":
            password = _read_password()
            accounts.create_user(ctx, args.username, args.role, password, args.counter)
            print(f"Pengguna '{args.username}' ({args.role}) dibuat.")
        else:
            token = accounts.create_device(ctx, args.name, args.kind)
            print(token)
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
