"""The board's reducer, tested with node's own runner (the same file the page loads)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from support import ROOT


def test_the_board_reducer_passes_its_node_tests() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    done = subprocess.run([node, "--test", str(ROOT / "tests" / "board" / "state.test.mjs")], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout and "# pass 8" in done.stdout
