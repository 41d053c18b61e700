"""Counting SQL statements per use case: those inside the use case and those the real-time hub makes after it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event


def _short(statement: str) -> str:
    """`SELECT … FROM tickets` instead of the whole column list."""
    flat = " ".join(statement.split())
    found = re.match(r"(\w+)\b.*?\b(FROM|INTO|UPDATE) (\w+)", flat)
    return f"{found.group(1)} … {found.group(2)} {found.group(3)}" if found else flat[:60]


@dataclass
class RecordingSocketIO:
    """Stands in for flask_socketio.SocketIO: the hub registers handlers, starts its background watches (not run
    here: they are not part of one event's cost) and emits."""

    emits: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    def on_event(self, name: str, handler: Callable[..., Any], namespace: str | None = None) -> None:
        pass  # connections are not part of what we count

    def start_background_task(self, target: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        pass

    def emit(self, name: str, payload: Any = None, namespace: str | None = None, to: str | None = None,
             **_: Any) -> None:
        self.emits.append((name, namespace, to))


@dataclass
class Counts:
    use_case: int = 0
    publish: int = 0
    emits: int = 0
    publish_sql: list[str] = field(default_factory=list)


class StatementCounter:
    """Counts every statement sent to `ctx.engine`, split into the use case (its transaction and the reads around
    it) and the Context listeners that run after the commit (the hub's `publish`)."""

    def __init__(self, ctx: Any, sio: RecordingSocketIO | None = None) -> None:
        self.ctx, self.sio, self._in_publish = ctx, sio, False
        self.current = Counts()
        event.listen(ctx.engine, "before_cursor_execute", self._seen)
        # Wrap the listeners registered so far (build the Hub first): statements they make count as publish.
        ctx.listeners[:] = [self._wrap(listener) for listener in ctx.listeners]

    def _wrap(self, listener: Callable[[list[Any]], None]) -> Callable[[list[Any]], None]:
        def counted(events: list[Any]) -> None:
            self._in_publish = True
            try:
                listener(events)
            finally:
                self._in_publish = False
        return counted

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self._in_publish:
            self.current.publish += 1
            self.current.publish_sql.append(_short(statement))
        else:
            self.current.use_case += 1

    def measure(self, action: Callable[[], Any]) -> Counts:
        """Run `action` (one use case) and return the statements it made and the hub's share after the commit."""
        self.current = Counts()
        before = len(self.sio.emits) if self.sio else 0
        raw = self.ctx.tokens.queries
        action()
        self.current.use_case += self.ctx.tokens.queries - raw  # token checks on their own connection
        self.current.emits = (len(self.sio.emits) - before) if self.sio else 0
        return self.current

    def close(self) -> None:
        event.remove(self.ctx.engine, "before_cursor_execute", self._seen)
