"""The shared pygame text toolkit: one open font per (path, size, bold), fitting, cutting with "…" and wrapping."""

import os
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from hardware.screen import text

INK = (0, 0, 0)


def open_font_files(name: str) -> int:
    """How many file descriptors of this process point at the font file `name` (Linux /proc)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").endswith(name)
        except OSError:
            continue  # closed between listdir and readlink
    return count


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Empty caches, so the counts below are this test's own (fonts of earlier tests are closed)."""
    for cached in (text.load_font, text.render, text.fit_line):
        cached.cache_clear()
    yield
    for cached in (text.load_font, text.render, text.fit_line):
        cached.cache_clear()


def test_the_font_file_is_opened_once_for_many_draws(fresh_cache: None) -> None:
    for i in range(200):
        text.render(f"A{i:03d}", 30, INK)
        text.fit_line(f"Loket {i}", 30, 400)
        text.wrap(f"Kartu Keluarga nomor {i} baru atau perubahan", 30, False, 300)
    info = text.load_font.cache_info()
    assert (info.misses, info.currsize) == (1, 1)
    assert info.hits > 600
    if Path("/proc/self/fd").is_dir():
        assert open_font_files("/DejaVuSans.ttf") == 1


def test_each_size_and_weight_is_opened_once(fresh_cache: None) -> None:
    for _ in range(3):
        for size in (20, 30, 40):
            text.render("D012", size, INK, bold=True)
            text.render("Loket 4", size, INK)
    assert text.load_font.cache_info().misses == 6


def test_bold_uses_the_bold_file_of_the_family() -> None:
    bold = pygame.font.Font(str(text.FONT_DIR / "DejaVuSans-Bold.ttf"), 40).render("A123", True, INK)
    drawn = text.render("A123", 40, INK, bold=True)
    assert pygame.image.tobytes(drawn, "RGBA") == pygame.image.tobytes(bold, "RGBA")
    assert text.width("A123", 40, bold=True) > text.width("A123", 40)


def test_a_text_that_fits_is_shown_as_it_is() -> None:
    assert text.fit_line("Loket 4", 40, 1000) == ("Loket 4", 40)
    assert text.ellipsize("Loket 4", 40, 1000) == "Loket 4"


def test_a_long_text_shrinks_to_its_minimum_and_is_then_cut_with_an_ellipsis() -> None:
    name = "Surat Keterangan Hasil Pemeriksaan Narkotika (SKHPN)"
    shown, size = text.fit_line(name, 40, 300, min_size=20)
    assert size == 20
    assert shown.endswith("…") and name.startswith(shown[:-1])
    assert text.width(shown, size) <= 300


def test_a_text_shrinks_only_as_much_as_it_needs() -> None:
    size = text.fit_size("Perizinan Berusaha", 60, 400)
    assert text.width("Perizinan Berusaha", size) <= 400 < text.width("Perizinan Berusaha", size + 1)


def test_wrapping_keeps_every_line_inside_the_width() -> None:
    lines = text.wrap("Pindai kode QR ini dengan ponsel untuk memantau antrean Anda", 30, False, 400)
    assert len(lines) > 1
    assert " ".join(lines) == "Pindai kode QR ini dengan ponsel untuk memantau antrean Anda"
    assert all(text.width(line, 30) <= 400 for line in lines)


def test_fitting_into_a_box_shrinks_then_cuts_the_last_line_kept() -> None:
    sentence = "Nomor prioritas dipanggil lebih dulu, tanpa menghentikan antrean reguler. Petugas dapat memeriksa."
    lines, size, fits = text.fit_lines(sentence, 40, 36, (500, 200), 2)
    assert not fits and size == 36
    assert len(lines) == 2 and lines[-1].endswith("…")
    lines, size, fits = text.fit_lines(sentence, 40, 10, (500, 400), 4)
    assert fits and 10 <= size < 40 and len(lines) <= 4
