"""An issue appends the new ticket to the group's kept projection (`projection.Replay.extend`) instead of replaying
every waiting ticket: for random groups of lines (lokets shared between services, hours windows with breaks, late
openings and early closings, lokets busy or idle, recent service times or none) the appended tickets' standings, and
everyone else's, are exactly those of a full replay with the same start."""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.projection import OpenCounter, Projected, Replay, project

T0 = datetime(2026, 12, 2, 9, 0)
SERVICES = ("KTP", "KK", "AKTA", "PASPOR")


@st.composite
def groups(draw):
    n_services = draw(st.integers(1, 4))
    services = SERVICES[:n_services]
    lokets = []
    for k in range(draw(st.integers(1, 5))):
        mine = tuple(s for s in services if draw(st.booleans())) or (draw(st.sampled_from(services)),)
        windows: tuple = ()
        if draw(st.booleans()):  # scheduled: one or two windows, maybe starting later, maybe a break
            a = draw(st.sampled_from([0.0, -600.0, 300.0, 1800.0]))
            b = a + 300 * draw(st.integers(1, 12))
            windows = ((a, float(b)),)
            if draw(st.booleans()):
                c = b + 300 * draw(st.integers(0, 6))
                windows += ((float(c), float(c + 300 * draw(st.integers(1, 12)))),)
        # moments on a 300 s grid often tie: ties between lokets go to the first given, in both ways of placing
        since = draw(st.one_of(st.none(), st.sampled_from([0.0, 300.0, 600.0]), st.floats(0, 1200)))
        lokets.append(OpenCounter(f"L{k}", mine, 0, since, windows))
    seconds = {s: draw(st.sampled_from([0.0, 300.0, 600.0, 900.0, 450.0, 137.0])) for s in services}
    samples = {s: [float(x) for x in draw(st.lists(st.integers(30, 1500), max_size=6))] for s in services}
    minutes = draw(st.lists(st.tuples(st.sampled_from(services), st.integers(-60, 30)), max_size=40))
    lines: dict[str, list] = {s: [] for s in services}
    for n, (s, minute) in enumerate(minutes):
        lines[s].append((T0 + timedelta(minutes=minute), f"N{n:04d}", False))
    for line in lines.values():
        line.sort()
    # the new tickets: each later than (or as late as, with a larger number) every ticket before it
    gaps = draw(st.lists(st.tuples(st.sampled_from(services), st.sampled_from([0, 0, 60, 300, 1200])), min_size=1, max_size=10))
    return lines, lokets, seconds, samples if draw(st.booleans()) else None, gaps


def appends_equal_full_replays(group, number: Callable[[int], str]) -> None:
    """Each new ticket of `group` appended to the kept replay in turn leaves it equal to a full replay."""
    lines, lokets, seconds, samples, gaps = group
    as_of = T0
    kept = Replay(lines, lokets, seconds, 2, samples, as_of)
    latest = max([e[0] for line in lines.values() for e in line] + [as_of])
    grown = {s: list(line) for s, line in lines.items()}
    for n, (s, gap) in enumerate(gaps):
        latest += timedelta(seconds=gap)
        grown[s].append((latest, number(n), False))
        full = project(grown, lokets, seconds, 2, samples, as_of)
        new = kept.extend(grown, lokets, seconds, 2, samples, as_of)
        if new is None:  # only when no loket will call the new ticket today: then it is replayed, as before
            assert full[number(n)].eta_seconds is None
            kept = Replay(grown, lokets, seconds, 2, samples, as_of)
            continue
        assert new == {s: [number(n)]}
        assert kept.projected == full


@settings(max_examples=600, deadline=None)
@given(groups())
def test_appending_regular_tickets_gives_what_a_full_replay_gives(group):
    appends_equal_full_replays(group, lambda n: f"N{1000 + n:04d}")


def test_an_issue_moves_nobody_else_and_is_placed_behind_the_loket_that_runs_out_first():
    # L1 serves KTP and KK, L2 only KK; the KK line runs out at L2 first (L1 still has KTP tickets).
    lines = {"KTP": [(T0, "A1", False), (T0 + timedelta(minutes=1), "A2", False)],
             "KK": [(T0 + timedelta(minutes=2), "B1", False)]}
    lokets = [OpenCounter("L1", ("KTP", "KK"), since_call=0), OpenCounter("L2", ("KK",), since_call=0)]
    seconds = {"KTP": 600.0, "KK": 300.0}
    kept = Replay(lines, lokets, seconds, 2, None, T0)
    # both just called: L1 is busy for a typical visit of its services (450 s), calls A1 then and A2 at 1050 s
    # (990 s after A2's arrival); L2 calls B1 at 300 s (180 s after it came) and is free from 600 s on
    assert kept.projected == {"A1": Projected(0, 450), "A2": Projected(1, 990), "B1": Projected(0, 180)}
    issued = T0 + timedelta(minutes=5)
    grown = {"KTP": lines["KTP"], "KK": [*lines["KK"], (issued, "B2", False)]}
    assert kept.extend(grown, lokets, seconds, 2, None, T0) == {"KK": ["B2"]}
    # L2 calls B2 at 600 s from the start, 300 s after its issue; ahead: B1, and A1 called by L1 at 450
    assert kept.projected["B2"] == Projected(2, 300)
    assert kept.projected == project(grown, lokets, seconds, 2, None, T0)


