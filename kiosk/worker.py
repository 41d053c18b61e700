"""Background threads that run the kiosk's network and printer work, so the frame loop never blocks."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

Job = Callable[[], None]


@dataclass(frozen=True, slots=True)
class Msg:
    """A message for the frame loop: `kind` says what happened, `job` ties a result to the visitor's request."""

    kind: str
    data: Any = None
    job: int = 0


class Worker:
    """One thread running submitted jobs in order, and `idle` every `idle_secs` between them."""

    def __init__(self, name: str, idle: Job | None = None, idle_secs: float = 30.0) -> None:
        self.name = name
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._idle, self._idle_secs = idle, idle_secs
        self._thread = threading.Thread(target=self._loop, name=f"kiosk-{name}", daemon=True)

    def start(self) -> Worker:
        self._thread.start()
        return self

    def submit(self, job: Job) -> None:
        self._jobs.put(job)

    def stop(self, timeout: float = 5.0) -> None:
        self._jobs.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        next_idle = time.monotonic() + self._idle_secs
        while True:
            try:
                job = self._jobs.get(timeout=max(0.0, next_idle - time.monotonic()))
            except queue.Empty:
                job, next_idle = self._idle, time.monotonic() + self._idle_secs
                if job is None:
                    continue
            if job is None:
                return
            self._run(job)

    def _run(self, job: Job) -> None:
        try:
            job()
        except Exception:  # a process loop: log the bug and keep serving the next visitor
            logger.exception("kiosk %s job failed", self.name)
