"""A background loop's failures: the traceback once, then one line each until it works again."""

import logging

from server.realtime.failures import LoopFailures


def test_a_failing_loop_logs_one_traceback_then_single_lines(caplog):
    log = logging.getLogger("test.loop")
    failures = LoopFailures(log, "watch failed")
    with caplog.at_level(logging.ERROR, logger="test.loop"):
        for attempt in range(3):
            try:
                raise RuntimeError(f'database "x" does not exist ({attempt})\nmore detail')
            except RuntimeError as exc:
                failures.failed(exc)
        failures.worked()
        try:
            raise RuntimeError("again")
        except RuntimeError as exc:
            failures.failed(exc)
    with_traceback = [r for r in caplog.records if r.exc_info]
    assert len(caplog.records) == 4
    assert [r.getMessage() for r in with_traceback] == ["watch failed", "watch failed"]  # first, and after recovery
    assert caplog.records[1].getMessage() == 'watch failed again: database "x" does not exist (1)'
