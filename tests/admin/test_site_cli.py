"""`python -m server site export|import`: the sample config.toml round-trips with no difference; an invalid file
is refused with a one-line reason and changes nothing."""

from __future__ import annotations

import tomllib

import pytest

from support import ROOT, ServerProcess


@pytest.fixture
def site(tmp_path):
    """The sample config.toml itself (not the test site), on its own database; no server is started."""
    return ServerProcess(tmp_path, tomllib.loads((ROOT / "config.toml").read_text()))


def export(site, name="site.toml"):
    out = site.workdir / name
    done = site.cli("site", "export", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_the_sample_config_exported_and_imported_again_gives_no_differences(site):
    exported = export(site)
    assert "[[service]]" in exported.read_text() and "[[counter]]" in exported.read_text()
    done = site.cli("site", "import", str(exported))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Tidak ada perbedaan (no differences)."
    assert export(site, "again.toml").read_text() == exported.read_text()


@pytest.mark.parametrize(("change", "reason"), [
    (lambda text: text + "\n[[service\n", "bukan TOML yang sah"),
    (lambda text: text.replace('close = "16:00"', 'close = "07:00"', 1), "'close' must be after 'open'"),
    (lambda text: text.replace('prefix = "B"', 'prefix = "A"', 1), "prefix 'A' already used"),
    (lambda text: "# nothing\n", "tidak berisi"),
])
def test_an_invalid_file_is_refused_with_one_line_and_changes_nothing(site, change, reason):
    before = export(site).read_text()
    bad = site.workdir / "bad.toml"
    bad.write_text(change(before))
    done = site.cli("site", "import", str(bad))
    assert done.returncode == 2 and reason in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert done.stdout == ""
    assert export(site, "after.toml").read_text() == before


def test_an_import_shows_the_differences_and_a_dry_run_changes_nothing(site):
    text = export(site).read_text()
    changed = site.workdir / "changed.toml"
    changed.write_text(text.replace('name = "Loket 1"\n', 'name = "Loket Satu"\n', 1))
    dry = site.cli("site", "import", str(changed), "--dry-run")
    assert dry.returncode == 0 and '~ loket L01 name: "Loket 1" → "Loket Satu"' in dry.stdout
    assert export(site, "same.toml").read_text() == text
    done = site.cli("site", "import", str(changed))
    assert done.returncode == 0 and "versi 2" in done.stdout
    assert 'name = "Loket Satu"' in export(site, "new.toml").read_text()