def test_anything_but_an_append_is_replayed():
    lines = {"KTP": [(T0, "A1", False), (T0 + timedelta(minutes=1), "A2", False)]}
    lokets = [OpenCounter("L1", ("KTP",), since_call=0)]
    kept = Replay(lines, lokets, {"KTP": 600.0}, 2, None, T0)
    later = T0 + timedelta(minutes=3)
    assert kept.extend({"KTP": lines["KTP"][1:]}, lokets, {"KTP": 600.0}, 2, None, T0) is None  # a call
    assert kept.extend({"KTP": [*lines["KTP"], (later, "P1", True)]}, lokets, {"KTP": 600.0}, 2, None,
                       T0) is None  # a priority ticket: the burst rule may call it before others
    assert kept.extend(lines, [OpenCounter("L1", ("KTP",), since_call=60)], {"KTP": 600.0}, 2, None,
                       T0) is None  # the loket changed
    assert kept.extend(lines, lokets, {"KTP": 660.0}, 2, None, T0) is None  # a new typical service time
    assert kept.extend(lines, lokets, {"KTP": 600.0}, 2, None, later) is None  # another start
    assert kept.extend(lines, lokets, {"KTP": 600.0}, 2, None, T0) == {}  # nothing changed


@st.composite
def groups_with_priority_to_come(draw):
    """The groups above with each service's numbers gap-free per day (its own prefix), less the priority tickets
    called already — gaps, from which the replay expects more (domain/foresight) — and lokets that called some
    priority tickets in a row just before."""
    lines, lokets, seconds, samples, gaps = draw(groups())
    renumbered = {}
    for k, (s, line) in enumerate(lines.items()):
        n, out = 0, []
        for queued_at, _, _ in line:
            n += 1 + draw(st.sampled_from([0, 0, 0, 1, 2]))
            out.append((queued_at, f"{'ABCD'[k]}{n:03d}", False))
        renumbered[s] = out
    lokets = [replace(c, priority_streak=draw(st.integers(0, 2))) for c in lokets]
    return renumbered, lokets, seconds, samples, gaps


@settings(max_examples=600, deadline=None)
@given(groups_with_priority_to_come())
def test_appending_with_priority_tickets_to_come_gives_what_a_full_replay_gives(group):
    appends_equal_full_replays(group, lambda n: f"Z{900 + n:03d}")


def test_the_append_follows_the_priority_tickets_to_come_of_every_loket_serving_the_line():
    # KTP's numbers leave gaps (priority tickets called already): each loket expects more. L1 and L2 serve it.
    lines = {"KTP": [(T0 - timedelta(minutes=30 - 3 * k), f"A{n:03d}", False)
                     for k, n in enumerate([1, 2, 4, 5, 7, 8, 10])]}
    lokets = [OpenCounter("L1", ("KTP",), since_call=0), OpenCounter("L2", ("KTP",), since_call=100)]
    seconds = {"KTP": 300.0}
    kept = Replay(lines, lokets, seconds, 2, None, T0)
    assert kept.coming[0] < float("inf") and kept.coming[1] < float("inf")  # both expect priority tickets
    grown = {"KTP": list(lines["KTP"])}
    for n in range(6):  # a run of issues: each placed by the kept replay, each as a full replay places it
        grown["KTP"].append((T0 + timedelta(minutes=n), f"A{20 + n:03d}", False))
        assert kept.extend(grown, lokets, seconds, 2, None, T0) == {"KTP": [f"A{20 + n:03d}"]}
        assert kept.projected == project(grown, lokets, seconds, 2, None, T0)
    # and the expected ones moved the new tickets' calls, not who is called before them
    without = Replay({"KTP": [(e[0], f"A{k + 1:03d}", False) for k, e in enumerate(grown["KTP"])]}, lokets,
                     seconds, 2, None, T0).projected
    assert [p[0] for p in kept.projected.values()] == [p[0] for p in without.values()]
    assert kept.projected["A025"][1] > without["A013"][1]
