"""Golden-image tests of the PNG ticket preview; ANTRE_UPDATE_GOLDEN=1 rewrites the goldens and the docs copies,
ANTRE_UPDATE_SCREENSHOTS=1 (make screenshots) copies the goldens to docs/screenshots."""

import os
import shutil
from pathlib import Path

import pytest
from browser_kit import UPDATE_SHOTS
from PIL import Image, ImageChops, features

from hardware.printing import paper_for, render_preview
from hardware.printing.fake import example_ticket

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
DOCS_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Glyph rasterising changes between FreeType releases; goldens are only comparable with the one that drew them.
RENDERER_FILE = GOLDEN_DIR / "freetype-version.txt"
GOLDENS = [("POS-5890", "ticket-58mm.png"), ("TM-T20II", "ticket-80mm.png")]
UPDATE = os.environ.get("ANTRE_UPDATE_GOLDEN") == "1"
pytestmark = pytest.mark.screenshots


def freetype_version() -> str:
    return str(features.version("freetype2"))


@pytest.fixture(scope="module", autouse=True)
def same_freetype():
    if UPDATE:
        GOLDEN_DIR.mkdir(exist_ok=True)
        RENDERER_FILE.write_text(freetype_version() + "\n")
        return
    recorded = RENDERER_FILE.read_text().strip()
    if recorded != freetype_version():
        pytest.skip(
            f"goldens were drawn with FreeType {recorded}, this Pillow has {freetype_version()}: "
            "rerun with ANTRE_UPDATE_GOLDEN=1 and review the images"
        )


@pytest.mark.parametrize(("profile", "name"), GOLDENS)
def test_the_preview_matches_the_committed_golden_pixel_for_pixel(profile, name, tmp_path):
    actual = render_preview(example_ticket(), paper_for(profile))
    golden_path = GOLDEN_DIR / name
    if UPDATE:
        actual.save(golden_path, format="PNG", optimize=True)
        DOCS_DIR.mkdir(parents=True, exist_ok=True)
        actual.save(DOCS_DIR / name, format="PNG", optimize=True)
    with Image.open(golden_path) as golden:
        golden.load()
    assert (golden.mode, golden.size) == (actual.mode, actual.size)
    difference = ImageChops.difference(golden, actual).getbbox()
    if difference is not None:
        actual.save(tmp_path / name)
        pytest.fail(f"{name} differs from the golden in box {difference}; new rendering: {tmp_path / name}")


@pytest.mark.parametrize(("profile", "name"), GOLDENS)
def test_the_docs_screenshot_is_the_golden(profile, name):
    if UPDATE_SHOTS:
        shutil.copyfile(GOLDEN_DIR / name, DOCS_DIR / name)
    with Image.open(GOLDEN_DIR / name) as golden, Image.open(DOCS_DIR / name) as shown:
        assert ImageChops.difference(golden.convert("L"), shown.convert("L")).getbbox() is None


@pytest.mark.parametrize(("profile", "width"), [("POS-5890", 384), ("TM-T20II", 576)])
def test_the_preview_is_one_pixel_per_printer_dot_and_shows_the_number(profile, width):
    paper = paper_for(profile)
    preview = render_preview(example_ticket(), paper)
    assert preview.width == width
    other_number = render_preview(example_ticket(number="D038"), paper)
    assert ImageChops.difference(preview, other_number).getbbox() is not None
