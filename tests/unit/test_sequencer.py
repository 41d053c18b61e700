"""The sequencer releases events in seq order, once, and skips only what the log proves missing (issue 16: 5)."""

from server.realtime.sequencer import Sequencer


def seqs(items):
    return [s for s, _ in items]


def test_a_later_event_waits_for_the_one_before_it():
    s = Sequencer(10)
    assert s.offer([(12, "b")], now=0.0) == []
    assert s.waiting == 1
    assert s.offer([(11, "a")], now=0.1) == [(11, "a"), (12, "b")]
    assert s.delivered == 12 and s.waiting == 0


def test_repeats_and_old_events_are_dropped():
    s = Sequencer(10)
    assert seqs(s.offer([(11, "a"), (11, "again"), (9, "old")], now=0.0)) == [11]
    assert s.offer([(11, "a")], now=0.1) == []
    assert s.offer([(13, "c"), (13, "c2")], now=0.2) == []
    assert s.offer([(12, "b")], now=0.3) == [(12, "b"), (13, "c")]


def test_a_gap_counts_as_stalled_only_after_the_window_and_from_the_last_progress():
    s = Sequencer(0)
    s.offer([(2, "b")], now=1.0)
    assert not s.stalled(1.2, window=0.25)
    assert s.stalled(1.25, window=0.25)
    s.offer([(1, "a"), (4, "d")], now=1.3)  # progress: 1 and 2 out, 4 waits for 3 from now on
    assert s.delivered == 2 and not s.stalled(1.5, window=0.25) and s.stalled(1.6, window=0.25)
    s.offer([(3, "c")], now=1.7)
    assert not s.stalled(9.0, window=0.25)


def test_fill_from_the_log_merges_with_what_waits_and_skips_what_the_log_lacks():
    s = Sequencer(10)
    s.offer([(14, "own")], now=0.0)
    # The log has 11 and 13 (12 was pruned), the site's seq was 14 when it was read.
    out = s.fill([(11, "a"), (13, "c"), (14, "own-from-log")], upto=14, now=1.0)
    assert out == [(11, "a"), (13, "c"), (14, "own")]
    assert s.delivered == 14 and s.waiting == 0


def test_fill_never_skips_past_the_seq_read_before_the_log():
    s = Sequencer(10)
    s.offer([(13, "own")], now=0.0)
    # Read seq 11 first, then the log (11): 12 may still be on its way, so 13 keeps waiting for it.
    assert s.fill([(11, "a")], upto=11, now=1.0) == [(11, "a")]
    assert s.delivered == 11 and s.waiting == 1
    assert s.offer([(12, "b")], now=1.1) == [(12, "b"), (13, "own")]


def test_a_busy_site_always_a_batch_behind_is_not_taken_for_a_lost_event():
    s = Sequencer(0)
    site = 0
    for tick in range(20):  # polled every 0.5 s; each poll finds the next batch committed, the last one delivered
        now = tick * 0.5
        s.offer([(seq, "m") for seq in range(s.delivered + 1, site + 1)], now)
        site += 8
        assert not s.behind(site, now, window=1.0)


def test_an_event_still_missing_a_window_after_it_was_seen_is_read_from_the_log():
    s = Sequencer(10)
    assert not s.behind(12, 0.0, window=1.0)
    s.offer([(11, "m")], 0.2)
    assert not s.behind(14, 0.5, window=1.0)  # 12 still missing, seen 0.5 s ago
    assert s.behind(14, 1.0, window=1.0)
    assert not s.behind(14, 1.1, window=1.0)  # asked once; the next wait starts again
    s.offer([(12, "m"), (13, "m"), (14, "m")], 1.2)
    assert not s.behind(14, 5.0, window=1.0)


def test_a_hole_in_the_log_is_waited_for_before_it_is_skipped():
    s = Sequencer(10)
    # 11 is committed but its row not yet written (PostgreSQL logs just after the commit); 12 is logged
    assert s.fill([(12, "b")], upto=12, now=0.0, settle=1.0) == []
    assert s.fill([], upto=13, now=0.5, settle=1.0) == []  # still young
    assert seqs(s.fill([(11, "a"), (13, "c")], upto=13, now=0.6, settle=1.0)) == [11, 12, 13]  # it came


def test_a_hole_still_there_after_the_settle_time_is_skipped():
    s = Sequencer(10)
    assert s.fill([(12, "b")], upto=14, now=0.0, settle=1.0) == []
    assert seqs(s.fill([(14, "d")], upto=15, now=1.0, settle=1.0)) == [12, 14]  # 11 and 13 never came
    assert s.delivered == 14  # 15 is a new hole, seen just now
    assert seqs(s.fill([], upto=15, now=2.0, settle=1.0)) == [] and s.delivered == 15
