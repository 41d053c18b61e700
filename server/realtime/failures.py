"""How a background loop (site watch, session sweep, device alerts, relay) reports failures: the traceback the first
time, then one line per failure until it works again. A database that is gone would otherwise write a traceback
every second — and formatting one runs `ast.parse` (Python 3.11's caret anchors), which is not safe while another
thread parses too."""

from __future__ import annotations

import logging


class LoopFailures:
    def __init__(self, log: logging.Logger, what: str) -> None:
        self.log, self.what, self.failing = log, what, False

    def failed(self, exc: BaseException) -> None:
        """Call from the loop's `except` block."""
        if self.failing:
            self.log.error("%s again: %s", self.what, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        else:
            self.failing = True
            self.log.exception(self.what)

    def worked(self) -> None:
        self.failing = False
