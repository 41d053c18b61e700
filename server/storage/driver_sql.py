"""The use cases' hot statements as driver SQL (issue 11): each Core statement is compiled once per dialect, and
then run on the transaction's own DB-API cursor with its parameters in the driver's order, converted by the same
bind processors SQLAlchemy would use, and its rows converted by the same result processors.

`Connection.execute` spends ~40 µs of Python per statement (on SQLite more than the statement itself): the compiled
cache lookup, the execution context, `construct_params`, the result's metadata. A call-next sends ~6 statements.
What is kept of SQLAlchemy is `Connection._cursor_execute` — its path for the dialect's own one-off statements —
so each statement still reaches the engine's `before_cursor_execute`/`after_cursor_execute` listeners (the
statement-count tests, bench/querycount.py, see every one), is logged with `echo`, and a driver error is wrapped as
always (IntegrityError, OperationalError: the use cases' retries; a lost connection invalidated).

On PostgreSQL (psycopg2, which sends every statement as text) each statement is also a server-side prepared
statement of the connection: PREPAREd on its first use there, then sent as `EXECUTE name(values)`, so PostgreSQL
parses, analyses and plans it once per connection instead of at every execution (issue 11: half of an issued
ticket's backend CPU; the token check's three-table join 95 → 20 µs). The statement events, `echo` and error
messages still see the statement's own SQL. (A pooler between the server and PostgreSQL in transaction mode, such
as pgbouncer's, would break this: a session's prepared statements must stay on its server connection.)"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement

Build = Callable[[str], ClauseElement]  # a statement that differs per dialect: built from the dialect's name
log = logging.getLogger(__name__)
_PYFORMAT = re.compile(r"%%|%\((\w+)\)s")  # psycopg2's parameters, and its escaped per cent sign


class _Compiled:
    """One statement on one dialect: its SQL, its parameters in the driver's order, their conversions."""

    __slots__ = ("sql", "names", "fixed", "binds", "positional", "keys", "_types", "_results", "_plan", "prepare",
                 "execute", "name")

    def __init__(self, statement: ClauseElement, dialect: Dialect, columns: Sequence[str] | None) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(columns) if columns is not None else None)
        # What this runner does not do: values computed per execution (Python-side defaults, expanding IN lists,
        # parameters rendered into the SQL at execution time) — such a statement is refused when first compiled.
        if getattr(compiled, "insert_prefetch", ()) or getattr(compiled, "update_prefetch", ()) \
                or compiled.post_compile_params or compiled.literal_execute_params or compiled.escaped_bind_names:
            raise ValueError(f"not a statement for driver SQL: {compiled.string}")
        self.sql = compiled.string
        self.positional = bool(compiled.positional)
        by_name = {name: bind for bind, name in compiled.bind_names.items()}
        self.names = tuple(compiled.positiontup) if self.positional else tuple(by_name)  # type: ignore[arg-type]
        processors = compiled._bind_processors
        # A literal in the statement (`site_state.id == 1`) is a parameter with its value: converted here, once.
        self.fixed: dict[str, Any] = {}
        self.binds: dict[str, Callable[[Any], Any] | None] = {}
        for name, bind in by_name.items():
            processor = processors.get(name)
            if bind.required:
                self.binds[name] = processor  # type: ignore[assignment]
            else:
                value = bind.effective_value
                self.fixed[name] = processor(value) if processor is not None else value  # type: ignore[operator]
        # Each driver parameter in order: (True, its name, its processor) from the caller; (False, its value, None).
        self._plan = tuple((True, n, self.binds[n]) if n in self.binds else (False, self.fixed[n], None)
                           for n in self.names)
        columns_out = compiled._result_columns or []
        self.keys = tuple(c[0] for c in columns_out)
        self._types = tuple(c[3] for c in columns_out)
        self._results: tuple[Any, ...] | None = None
        self.prepare, self.execute, self.name = _server_side(self.sql) if dialect.driver == "psycopg2" \
            and not self.positional else (None, None, None)

    def args(self, params: Mapping[str, Any]) -> Any:
        if self.positional:
            return tuple([(params[x] if p is None else p(params[x])) if given else x for given, x, p in self._plan])
        values = dict(self.fixed)
        for name, processor in self.binds.items():
            values[name] = params[name] if processor is None else processor(params[name])
        return values

    def results(self, dialect: Dialect, description: Sequence[Any]) -> tuple[Any, ...]:
        """Each result column's processor (None: the driver's value as it is), from the cursor's first description,
        as SQLAlchemy's result metadata takes them."""
        if self._results is None:
            self._results = tuple(t._cached_result_processor(dialect, d[1])
                                  for t, d in zip(self._types, description, strict=True))
        return self._results


class Prepared:
    """A Core statement (or a `Build` of one per dialect name) to run as driver SQL; `columns`: the columns an
    INSERT without `.values()` is given, as `Connection.execute` takes them from its parameters."""

    __slots__ = ("statement", "columns", "_on", "_last")

    def __init__(self, statement: ClauseElement | Build, columns: Sequence[str] | None = None) -> None:
        self.statement, self.columns = statement, columns
        self._on: dict[tuple[Any, ...], _Compiled] = {}
        self._last: tuple[Dialect, _Compiled] | None = None  # a process has one engine, so one dialect

    def on(self, dialect: Dialect) -> _Compiled:
        last = self._last
        if last is not None and last[0] is dialect:
            return last[1]
        # The SQL may depend on the server's version (RETURNING on SQLite): compiled per kind of dialect and version.
        key = (type(dialect), dialect.paramstyle, getattr(dialect, "server_version_info", None))
        compiled = self._on.get(key)
        if compiled is None:
            statement = self.statement if isinstance(self.statement, ClauseElement) else self.statement(dialect.name)
            compiled = self._on[key] = _Compiled(statement, dialect, self.columns)
        self._last = (dialect, compiled)
        return compiled


