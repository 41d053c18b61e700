"""The Announcer port: a queue of announcements played one at a time, quiet hours, and an in-memory fake."""

import logging
import queue
import re
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Literal, Self
from zoneinfo import ZoneInfo

from hardware.audio.pack import AudioError

logger = logging.getLogger(__name__)

SITE_TIMEZONE = "Asia/Makassar"  # WITA; callers pass the site's configured zone
SECS_PER_DAY = 24 * 3600
_PERIOD_RE = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")

Clock = Callable[[], datetime]
EventKind = Literal["started", "finished", "skipped", "failed"]


@dataclass(frozen=True, slots=True)
class QuietPeriod:
    """A daily period of local time in which nothing is announced; may wrap past midnight."""

    start_secs: int  # seconds after local midnight, inclusive
    end_secs: int  # exclusive; 86400 means the end of the day

    def contains(self, moment: datetime) -> bool:
        """Whether the local time of moment falls inside the period."""
        secs = moment.hour * 3600 + moment.minute * 60 + moment.second
        if self.start_secs < self.end_secs:
            return self.start_secs <= secs < self.end_secs
        return secs >= self.start_secs or secs < self.end_secs


def parse_quiet_hours(specs: Iterable[str]) -> tuple[QuietPeriod, ...]:
    """Parse config entries like "12:00-13:00" or "21:00-06:00" (local time, end exclusive)."""
    periods = []
    for spec in specs:
        match = _PERIOD_RE.fullmatch(spec.strip())
        if match is None:
            raise ValueError(f"quiet hours: expected 'HH:MM-HH:MM', got {spec!r}")
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2 != 0):
            raise ValueError(f"quiet hours: not a time of day in {spec!r}")
        start, end = h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60
        if start == end % SECS_PER_DAY:
            raise ValueError(f"quiet hours: empty period {spec!r}")
        periods.append(QuietPeriod(start, end))
    return tuple(periods)


@dataclass(frozen=True, slots=True)
class AnnouncerEvent:
    """What the worker did with one announcement; `at` is time.monotonic()."""

    kind: EventKind
    clips: tuple[str, ...]
    at: float


class Announcer(ABC):
    """Port: speaks announcements in the order given, never overlapping or cutting one off."""

    @abstractmethod
    def announce(self, clips: Sequence[str]) -> None:
        """Queue one announcement (clip names) and return at once."""

    @abstractmethod
    def close(self) -> None:
        """Stop announcing and release the device; pending announcements are dropped."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class QueuedAnnouncer(Announcer):
    """Base for real adapters: a FIFO drained by one worker thread that plays each announcement to its end."""

    def __init__(
        self,
        *,
        quiet: Iterable[str] = (),
        timezone: str = SITE_TIMEZONE,
        clock: Clock | None = None,
        on_event: Callable[[AnnouncerEvent], None] | None = None,
    ) -> None:
        self._quiet = parse_quiet_hours(quiet)
        zone = ZoneInfo(timezone)
        self._clock: Clock = clock or (lambda: datetime.now(zone))
        self._on_event = on_event
        self._queue: queue.Queue[tuple[str, ...] | None] = queue.Queue()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._thread: threading.Thread | None = None

    def announce(self, clips: Sequence[str]) -> None:
        """Queue one announcement; raises AudioError at once for an unknown clip or a closed announcer."""
        batch = tuple(clips)
        if not batch:
            raise ValueError("expected at least one clip")
        self._check(batch)
        with self._lock:
            if self._stopping.is_set():
                raise AudioError("the announcer is closed")
            if self._thread is None:
                # Started on first use so that building an announcer costs no thread.
                self._thread = threading.Thread(target=self._run, name="announcer", daemon=True)
                self._thread.start()
            self._pending += 1
        self._queue.put(batch)

    def is_quiet(self) -> bool:
        """Whether now (site time) is inside the quiet hours."""
        now = self._clock()
        return any(period.contains(now) for period in self._quiet)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every queued announcement was played or skipped; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the worker, cutting the current announcement short; pending ones are dropped."""
        with self._lock:
            if self._stopping.is_set():
                return
            self._stopping.set()
            thread = self._thread
        self._queue.put(None)
        if thread is not None and thread is not threading.current_thread():  # close() from a listener
            thread.join(timeout)
        with self._idle:
            self._pending = 0
            self._idle.notify_all()

    def _check(self, clips: tuple[str, ...]) -> None:
        """Raise AudioError naming a clip the adapter cannot play (overridden by adapters)."""

    @abstractmethod
    def _play(self, clips: tuple[str, ...]) -> None:
        """Play one announcement and return only when it has finished (or the announcer is stopping)."""

    def _run(self) -> None:
        while True:
            clips = self._queue.get()
            if clips is None or self._stopping.is_set():
                return
            try:
                self._handle(clips)
            except Exception:  # the worker must outlive one bad announcement
                logger.exception("announcement failed: %s", " ".join(clips))
                self._emit("failed", clips)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _handle(self, clips: tuple[str, ...]) -> None:
        # Checked when the call would sound, not when queued: a call queued at 11:59:59 stays silent at 12:00.
        if self.is_quiet():
            logger.info("quiet hours: skipped %s", " ".join(clips))
            self._emit("skipped", clips)
            return
        self._emit("started", clips)
        self._play(clips)
        self._emit("finished", clips)

    def _emit(self, kind: EventKind, clips: tuple[str, ...]) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(AnnouncerEvent(kind, clips, time.monotonic()))
        except Exception:  # a faulty listener must not silence the hall
            logger.exception("announcer listener failed on %s", kind)


class FakeAnnouncer(Announcer):
    """Records the clip lists it is given (thread-safe), for tests of the display."""

    def __init__(self, known: Iterable[str] | None = None) -> None:
        self._known = None if known is None else frozenset(known)
        self._cond = threading.Condition()
        self._announced: list[list[str]] = []
        self.closed = False

    def announce(self, clips: Sequence[str]) -> None:
        """Record one announcement; with `known`, unknown clips raise like a real pack would."""
        batch = list(clips)
        if not batch:
            raise ValueError("expected at least one clip")
        if self._known is not None:
            unknown = [clip for clip in batch if clip not in self._known]
            if unknown:
                raise AudioError(f"no clip {unknown[0]!r} ({unknown[0]}.wav) in the voice pack")
        with self._cond:
            if self.closed:
                raise AudioError("the announcer is closed")
            self._announced.append(batch)
            self._cond.notify_all()

    @property
    def announced(self) -> list[list[str]]:
        """A copy of every clip list announced so far, oldest first."""
        with self._cond:
            return [list(batch) for batch in self._announced]

    def wait_for(self, count: int, timeout: float = 5.0) -> bool:
        """Block until at least count announcements were made; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self._announced) >= count, timeout)

    def close(self) -> None:
        """Refuse further announcements."""
        with self._cond:
            self.closed = True
