"""Backups and restores of the whole site (tickets, bookings, accounts, the stored site, audit log).

SQLite: the online backup API copies a consistent snapshot while kiosks keep issuing (WAL mode: readers never block
the writer), into a temporary file renamed into place only when complete. PostgreSQL: `pg_dump --format=custom`
and `pg_restore`. Every backup file is created 0600: it holds names and phone numbers. A restore goes into an empty
site only (no ticket, booking or user beyond the first admin), unless forced, and then migrates to this version.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from ..domain.errors import Invalid, Refused

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
SQLITE_PREFIX = "sqlite:///"
CONTENT_TABLES = ("tickets", "bookings")


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size: int
    tickets: int
    kind: str  # "sqlite" | "postgresql"


def _sqlite_file(url: str) -> Path | None:
    return Path(url[len(SQLITE_PREFIX):]) if url.startswith(SQLITE_PREFIX) and url != "sqlite:///:memory:" else None


def _pg_url(url: str) -> str:
    """libpq wants postgresql://…, without SQLAlchemy's +driver."""
    scheme, _, rest = url.partition("://")
    return f"postgresql://{rest}" if scheme.startswith("postgres") else url


def _private_temp(folder: Path, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=".antre-", suffix=suffix, dir=folder)  # mkstemp creates it 0600
    os.close(fd)
    return Path(name)


def _read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection (as_uri escapes a path with spaces, '?' or '#')."""
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def _count_tickets_sqlite(path: Path) -> int:
    with _read_only(path) as conn:
        return int(conn.execute("SELECT count(*) FROM tickets").fetchone()[0])


def backup(database_url: str, out: Path) -> BackupResult:
    """Write a consistent copy of the database to `out` (0600), atomically; the server may keep running."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    source = _sqlite_file(database_url)
    temp = _private_temp(out.parent, ".part")
    try:
        if source is not None:
            if not source.exists():
                raise Invalid("no_database", f"Basis data {source} tidak ada.")
            src = sqlite3.connect(source, timeout=30)  # the backup API only reads it
            dst = sqlite3.connect(temp)
            try:
                with dst:
                    src.backup(dst)  # one step: the copy is one consistent snapshot of the database
                dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            finally:
                dst.close()
                src.close()
            kind, tickets = "sqlite", _count_tickets_sqlite(temp)
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={temp}",
                  f"--dbname={_pg_url(database_url)}"], "pg_dump")
            kind, tickets = "postgresql", -1
        temp.chmod(0o600)
        temp.replace(out)
    finally:
        temp.unlink(missing_ok=True)
    return BackupResult(out, out.stat().st_size, tickets, kind)


def _run(args: list[str], tool: str) -> None:
    if shutil.which(tool) is None:
        raise Invalid("missing_tool", f"Perintah {tool} tidak ditemukan: pasang postgresql-client.")
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise Invalid(f"{tool}_failed", f"{tool} gagal: {done.stderr.strip().splitlines()[-1:] or done.returncode}")


def _kind_of(file: Path) -> str:
    head = file.read_bytes()[:16] if file.exists() else b""
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise Invalid("not_a_backup", f"{file} bukan berkas cadangan Antre (SQLite atau pg_dump).")


def site_in_use(engine: Engine) -> bool:
    """Whether the database already holds a site's work: a ticket, a booking or more than one account."""
    names = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        for table in CONTENT_TABLES:
            if table in names and conn.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first():
                return True
        return "users" in names and int(conn.execute(text("SELECT count(*) FROM users")).scalar_one()) > 1


def restore(database_url: str, file: Path, engine: Engine | None = None, force: bool = False) -> str:
    """Put the backup `file` in place of the (empty) database; the kind restored. Stop the server first."""
    kind = _kind_of(file)
    if engine is not None and not force and site_in_use(engine):
        raise Refused("site_not_empty", "Basis data tujuan sudah berisi tiket, booking atau akun: pulihkan ke situs "
                                        "kosong (atau pakai --force untuk menimpanya).")
    target = _sqlite_file(database_url)
    if (kind == "sqlite") != (target is not None):
        raise Invalid("wrong_kind", f"Cadangan {kind} tidak bisa dipulihkan ke basis data ini; lihat docs/deploy.md.")
    if engine is not None:
        engine.dispose()
    if target is not None:
        with _read_only(file) as check:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise Invalid("corrupt_backup", f"{file} rusak (integrity_check gagal).")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Through SQLite's backup API into the target's own connection: its WAL is handled by SQLite itself.
        src, dst = _read_only(file), sqlite3.connect(target, timeout=30)
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
            src.close()
        target.chmod(0o600)
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              f"--dbname={_pg_url(database_url)}", str(file)], "pg_restore")
    return kind
