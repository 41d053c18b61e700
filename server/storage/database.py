"""Engine creation (SQLite in WAL mode with write-locking transactions, or PostgreSQL) and migrations at start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import StaticPool

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any constant works; it only has to be the same in every process that may migrate at once.
PG_MIGRATION_LOCK = 7_274_201


def _sqlite_engine(url: str) -> Engine:
    memory = url in ("sqlite://", "sqlite:///:memory:")
    if not memory:
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    # No ROLLBACK when a connection goes back to the pool: every unit of work ends its transaction itself.
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}, "pool_reset_on_return": None}
    if memory:
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling defers locks).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        # FULL: a ticket whose 201 was sent survives a power cut too, not only a process crash.
        cur.execute("PRAGMA synchronous=FULL" if not memory else "PRAGMA synchronous=OFF")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: a read-then-write transaction can never fail half-way
        # with SQLITE_BUSY, and writers queue behind each other instead of racing. Sent as the hot statements are
        # (storage/driver_sql.py): seen by the statement events, without `exec_driver_sql`'s execution context.
        cursor = conn.connection.cursor()
        try:
            conn._cursor_execute(cursor, "BEGIN IMMEDIATE", ())
        finally:
            cursor.close()

    return engine


def normalize_url(url: str) -> str:
    """Plain `postgresql://` means psycopg2: it is the driver that cooperates with eventlet (psycopg 3 does not),
    and SQLAlchemy 2.1 would otherwise pick psycopg 3."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg2://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    """An engine for `url`: sqlite:///path (embedded default) or postgresql://…"""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    if url.startswith("postgresql"):
        return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
    raise ValueError(f"unsupported database URL scheme: {url.split(':', 1)[0]}")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (safe to call from several processes at once)."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": PG_MIGRATION_LOCK})
            conn.commit()
        try:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
        finally:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PG_MIGRATION_LOCK})
                conn.commit()
