"""The server's files are private to the account it runs as: the database holds visitors' names and phone
numbers (UU No. 27/2022), `var/` also the secret key. New files are created 0600 and folders 0700 (umask), and an
existing SQLite database (with its -wal/-shm files) and an existing `var/` folder beside the config are tightened at
start, which also fixes installations made before this rule."""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_FILE, PRIVATE_DIR = 0o600, 0o700
SQLITE_PREFIX = "sqlite:///"


def sqlite_path(url: str) -> Path | None:
    """The file of a `sqlite:///path` URL (None for PostgreSQL or an in-memory database)."""
    if not url.startswith(SQLITE_PREFIX) or url in ("sqlite://", "sqlite:///:memory:"):
        return None
    return Path(url[len(SQLITE_PREFIX):])


def _tighten(path: Path, mode: int) -> None:
    try:
        if path.exists() and stat.S_IMODE(path.stat().st_mode) & ~mode:
            path.chmod(mode)
    except OSError:  # e.g. owned by another account: the server still runs; the guide says how to fix it
        pass


def secure(database_url: str, var_dir: Path | None) -> None:
    """Private umask for everything this process creates; tighten the database files and `var_dir` if present."""
    os.umask(0o077)
    if var_dir is not None:
        _tighten(var_dir, PRIVATE_DIR)  # only if it exists: /etc/antre/var is never created for nothing
    db = sqlite_path(database_url)
    if db is None:
        return
    try:
        if not db.parent.exists():
            db.parent.mkdir(mode=PRIVATE_DIR, parents=True)
        if not db.exists():
            os.close(os.open(db, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))  # an empty file is an empty database
    except OSError:  # e.g. a read-only folder: the database engine reports it in its own words
        return
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        _tighten(path, PRIVATE_FILE)
