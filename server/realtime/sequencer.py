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
        self._suspect: tuple[int, float] | None = None  # (seq, when): the log lacked events up to seq then
        self._awaited: tuple[int, float] | None = None  # (a seq the site had committed, when it was first seen)

    def offer(self, items: Iterable[Item], now: float) -> list[Item]:
        """The events ready to deliver, in order, after `items` arrived; repeats and old events are dropped."""
        for seq, messages in items:
            if seq > self.delivered:
                self._pending.setdefault(seq, messages)
        return self._release(now)

    def fill(self, items: Iterable[Item], upto: int, now: float, settle: float = 0.0) -> list[Item]:
        """Events read from the log, which holds every event up to `upto` (read before them) but the newest, whose
        rows may still be on their way: a seq up to `upto` still missing `settle` seconds after a fill first found it
        missing will never come (its process died between commit and log, the row was pruned, or it was committed
        before the log was kept) and is skipped."""
        for seq, messages in items:
            if seq > self.delivered:
                self._pending.setdefault(seq, messages)
        out = self._release(now)
        while self.delivered < upto:
            if self._suspect is None or self._suspect[0] <= self.delivered:
                self._suspect = (upto, now)  # holes up to here, first seen now
            limit, since = self._suspect
            if now - since < settle:
                return out
            while self.delivered < limit:
                later = [s for s in self._pending if s <= limit]
                self.delivered = (min(later) - 1) if later else limit  # skip what the log does not have
                out.extend(self._release(now))
        self._suspect = None
        return out

    def stalled(self, now: float, window: float) -> bool:
        """Whether a later event has waited longer than `window` for a missing one."""
        return self._held_since is not None and now - self._held_since >= window

    def behind(self, site_seq: int, now: float, window: float) -> bool:
        """Whether an event the site had committed (`site_seq`, polled) is still not delivered `window` after it was
        first seen. A busy site always has a batch or two on their way, so being behind at each poll is normal: only
        the same event missing for `window` means it was lost (the message queue is down)."""
        if site_seq <= self.delivered:
            self._awaited = None
            return False
        if self._awaited is None or self.delivered >= self._awaited[0]:  # what was awaited came: await the newest
            self._awaited = (site_seq, now)
            return False
        if now - self._awaited[1] < window:
            return False
        self._awaited = None
        return True

    def held(self) -> set[int]:
        """The seqs waiting here for an earlier one."""
        return set(self._pending)

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
