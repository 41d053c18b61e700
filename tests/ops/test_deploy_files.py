"""The files docs/deploy.md installs (deploy/) are sound: the systemd units pass `systemd-analyze verify`, the nginx
site passes `nginx -t` (Debian 12's 1.22 where installed), the udev rule and the autostart entries are well-formed,
every command they start is a command of this project, and the guide copies each of them (no hand-copied twins)."""

from __future__ import annotations

import configparser
import re
import shlex
import subprocess
import sys
from pathlib import Path

from support import ROOT, require_tools

DEPLOY = ROOT / "deploy"
GUIDE = ROOT / "docs" / "deploy.md"
VENV_PYTHON = "/opt/antre/.venv/bin/python"
UNITS = sorted((DEPLOY / "systemd").rglob("*.service")) + sorted((DEPLOY / "systemd").rglob("*.timer"))


def _exec_lines(unit: Path) -> list[str]:
    return [line.split("=", 1)[1] for line in unit.read_text().splitlines() if line.startswith("ExecStart=")
            and line != "ExecStart="]


def _project_argv(command: str) -> list[str]:
    """The `python -m …` argv an ExecStart line runs (also inside `/bin/sh -c '…'`)."""
    argv = shlex.split(command)
    if argv[:2] == ["/bin/sh", "-c"]:
        argv = shlex.split(argv[2].replace("%%", "%"))
        argv = argv[1:] if argv[0] == "exec" else argv
    assert argv[0] == VENV_PYTHON and argv[1] == "-m", command
    return argv[2:]


def _help(module: str) -> str:
    return subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True, cwd=ROOT,
                          timeout=60).stdout


def test_the_guide_installs_every_shipped_file_and_no_other():
    guide = GUIDE.read_text(encoding="utf-8")
    shipped = {str(p.relative_to(ROOT)) for p in DEPLOY.rglob("*") if p.is_file()}
    named = set(re.findall(r"\bdeploy/[\w./@-]+[\w@]", guide))
    assert shipped <= named, f"not installed by the guide: {sorted(shipped - named)}"
    assert {n for n in named if not (ROOT / n).exists()} == set(), "the guide names files deploy/ does not have"
    # One source for each file: the guide no longer carries copies of them.
    assert "# file: /etc/" not in guide and "ExecStart=" not in guide


def test_every_unit_starts_a_command_of_this_project_with_the_site_config():
    helps = {module: _help(module) for module in ("server", "kiosk", "display")}
    subcommands = re.search(r"\{([\w,-]+)\}", helps["server"])
    assert subcommands, helps["server"]
    started = []
    for unit in UNITS:
        for line in _exec_lines(unit):
            module, *args = _project_argv(line)
            assert "--config" in helps[module] and args[:2] == ["--config", "/etc/antre/config.toml"], line
            if module == "server":
                assert args[2] in subcommands.group(1).split(","), line
            started.append(module)
    assert sorted(set(started)) == ["display", "kiosk", "server"]


def test_the_admin_wrapper_runs_the_server_cli_as_antre_with_the_key():
    wrapper = DEPLOY / "bin" / "antre"
    assert wrapper.stat().st_mode & 0o111, "not executable"
    assert subprocess.run(["sh", "-n", str(wrapper)], timeout=10).returncode == 0
    text = wrapper.read_text()
    assert ". /etc/antre/antre.env" in text
    assert f"runuser -u antre -- {VENV_PYTHON} -m server --config /etc/antre/config.toml \"$@\"" in text


def test_units_restart_for_ever_and_the_server_writes_only_its_folders():
    server = (DEPLOY / "systemd" / "antre@.service").read_text()
    for needed in ("Restart=always", "StartLimitIntervalSec=0", "User=antre", "ProtectSystem=strict",
                   "ReadWritePaths=/var/lib/antre /var/backups/antre", "EnvironmentFile=/etc/antre/antre.env",
                   "Environment=ANTRE_PORT=%i"):
        assert needed in server
    for screen in ("kiosk", "display"):
        unit = (DEPLOY / "systemd" / "user" / f"antre-{screen}.service").read_text()
        assert "Restart=always" in unit and "StartLimitIntervalSec=0" in unit
        assert "WantedBy=graphical-session.target" in unit and "REQUESTS_CA_BUNDLE=" in unit


