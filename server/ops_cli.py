"""Command line of operations: `backup --out FILE`, `restore FILE [--force]`, `retention [--dry-run]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .config import load_config


def add_parsers(sub: Any, config: argparse.ArgumentParser) -> None:
    """Attach the operations subcommands to the main parser's subcommands (`config` adds --config)."""
    backup = sub.add_parser("backup", parents=[config],
                            help="write a consistent copy of the database (while the server runs)")
    backup.add_argument("--out", metavar="FILE", required=True, help="the backup file (created 0600)")
    restore = sub.add_parser("restore", parents=[config],
                             help="restore a backup into an empty site (stop the server first)")
    restore.add_argument("file")
    restore.add_argument("--force", action="store_true", help="overwrite a database that is in use")
    retention = sub.add_parser("retention", parents=[config],
                               help="erase bookings' personal data older than [booking] retain_days")
    retention.add_argument("--dry-run", action="store_true", help="only count what would be erased")


COMMANDS = ("backup", "restore", "retention")


def run(args: argparse.Namespace, offline_context: Any) -> int:
    from .ops_config import load_ops
    from .services import backup, retention

    if args.command == "backup":
        config = load_config(args.config)
        done = backup.backup(config.database_url, Path(args.out))
        what = f", {done.tickets} tiket" if done.tickets >= 0 else ""
        print(f"Cadangan {done.kind} ditulis ke {done.path} ({done.size:,} byte{what}). "
              "Simpan juga var/secret_key (atau ANTRE_SECRET_KEY): tanpanya token dan kode NIK tidak cocok.")
        return 0
    if args.command == "restore":
        from .private_files import secure
        from .storage.database import make_engine, migrate

        config = load_config(args.config)
        secure(config.database_url, None)
        engine = make_engine(config.database_url)
        kind = backup.restore(config.database_url, Path(args.file), engine, force=args.force)
        engine = make_engine(config.database_url)
        migrate(engine)  # a backup of an older version gets this version's schema
        engine.dispose()
        print(f"Cadangan {kind} {args.file} dipulihkan; jalankan server lagi.")
        return 0
    ctx = offline_context(args.config)
    days = load_ops(load_config(args.config).raw).retain_days
    if args.dry_run:
        print(f"{retention.pending(ctx, days)} booking akan dihapus data pribadinya (lebih dari {days} hari).")
        return 0
    erased = retention.erase_expired_bookings(ctx, days, actor="cli")
    print(f"Data pribadi {erased.count} booking (kunjungan sebelum {erased.before.isoformat()}) dihapus.")
    return 0
