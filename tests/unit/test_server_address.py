"""Which address tickets carry and where a kiosk or TV on the same machine looks for the server, when the port
moves (ANTRE_PORT, `run --port`) and when public_url is set by hand behind a proxy; `--config` in either place."""

import copy
import tomllib

import pytest

import server.__main__ as entry
from display.settings import settings_from_dict
from kiosk.config import config_from_dict as kiosk_config
from server.config import config_from_dict
from support import ROOT

SAMPLE = tomllib.loads((ROOT / "config.toml").read_text())


def sample(**server: object) -> dict:
    raw = copy.deepcopy(SAMPLE)
    raw["server"].update(server)
    return raw


@pytest.fixture(autouse=True)
def no_port_override(monkeypatch):
    monkeypatch.delenv("ANTRE_PORT", raising=False)


def test_the_sample_public_url_follows_antre_port(monkeypatch):
    monkeypatch.setenv("ANTRE_PORT", "5078")
    settings = config_from_dict(sample()).server
    assert settings.port == 5078 and settings.public_url == "http://127.0.0.1:5078"
    assert not settings.public_url_fixed


def test_a_port_changed_in_the_file_moves_a_public_url_left_at_the_old_default():
    raw = sample(port=5078)  # public_url still says http://127.0.0.1:5000, as copied from the sample
    assert config_from_dict(raw).server.public_url == "http://127.0.0.1:5078"


def test_run_port_and_host_move_a_derived_public_url_but_never_a_configured_one(monkeypatch):
    derived = config_from_dict(sample()).server.at("127.0.0.1", 5079)
    assert derived.public_url == "http://127.0.0.1:5079" and derived.port == 5079
    monkeypatch.setenv("ANTRE_PORT", "5080")
    proxied = config_from_dict(sample(public_url="https://antre.mpp.example/")).server
    assert proxied.public_url_fixed and proxied.public_url == "https://antre.mpp.example"
    assert proxied.at("0.0.0.0", 5081).public_url == "https://antre.mpp.example"


def test_a_wildcard_host_never_ends_up_on_a_ticket():
    settings = config_from_dict(sample(host="0.0.0.0")).server
    assert settings.public_url.endswith(":5000") and "0.0.0.0" not in settings.public_url


def test_kiosk_and_display_on_the_server_machine_follow_the_servers_port(monkeypatch):
    raw = sample(port=5078)
    assert kiosk_config(raw).server == "http://127.0.0.1:5078"  # [kiosk] server left at the sample's :5000
    assert settings_from_dict(raw).server == "http://127.0.0.1:5078"
    for table in ("kiosk", "display"):
        del raw[table]["server"]
    monkeypatch.setenv("ANTRE_PORT", "5090")
    assert kiosk_config(raw).server == "http://127.0.0.1:5090"
    assert settings_from_dict(raw).server == "http://127.0.0.1:5090"


def test_a_kiosk_or_display_pointed_at_another_machine_keeps_that_address():
    raw = sample(port=5078)
    raw["kiosk"]["server"] = raw["display"]["server"] = "http://192.168.1.10:5000"
    assert kiosk_config(raw).server == "http://192.168.1.10:5000"
    assert settings_from_dict(raw).server == "http://192.168.1.10:5000"
    assert kiosk_config(raw, server="http://127.0.0.1:5000").server == "http://127.0.0.1:5000"  # --server wins


@pytest.mark.parametrize("argv", [
    ["run", "--config", "{path}"], ["--config", "{path}", "run", "--port", "5078"], ["--config={path}", "run"],
])
def test_the_async_mode_is_read_from_config_given_before_or_after_run(tmp_path, argv):
    path = tmp_path / "c.toml"
    path.write_text('[server]\nasync_mode = "gevent"\n')
    assert entry._async_mode([a.format(path=path) for a in argv]) == "gevent"


def test_admin_commands_need_no_green_runtime_wherever_config_stands(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[server]\nasync_mode = "gevent"\n')
    assert entry._async_mode(["--config", str(path), "user", "list"]) == "threading"
    assert entry._async_mode(["--config", str(path), "--config", str(path)]) == "threading"
