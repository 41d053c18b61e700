"""The pictures in docs/screenshots stay honest: each is named by a screenshot test (`make screenshots` runs them
all, marked `screenshots`), the tests draw the sample site, and after `make screenshots` none is left over from an
earlier run (ANTRE_SCREENSHOTS_SINCE, set by the Makefile)."""

from __future__ import annotations

import ast
import os
import re
import tomllib
from pathlib import Path

import pytest
from browser_kit import DOCS_SHOTS
from site_day import SHOT_TIME, sample_config

from support import ROOT

TESTS = ROOT / "tests"
WRITES_SHOTS = re.compile(r"(?<![A-Za-z])shot\(|DOCS_SHOTS|UPDATE_SHOTS")  # shot(, save_shot(, not snapshot(
HELPERS = {"browser_kit.py", "console_kit.py", "counter_kit.py"}  # they save; the tests calling them are marked
# Names the tests build from a screen name: a kit's prefix, then orientation, size and language suffixes.
PREFIXES = ("admin-", "counter-", "kiosk-", "display-")
SUFFIXES = re.compile(r"(-(portrait|landscape))?(-\d+x\d+)?(-en)?$")
SAMPLE_SCREENS = ROOT / "display" / "samples.py"  # the TV's screen names (empty, busy, …) live with the samples


def screenshot_modules() -> list[Path]:
    return [p for p in sorted(TESTS.rglob("*.py")) if p.name not in HELPERS and WRITES_SHOTS.search(p.read_text())]


def test_every_test_module_that_saves_screenshots_is_marked_so_make_screenshots_runs_it() -> None:
    modules = screenshot_modules()
    assert len(modules) >= 10
    unmarked = [str(p.relative_to(ROOT)) for p in modules if "pytest.mark.screenshots" not in p.read_text()]
    assert unmarked == []


def names_for(stem: str) -> set[str]:
    """The strings a test may spell to produce `<stem>.png`."""
    names = {stem, f"{stem}.png"}
    for prefix in PREFIXES:
        if stem.startswith(prefix):
            names.add(SUFFIXES.sub("", stem[len(prefix):]))
    return names


def test_every_picture_in_the_docs_is_named_by_a_screenshot_test() -> None:
    quoted = {node.value for path in [*screenshot_modules(), SAMPLE_SCREENS]
              for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Constant)}
    pictures = sorted(DOCS_SHOTS.glob("*.png"))
    assert pictures, "docs/screenshots is empty"
    orphans = [p.name for p in pictures if not names_for(p.stem) & quoted]
    assert orphans == [], "no test makes these any more: remove them or add the test"


def test_the_screenshot_site_is_the_sample_config_with_only_invisible_test_settings() -> None:
    shipped = tomllib.loads((ROOT / "config.toml").read_text())
    used = sample_config()
    for raw in (shipped, used):
        raw["server"].pop("secret_key", None), raw["server"].pop("login_rate_limit", None)
        raw["booking"].pop("rate_limit", None)
    assert used == shipped


def test_the_screenshot_day_is_an_open_weekday_of_the_sample_site_inside_opening_hours() -> None:
    shipped = tomllib.loads((ROOT / "config.toml").read_text())
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[SHOT_TIME.weekday()]
    assert SHOT_TIME.date().isoformat() not in {h["date"] for h in shipped["holiday"]}
    hhmm = SHOT_TIME.strftime("%H:%M")
    closed = [s["code"] for s in shipped["service"] if weekday not in s["days"]
              or not s["open"] <= hhmm < s["close"]]
    assert closed == []
    assert not any(weekday in b["days"] and b["start"] <= hhmm < b["end"] for b in shipped.get("break", []))


def test_after_make_screenshots_no_picture_is_left_from_an_earlier_run() -> None:
    since = os.environ.get("ANTRE_SCREENSHOTS_SINCE")
    if not since:
        pytest.skip("only after `make screenshots` (it sets ANTRE_SCREENSHOTS_SINCE)")
    stale = [p.name for p in sorted(DOCS_SHOTS.glob("*.png")) if p.stat().st_mtime < float(since)]
    assert stale == [], "written by no screenshot test in this run: stale or orphaned"
