"""The command line: one-line errors with a non-zero exit for bad configs and input, accounts and devices."""

import subprocess
import sys

import pytest
import tomli_w

from support import ServerProcess, site_config


def run(*args: str, stdin: str = "", cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server", *args], input=stdin, capture_output=True, text=True,
                          timeout=60, cwd=cwd)


@pytest.mark.parametrize("mutate, expected", [
    (lambda r: r["counter"][0]["services"].append("NOPE"), "unknown service 'NOPE'"),
    (lambda r: r["counter"].append(dict(r["counter"][0])), "duplicate code 'L01'"),
    (lambda r: r["site"].update(timezone="WITA"), "unknown timezone"),
    (lambda r: r["service"][0].update(open="8 pagi"), "bad time '8 pagi'"),
])
def test_a_bad_config_stops_the_server_with_one_line(tmp_path, mutate, expected):
    raw = site_config()
    mutate(raw)
    path = tmp_path / "config.toml"
    path.write_text(tomli_w.dumps(raw))
    done = run("run", "--config", str(path), "--port", "1")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "Traceback" not in done.stderr


def test_a_missing_config_is_one_line(tmp_path):
    done = run("user", "add", "siti", "--role", "clerk", "--config", str(tmp_path / "nope.toml"), stdin="x\n")
    assert done.returncode == 2 and "file not found" in done.stderr and len(done.stderr.strip().splitlines()) == 1


@pytest.fixture
def offline(tmp_path):
    return ServerProcess(tmp_path, site_config())  # not started: the CLI works on the database directly


def test_user_add_reads_the_password_from_stdin_and_refuses_bad_input(offline):
    ok = offline.cli("user", "add", "siti", "--role", "clerk", "--counter", "L04", stdin="rahasia-123\n")
    assert ok.returncode == 0 and "siti" in ok.stdout
    again = offline.cli("user", "add", "siti", "--role", "clerk", stdin="rahasia-123\n")
    assert again.returncode == 1 and "sudah ada" in again.stderr
    short = offline.cli("user", "add", "budi", "--role", "clerk", stdin="123\n")
    assert short.returncode == 1 and "minimal" in short.stderr
    counter = offline.cli("user", "add", "rina", "--role", "clerk", "--counter", "L99", stdin="rahasia-123\n")
    assert counter.returncode == 1 and "L99" in counter.stderr
    for done in (again, short, counter):
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_device_add_prints_the_token_once_and_it_works(offline):
    done = offline.cli("device", "add", "kiosk-lobi", "--kind", "kiosk")
    token = done.stdout.strip()
    assert done.returncode == 0 and len(token) >= 40
    server = offline.start()
    try:
        import requests

        r = requests.post(f"{server.url}/api/v1/tickets", json={"service": "KTP"},
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert r.status_code == 201
    finally:
        server.stop()
    dup = offline.cli("device", "add", "kiosk-lobi", "--kind", "kiosk")
    assert dup.returncode == 1 and "sudah ada" in dup.stderr


def test_config_may_stand_before_the_subcommand_for_every_command(offline):
    config = str(offline.config_path)
    added = run("--config", config, "user", "add", "siti", "--role", "clerk", stdin="rahasia-123\n")
    assert added.returncode == 0, added.stderr
    listed = run("--config", config, "user", "list")
    assert listed.returncode == 0 and "siti" in listed.stdout
    assert run("--config", config, "device", "add", "tv-1", "--kind", "display").returncode == 0
    assert "tv-1" in run("--config", config, "device", "list").stdout
    exported = run("--config", config, "site", "export")
    assert exported.returncode == 0 and "[[service]]" in exported.stdout
    missing = run("--config", config + ".nope", "user", "list")
    assert missing.returncode == 2 and "file not found" in missing.stderr  # the --config given was the one read


def test_run_port_moves_the_public_url_on_tickets_and_says_so_in_one_line(offline, tmp_path):
    import requests

    from support import free_port

    token = offline.add_device("kiosk-lobi")
    offline.port = free_port()  # not the port in the file: only --port knows it
    offline.url = f"http://127.0.0.1:{offline.port}"
    log = offline.log_path.open("ab")
    offline.proc = subprocess.Popen([sys.executable, "-m", "server", "--config", str(offline.config_path), "run",
                                     "--port", str(offline.port)], cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        offline.wait_ready()
        r = requests.post(f"{offline.url}/api/v1/tickets", json={"service": "KTP"},
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert r.status_code == 201 and r.json()["status_url"].startswith(f"{offline.url}/t/")
    finally:
        offline.stop()
    said = [line for line in offline.log().splitlines() if "alamat publik" in line]
    assert len(said) == 1 and offline.url in said[0]
