"""Puts committed events back in `seq` order before a process hands them to its screens (pure: no I/O, time passed in).

A process hears its own events at once and the other processes' events a moment later through the message queue, so
without this a screen gets `seq` 11 (local) before 10 (remote) and must ask for a snapshot. Events are numbered site
wide without gaps, so the next one to deliver is always `delivered + 1`: anything later waits here until the gap is
filled — by the message queue, or from the event log once the gap is older than a short window (`stalled`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Item = tuple[int, Any]  # (seq, the event's messages)


class Sequencer:
    def __init__(self, delivered: int) -> None:
        self.delivered = delivered  # every event up to this one went to this process's screens
        self._pending: dict[int, Any] = {}
        self._held_since: float | None = None  # when the oldest waiting event started waiting

    def offer(self, items: Iterable[Item], now: float) -> list[Item]:
        """The events ready to deliver, in order, after `items` arrived; repeats and old events are dropped."""
        for seq, messages in items:
            if seq > self.delivered:
                self._pending.setdefault(seq, messages)
        return self._release(now)

    def fill(self, items: Iterable[Item], upto: int, now: float) -> list[Item]:
        """Events read from the log, which holds every event up to `upto` (read before them): anything up to `upto`
        still missing afterwards will never come (pruned, or committed before the log was kept) and is skipped."""
        for seq, messages in items:
            if seq > self.delivered:
                self._pending.setdefault(seq, messages)
        out: list[Item] = []
        while self.delivered < upto:
            out.extend(self._release(now))
            if self.delivered >= upto:
                break
            later = [s for s in self._pending if s <= upto]
            self.delivered = (min(later) - 1) if later else upto  # skip what the log does not have
        out.extend(self._release(now))
        return out

    def stalled(self, now: float, window: float) -> bool:
        """Whether a later event has waited longer than `window` for a missing one."""
        return self._held_since is not None and now - self._held_since >= window

    @property
    def waiting(self) -> int:
        return len(self._pending)

    def _release(self, now: float) -> list[Item]:
        out = []
        while (messages := self._pending.pop(self.delivered + 1, None)) is not None:
            self.delivered += 1
            out.append((self.delivered, messages))
        if not self._pending:
            self._held_since = None
        elif out or self._held_since is None:  # the wait is counted from the last progress
            self._held_since = now
        return out
