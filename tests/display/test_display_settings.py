"""Tests of the display's config reading and of the Indonesian date, clock and zone names."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import tomli_w

from display.settings import ConfigError, load_settings, parse_size, settings_from_dict
from display.texts import format_call_time, format_clock, format_date, format_datetime, label

ROOT = Path(__file__).resolve().parents[2]


def test_the_sample_config_gives_the_samarinda_tv() -> None:
    settings = load_settings(str(ROOT / "config.toml"))
    assert settings.server.startswith("http://")
    assert settings.timezone == "Asia/Makassar"
    assert settings.site_name == "Mal Pelayanan Publik Kota Samarinda"
    assert settings.repeat == 2 and 0 <= settings.volume <= 1
    assert "Selamat datang" in settings.ticker


def test_command_line_overrides_win_over_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(tomli_w.dumps({"display": {"server": "http://10.0.0.5:5000", "token": "abc"}}))
    settings = load_settings(str(path), server="http://127.0.0.1:6000/", token=None, fullscreen=False)
    assert (settings.server, settings.token, settings.fullscreen) == ("http://127.0.0.1:6000", "abc", False)


@pytest.mark.parametrize(("table", "words"), [
    ({"volume": 1.5}, "volume"),
    ({"repeat": 0}, "repeat"),
    ({"quiet": ["12:00-25:00"]}, "quiet"),
    ({"server": "192.168.1.10:5000"}, "server"),
    ({"agencies": "DUKCAPIL"}, "agencies"),
    ({"voice": "yes"}, "voice"),
    ({"waiting_by": "floor"}, "waiting_by"),
])
def test_a_wrong_display_setting_is_one_line_naming_the_key(table: dict, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from_dict({"display": table})
    message = str(caught.value)
    assert words in message and "\n" not in message


def test_a_bad_time_zone_or_a_missing_config_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="timezone"):
        settings_from_dict({"site": {"timezone": "Asia/Samarinda"}})
    with pytest.raises(ConfigError, match="not found"):
        load_settings(str(tmp_path / "missing.toml"))
    broken = tmp_path / "broken.toml"
    broken.write_text("[display\nserver = 1")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(str(broken))


def test_sizes_are_parsed_and_checked() -> None:
    assert parse_size("1366x768") == (1366, 768)
    with pytest.raises(ConfigError):
        parse_size("big")


def test_the_clock_is_written_the_indonesian_way_in_the_site_zone() -> None:
    moment = datetime(2026, 11, 28, 8, 15, tzinfo=ZoneInfo("Asia/Makassar"))
    assert format_datetime(moment) == "Sabtu, 28 November 2026 · 08.15 WITA"
    assert format_datetime(moment, "en") == "Saturday, 28 November 2026 · 08.15 WITA"
    utc = datetime(2026, 11, 28, 0, 15, tzinfo=ZoneInfo("UTC"))
    assert format_datetime(utc.astimezone(ZoneInfo("Asia/Makassar"))) == "Sabtu, 28 November 2026 · 08.15 WITA"


@pytest.mark.parametrize(("zone", "expected"), [
    ("Asia/Jakarta", "Jumat, 1 Mei 2026 · 07.05 WIB"),
    ("Asia/Pontianak", "Jumat, 1 Mei 2026 · 07.05 WIB"),
    ("Asia/Makassar", "Jumat, 1 Mei 2026 · 07.05 WITA"),
    ("Asia/Jayapura", "Jumat, 1 Mei 2026 · 07.05 WIT"),
    ("Europe/Amsterdam", "Jumat, 1 Mei 2026 · 07.05 CEST"),
])
def test_indonesian_zones_are_named_wib_wita_wit(zone: str, expected: str) -> None:
    assert format_datetime(datetime(2026, 5, 1, 7, 5, tzinfo=ZoneInfo(zone))) == expected


def test_every_weekday_and_month_has_its_indonesian_name() -> None:
    wita = ZoneInfo("Asia/Makassar")
    days = {format_date(datetime(2026, 11, d, tzinfo=wita)).split(",")[0] for d in range(23, 30)}
    assert days == {"Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"}
    months = [format_date(datetime(2026, m, 1, tzinfo=wita)).split()[2] for m in range(1, 13)]
    assert months == ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                      "Oktober", "November", "Desember"]
    assert format_clock(datetime(2026, 1, 1, 0, 0, tzinfo=wita)) == "00.00 WITA"


def test_call_times_and_labels() -> None:
    assert format_call_time("2026-11-28T13:07:42+08:00") == "13.07"
    assert format_call_time("not a time") == ""
    assert label("id", "reconnecting") == "Menyambung ulang…"
    assert label("en", "history") == "Recent Calls"
    assert label("xx", "history") == "Riwayat Panggilan"
