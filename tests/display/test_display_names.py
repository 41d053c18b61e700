"""Short agency names on the TV: the full name when it fits, else the installer's short_name, else a derived one;
never a name cut with "…" on the sample site."""

from __future__ import annotations

import pygame
import pytest

from display.draw import Fonts
from display.names import fitting_name, short_forms
from display.render import Renderer
from display.samples import SAMPLE_NOW, catalog, sample_settings, sample_state
from display.settings import ConfigError, DisplaySettings, settings_from_dict
from display.state import DisplayState, apply
from support import site_config

SIZES = [(1920, 1080), (1366, 768), (1280, 720)]


@pytest.mark.parametrize(("name", "code", "short"), [
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", "Dinas Penanaman Modal dan PTSP"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "DUKCAPIL", "Disdukcapil"),
    ("Polresta Samarinda (SIM dan SKCK)", "POLRI", "Polresta Samarinda"),
    ("Kantor Imigrasi Kelas I TPI Samarinda", "IMIGRASI", "Imigrasi Samarinda"),
    ("Badan Narkotika Nasional Kota Samarinda", "BNN", "BNN Kota Samarinda"),
    ("Kelurahan Sempaja Selatan", "KEL-SEMPAJASEL", "Kel. Sempaja Selatan"),
])
def test_a_long_agency_name_has_a_readable_short_form_right_after_it(name: str, code: str, short: str) -> None:
    forms = short_forms(name, "", code)
    assert forms[0] == name and forms[1] == short
    assert all(len(a) > len(b) for a, b in zip(forms, forms[1:], strict=False))  # each one shorter


def test_initials_and_the_code_are_the_last_resorts() -> None:
    forms = short_forms("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "", "DPM")
    assert forms[-2:] == ["DPMPTSP", "DPM"]
    assert short_forms("Akta Kelahiran dan Kematian", initials=False) == ["Akta Kelahiran dan Kematian"]
    assert short_forms("Surat Keterangan Hasil Pemeriksaan Narkotika (SKHPN)", initials=False)[-1] == "SKHPN"


def test_an_installers_short_name_replaces_every_derived_form() -> None:
    assert short_forms("Dinas Kependudukan dan Pencatatan Sipil", "Capil Samarinda", "DUKCAPIL") == [
        "Dinas Kependudukan dan Pencatatan Sipil", "Capil Samarinda"]


def test_the_first_form_that_fits_is_taken() -> None:
    forms = ["Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "DKPS"]
    assert fitting_name(forms, lambda form: len(form) <= 12) == "Disdukcapil"
    assert fitting_name(forms, lambda form: True) == forms[0]
    assert fitting_name(forms, lambda form: False) == "DKPS"  # the shortest, for the caller to cut


def test_the_display_reads_short_names_from_the_agency_tables_of_its_config() -> None:
    raw = site_config()
    raw["agency"][1]["short_name"] = " Disdukcapil "
    assert settings_from_dict(raw).agency_short_names == (("DUKCAPIL", "Disdukcapil"),)
    assert settings_from_dict({}).agency_short_names == ()  # a TV with only [display] in its file
    raw["agency"][1]["short_name"] = 7
    with pytest.raises(ConfigError, match="short_name"):
        settings_from_dict(raw)


def names_drawn(state: DisplayState, size: tuple[int, int], settings: DisplaySettings,
                monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], Fonts]:
    seen: list[str] = []
    fitted = Fonts.fitted

    def record(self: Fonts, line: str, *args: object, **kwargs: object) -> pygame.Surface:
        seen.append(line)
        return fitted(self, line, *args, **kwargs)

    monkeypatch.setattr(Fonts, "fitted", record)
    renderer = Renderer(size, settings)
    renderer.draw(pygame.Surface(size), state, SAMPLE_NOW, 1.0)
    return seen, renderer.fonts


@pytest.mark.parametrize("size", SIZES)
def test_waiting_per_agency_shows_every_agency_without_cutting_its_name(size: tuple[int, int],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    seen, fonts = names_drawn(sample_state("busy"), size, sample_settings(waiting_by="agency"), monkeypatch)
    agencies = {item["agency"]: item["agency_name"] for item in catalog()}
    for code, name in agencies.items():
        forms = short_forms(name, "", code)
        assert [form for form in forms if form in seen], f"{name} is not on the screen"
    assert not set(agencies.values()) & fonts.overflowed
    assert not {f for n in agencies.values() for f in short_forms(n)} & fonts.overflowed  # nothing cut with "…"


def test_at_1366_the_long_names_give_way_to_short_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    seen, _ = names_drawn(sample_state("busy"), (1366, 768), sample_settings(waiting_by="agency"), monkeypatch)
    assert "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" not in seen
    assert "Dinas Penanaman Modal dan PTSP" in seen and "Dinas Sosial" in seen


def test_a_configured_or_server_sent_short_name_is_used_when_the_full_name_does_not_fit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    settings = sample_settings(waiting_by="agency", agency_short_names=(("DPMPTSP", "DPMPTSP Samarinda"),))
    seen, _ = names_drawn(sample_state("busy"), (1366, 768), settings, monkeypatch)
    assert "DPMPTSP Samarinda" in seen and "Dinas Penanaman Modal dan PTSP" not in seen
    items = [dict(item, agency_short_name="Capil Smd") if item["agency"] == "DUKCAPIL" else item
             for item in catalog()]
    state = apply(sample_state("busy"), "services", items)
    seen, _ = names_drawn(state, (1366, 768), sample_settings(waiting_by="agency"), monkeypatch)
    assert "Capil Smd" in seen and "Disdukcapil" not in seen
