"""config.toml validation: the sample site loads; every mistake is one line naming the key."""

import copy
import tomllib

import pytest
import tomli_w

from server.config import ConfigError, config_from_dict, load_config
from support import ROOT

SAMPLE = tomllib.loads((ROOT / "config.toml").read_text())


def test_the_sample_samarinda_site_loads_with_enough_agencies_services_and_counters():
    config = load_config(ROOT / "config.toml")
    site = config.site
    assert str(site.timezone) == "Asia/Makassar"
    assert len(site.agencies) >= 6 and len(site.services) >= 12 and len(site.counters) >= 12
    assert any(len(c.services) > 1 for c in site.counters.values())
    assert config.server.async_mode == "eventlet"


def broken(mutate) -> str:
    raw = copy.deepcopy(SAMPLE)
    mutate(raw)
    with pytest.raises(ConfigError) as err:
        config_from_dict(raw)
    message = str(err.value)
    assert "\n" not in message
    return message


def test_unknown_service_in_a_counter():
    assert "unknown service 'NOPE'" in broken(lambda r: r["counter"][0]["services"].append("NOPE"))


def test_duplicate_counter_code():
    assert "duplicate code 'L01'" in broken(lambda r: r["counter"].append(dict(r["counter"][0])))


def test_bad_time_zone():
    assert "unknown timezone" in broken(lambda r: r["site"].update(timezone="Asia/Samarinda"))


def test_bad_time():
    assert "bad time '25:00'" in broken(lambda r: r["service"][0].update(close="25:00"))


def test_prefix_with_o_is_refused():
    assert "bad prefix 'O'" in broken(lambda r: r["service"][0].update(prefix="O"))


def test_duplicate_prefix_is_refused():
    assert "already used" in broken(lambda r: r["service"][1].update(prefix=r["service"][0]["prefix"]))


def test_unknown_async_mode():
    assert "async_mode" in broken(lambda r: r["server"].update(async_mode="asyncio"))


def test_missing_file_and_bad_toml_are_one_line(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[site\nname=")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)


def test_booking_and_realtime_settings_are_loaded_with_the_config():
    config = load_config(ROOT / "config.toml")
    assert config.booking.bookable("KTP") and not config.booking.bookable("PENGADUAN")
    assert config.booking.places[0].code == "MPP" and len(config.booking.places) >= 4
    assert config.realtime.public_display is True


def test_public_display_is_a_typed_setting():
    raw = copy.deepcopy(SAMPLE)
    raw.setdefault("realtime", {})["public_display"] = False
    assert config_from_dict(raw).realtime.public_display is False
    assert "'public_display' must be true or false" in broken(
        lambda r: r.setdefault("realtime", {}).update(public_display="no"))


def test_a_bad_booking_section_is_one_line_naming_the_file(tmp_path):
    raw = copy.deepcopy(SAMPLE)
    raw["booking"]["window_days"] = "two weeks"
    path = tmp_path / "config.toml"
    path.write_text(tomli_w.dumps(raw))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(str(path)) and "[booking]: 'window_days' must be a whole number" in str(err.value)
    assert "\n" not in str(err.value)
