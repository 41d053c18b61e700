"""The command line's account administration: user add|list|disable|enable|passwd and device add|list|revoke,
with one-line errors; `user passwd admin` resets the first admin."""

import pytest

from support import Api, ServerProcess, site_config


@pytest.fixture
def offline(tmp_path):
    return ServerProcess(tmp_path, site_config())  # not started: the CLI works on the database directly


def one_line_error(done, code: int = 1) -> str:
    assert done.returncode == code, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("antre: error: ") and "Traceback" not in done.stderr
    return lines[0]


def test_user_add_takes_roles_agencies_and_counters_and_user_list_shows_them(offline):
    added = offline.cli("user", "add", "kepala", "--role", "supervisor", "--agency", "DUKCAPIL", "--agency", "DINSOS",
                        stdin="rahasia-123\n")
    assert added.returncode == 0, added.stderr
    offline.add_clerk("siti", "L04", "L05")
    listed = offline.cli("user", "list")
    assert listed.returncode == 0
    rows = {line.split()[0]: line.split() for line in listed.stdout.strip().splitlines()[1:]}
    assert rows["kepala"][1:5] == ["supervisor", "aktif", "-", "DINSOS,DUKCAPIL"]
    assert rows["siti"][1:4] == ["clerk", "aktif", "L04,L05"]


@pytest.mark.parametrize("args, expected", [
    (("user", "add", "kepala", "--role", "supervisor"), "instansi"),
    (("user", "add", "kepala", "--role", "supervisor", "--agency", "NOPE"), "NOPE"),
    (("user", "add", "siti", "--role", "clerk", "--agency", "DUKCAPIL"), "supervisor"),
    (("user", "disable", "nobody"), "nobody"),
    (("user", "passwd", "nobody"), "nobody"),
    (("device", "add", "tab-1", "--kind", "survey", "--counter", "L99"), "L99"),
    (("device", "revoke", "nope"), "nope"),
])
def test_bad_account_input_ends_with_one_line(offline, args, expected):
    assert expected in one_line_error(offline.cli(*args, stdin="rahasia-123\n"))


def test_an_unknown_role_or_kind_is_a_usage_error(offline):
    for args in (("user", "add", "x1", "--role", "boss"), ("device", "add", "x1", "--kind", "radio")):
        done = offline.cli(*args, stdin="rahasia-123\n")
        assert done.returncode == 2 and "invalid choice" in done.stderr and "Traceback" not in done.stderr


def test_disable_passwd_and_revoke_take_effect_on_the_running_server(offline):
    server = offline.start()  # the first start creates `admin`; the CLI then works beside the running server
    try:
        offline.add_clerk("siti", "L04")
        kiosk = offline.add_device("kiosk-1")
        clerk = Api(server.url).login("siti", "rahasia-123")
        assert offline.cli("user", "disable", "siti").returncode == 0
        assert clerk.get("/auth/me").status_code == 401
        assert offline.cli("user", "enable", "siti").returncode == 0
        assert offline.cli("user", "passwd", "siti", stdin="sandi-baru-99\n").returncode == 0
        Api(server.url).login("siti", "sandi-baru-99")
        assert Api(server.url, kiosk).get("/auth/me").status_code == 200
        assert offline.cli("device", "revoke", "kiosk-1").returncode == 0
        assert Api(server.url, kiosk).get("/auth/me").status_code == 401
        listed = offline.cli("device", "list").stdout.splitlines()
        assert listed[0].split()[:2] == ["NAMA", "JENIS"] and listed[1].split()[:4] == ["kiosk-1", "kiosk", "-",
                                                                                      "dicabut"]
        admin = offline.cli("user", "passwd", "admin", stdin="admin-baru-99\n")
        assert admin.returncode == 0, admin.stderr
        assert Api(server.url).login("admin", "admin-baru-99").get("/users").status_code == 200
    finally:
        server.stop()


def test_the_last_admin_cannot_be_disabled_from_the_command_line(offline):
    server = offline.start()  # the first start creates `admin`
    server.stop()
    assert "minimal satu admin" in one_line_error(offline.cli("user", "disable", "admin"))
    short = offline.cli("user", "passwd", "admin", stdin="pendek\n")
    assert "minimal" in one_line_error(short)
