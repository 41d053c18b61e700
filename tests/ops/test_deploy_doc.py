"""docs/deploy.md is a guide one can follow: every systemd unit in it passes `systemd-analyze verify`, the udev rule
and the nginx site are well-formed, and the commands it names exist in the command line."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT

DOC = ROOT / "docs" / "deploy.md"
BLOCK = re.compile(r"```(\w*)\n# file: (\S+)\n(.*?)```", re.S)


def _files() -> dict[str, tuple[str, str]]:
    return {path: (lang, body) for lang, path, body in BLOCK.findall(DOC.read_text(encoding="utf-8"))}


def test_the_guide_carries_the_units_the_rule_and_the_proxy():
    names = set(_files())
    assert {"/etc/systemd/system/antre@.service", "/etc/systemd/system/antre-backup.service",
            "/etc/systemd/system/antre-backup.timer", "/home/kiosk/.config/systemd/user/antre-kiosk.service",
            "/etc/udev/rules.d/60-antre-printer.rules", "/etc/nginx/sites-available/antre"} <= names
    nginx = _files()["/etc/nginx/sites-available/antre"][1]
    assert nginx.count("{") == nginx.count("}") and "proxy_set_header Upgrade $http_upgrade;" in nginx
    for line in _files()["/etc/udev/rules.d/60-antre-printer.rules"][1].splitlines():
        assert line.startswith("#") or re.fullmatch(r'SUBSYSTEM=="usb", ATTRS\{idVendor\}=="[0-9a-f]{4}", '
                                                    r'ATTRS\{idProduct\}=="[0-9a-f]{4}", MODE="0660", GROUP="lp"', line)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_every_systemd_unit_in_the_guide_verifies(tmp_path: Path):
    units = {Path(p).name: body for p, (_, body) in _files().items() if "/systemd/" in p}
    for name, body in units.items():
        # The guide's paths, made real here: the venv's python, and files the units read.
        body = body.replace("/opt/antre/.venv/bin/python", sys.executable)
        body = body.replace("/etc/antre/antre.env", str(tmp_path / "antre.env"))
        (tmp_path / name).write_text(body)
    (tmp_path / "antre.env").write_text("ANTRE_SECRET_KEY=x\n")
    (tmp_path / "antre@5000.service").symlink_to(tmp_path / "antre@.service")
    checked = [str(tmp_path / n) for n in ("antre@5000.service", "antre-backup.service", "antre-backup.timer",
                                           "antre-kiosk.service")]
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *checked], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert done.returncode == 0 and "antre" not in done.stderr, done.stderr
    broken = tmp_path / "broken.service"  # the check itself can fail
    broken.write_text("[Service]\nExecStart=relative/python\n")
    assert subprocess.run(["systemd-analyze", "verify", "--man=no", str(broken)], capture_output=True,
                          timeout=60).returncode != 0


def test_the_commands_the_guide_names_exist():
    text = DOC.read_text(encoding="utf-8")
    for command in ("backup --out", "restore", "device list", "user list"):
        assert command in text
    helped = subprocess.run([sys.executable, "-m", "server", "--help"], capture_output=True, text=True, cwd=ROOT,
                            timeout=60).stdout
    for command in ("backup", "restore", "retention", "device", "user", "run"):
        assert command in helped