def test_each_autostart_entry_starts_its_user_unit():
    for entry in sorted((DEPLOY / "autostart").glob("*.desktop")):
        desktop = configparser.ConfigParser(interpolation=None)
        desktop.read(entry)
        command = desktop["Desktop Entry"]["Exec"]
        assert desktop["Desktop Entry"]["Type"] == "Application"
        unit = entry.stem + ".service"
        assert (DEPLOY / "systemd" / "user" / unit).exists()
        assert f"systemctl --user start {unit}" in command and "import-environment DISPLAY WAYLAND_DISPLAY" in command


def test_the_udev_rule_gives_usb_printers_to_the_lp_group():
    lines = [ln for ln in (DEPLOY / "udev" / "60-antre-printer.rules").read_text().splitlines()
             if ln and not ln.startswith("#")]
    assert lines
    for line in lines:
        assert re.fullmatch(r'SUBSYSTEM=="usb", ATTRS\{idVendor\}=="[0-9a-f]{4}", ATTRS\{idProduct\}=="[0-9a-f]{4}", '
                            r'MODE="0660", GROUP="lp"', line), line


def test_every_unit_passes_systemd_analyze_verify(tmp_path: Path):
    require_tools("systemd-analyze")
    env = tmp_path / "antre.env"
    env.write_text("ANTRE_SECRET_KEY=x\n")
    checked = []
    for unit in UNITS:
        # The guide's paths, made real here: the venv's python and the key file the units read.
        body = unit.read_text().replace(VENV_PYTHON, sys.executable).replace("/etc/antre/antre.env", str(env))
        (tmp_path / unit.name).write_text(body)
        checked.append(tmp_path / unit.name)
    (tmp_path / "antre@5001.service").symlink_to(tmp_path / "antre@.service")
    checked = [c if c.name != "antre@.service" else tmp_path / "antre@5001.service" for c in checked]
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *map(str, checked)], capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0 and "antre" not in done.stderr, done.stderr
    broken = tmp_path / "broken.service"  # the check itself can fail
    broken.write_text("[Service]\nExecStart=relative/python\n")
    assert subprocess.run(["systemd-analyze", "verify", "--man=no", str(broken)], capture_output=True,
                          timeout=60).returncode != 0


def _nginx_test(tmp_path: Path, site: str) -> subprocess.CompletedProcess[str]:
    cert, key = tmp_path / "antre.crt", tmp_path / "antre.key"
    if not cert.exists():
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=antre.mpp.local", "-keyout", str(key), "-out", str(cert)], check=True,
                       capture_output=True, timeout=60)
    site = site.replace("/etc/ssl/antre/antre.mpp.local.crt", str(cert))
    site = site.replace("/etc/ssl/antre/antre.mpp.local.key", str(key))
    (tmp_path / "antre").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {tmp_path}/antre;\n}}\n")
    return subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                          capture_output=True, text=True, timeout=60)


def test_the_nginx_site_passes_nginx_t(tmp_path: Path):
    require_tools("nginx", "openssl")
    site = (DEPLOY / "nginx" / "antre.conf").read_text()
    assert "proxy_set_header Upgrade $http_upgrade;" in site and "proxy_set_header Connection $connection_upgrade;" in site
    done = _nginx_test(tmp_path, site)
    assert done.returncode == 0, done.stderr
    wrong = _nginx_test(tmp_path, site.replace("proxy_buffering off;", "proxy_buffering nope;"))
    assert wrong.returncode != 0  # the check itself can fail