def _server_side(sql: str) -> tuple[str, str, str]:
    """psycopg2's `sql` as (PREPARE, EXECUTE with the same %(name)s parameters, the statement's name): each distinct
    parameter becomes $n in the order it first appears; the name is the SQL's hash, the same in every process."""
    order: dict[str, str] = {}

    def numbered(m: re.Match[str]) -> str:
        return "%" if m.group(1) is None else order.setdefault(m.group(1), f"${len(order) + 1}")

    body = _PYFORMAT.sub(numbered, sql)
    name = "antre_" + hashlib.sha1(sql.encode()).hexdigest()[:12]
    values = ", ".join(f"%({n})s" for n in order)
    return f"PREPARE {name} AS {body}", f"EXECUTE {name}({values})" if order else f"EXECUTE {name}", name


class _Executing:
    """A cursor that runs the statement given to it as its prepared twin (`EXECUTE name(...)`), so that
    `Connection._cursor_execute` hands the statement events, `echo` and an error the statement's own SQL."""

    __slots__ = ("_cursor", "_sql")

    def __init__(self, cursor: Any, sql: str) -> None:
        self._cursor, self._sql = cursor, sql

    def execute(self, _statement: str, args: Any = None) -> Any:
        return self._cursor.execute(self._sql, args)

    def __getattr__(self, name: str) -> Any:  # fetchall, description, rowcount, close…
        return getattr(self._cursor, name)


def _prepared(conn: Connection, cursor: Any, compiled: _Compiled) -> bool:
    """Whether `compiled` is prepared on this connection: PREPAREd now if not yet. Not a statement of the use case
    (once per connection and statement), so sent past the statement events. Inside a transaction within a savepoint
    of its own, in the same round trip: a statement PostgreSQL would not prepare (a parameter whose type it cannot
    infer) must not abort the caller's transaction — it is then sent as plain text from now on."""
    done: set[str] = conn.connection.info.setdefault("antre_prepared", set())
    if compiled.name in done:
        return True
    assert compiled.prepare is not None and compiled.name is not None
    autocommit = bool(getattr(conn.connection.dbapi_connection, "autocommit", False))
    statement = compiled.prepare if autocommit else \
        f"SAVEPOINT antre_prepare; {compiled.prepare}; RELEASE SAVEPOINT antre_prepare"
    try:
        try:
            cursor.execute(statement)
        except conn.dialect.loaded_dbapi.ProgrammingError:  # refused: not a lost connection
            if not autocommit:
                cursor.execute("ROLLBACK TO SAVEPOINT antre_prepare; RELEASE SAVEPOINT antre_prepare")
            log.warning("PostgreSQL did not prepare %s; it goes as text", compiled.sql, exc_info=True)
            compiled.prepare = compiled.execute = compiled.name = None
            return False
    except BaseException as exc:  # wrapped as any statement's error (a lost connection invalidated), and raised
        cursor.close()
        conn._handle_dbapi_exception(exc, statement, None, cursor, None)
    done.add(compiled.name)
    return True


def _cursor(conn: Connection, compiled: _Compiled, params: Mapping[str, Any]) -> Any:
    args = compiled.args(params)
    if not conn.in_transaction():
        conn.begin()  # as `Connection.execute` begins one itself (autobegin)
    cursor = conn.connection.cursor()
    if compiled.execute is not None and _prepared(conn, cursor, compiled):
        cursor = _Executing(cursor, compiled.execute)
    try:
        conn._cursor_execute(cursor, compiled.sql, args)  # events, echo, and a driver error wrapped (see above)
    except BaseException:
        cursor.close()
        raise
    return cursor


def rowcount(conn: Connection, prepared: Prepared, params: Mapping[str, Any] = {}) -> int:  # noqa: B006 (read only)
    """Run a statement without rows; the number of rows it changed."""
    cursor = _cursor(conn, prepared.on(conn.dialect), params)
    try:
        return int(cursor.rowcount)
    finally:
        cursor.close()


def rows(conn: Connection, prepared: Prepared, params: Mapping[str, Any] = {}) -> list[tuple[Any, ...]]:  # noqa: B006
    """Run a statement; its rows, each value converted as SQLAlchemy would."""
    compiled = prepared.on(conn.dialect)
    cursor = _cursor(conn, compiled, params)
    try:
        fetched = cursor.fetchall()
        if not fetched:
            return []
        processors = compiled.results(conn.dialect, cursor.description)
    finally:
        cursor.close()
    if not any(processors):
        return [tuple(r) for r in fetched]
    # Column by column (C loops but the processors' own calls): a Python loop per value cost more than the
    # statement saves on a line's 900 waiting tickets.
    columns: list[Any] = list(zip(*fetched, strict=True))
    for i, processor in enumerate(processors):
        if processor is not None:
            columns[i] = map(processor, columns[i])
    return list(zip(*columns, strict=True))


def mappings(conn: Connection, prepared: Prepared, params: Mapping[str, Any] = {}) -> list[dict[str, Any]]:  # noqa: B006
    """`rows`, each as a dict by column name."""
    keys = prepared.on(conn.dialect).keys
    return [dict(zip(keys, r, strict=True)) for r in rows(conn, prepared, params)]


def one(conn: Connection, prepared: Prepared, params: Mapping[str, Any] = {}) -> tuple[Any, ...]:  # noqa: B006
    """The statement's one row (an error when it has none or several, as `Result.one`)."""
    found = rows(conn, prepared, params)
    if len(found) != 1:
        raise LookupError(f"expected one row, got {len(found)}: {prepared.on(conn.dialect).sql}")
    return found[0]
