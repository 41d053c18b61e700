"""Layout tests of the ESC/POS job on 58 mm and 80 mm paper, read back with a small ESC/POS reader."""

from dataclasses import dataclass, field

import pytest

from hardware.printing.escpos_render import render_escpos
from hardware.printing.fake import example_ticket
from hardware.printing.layout import Line, paper_for, ticket_blocks

PROFILES = {"POS-5890": 32, "TM-T20II": 48}
LONG_NAMES = {
    "site_name": "Mal Pelayanan Publik Kota Samarinda – Gedung Ex Bandara Temindung Lantai Dua",
    "agency_name": "Badan Pengelolaan Pajak dan Retribusi Daerah (Bapenda) Kota Samarinda",
    "service_name": "Pendaftaran dan Pembaruan Dokumen Kependudukan Warga Negara Indonesia",
    "priority": "Membawa Balita",
}


@dataclass
class Job:
    """What a printer would do with a job: text lines with their size, images, QR codes, cuts."""

    lines: list[tuple[str, int]] = field(default_factory=list)
    raster_images: list[tuple[int, int]] = field(default_factory=list)  # (width dots, height dots)
    native_qr_data: list[bytes] = field(default_factory=list)
    cuts: int = 0


def read_job(data: bytes) -> Job:
    """Interpret the ESC/POS subset the renderer may use; any other byte is a failure."""
    job, text, size, i = Job(), bytearray(), 1, 0
    while i < len(data):
        byte = data[i]
        if byte == 0x0A:
            job.lines.append((text.decode("ascii"), size))
            text.clear()
            i += 1
        elif 0x20 <= byte <= 0x7E:
            text.append(byte)
            i += 1
        elif data[i : i + 2] == b"\x1b@":
            i += 2
        elif data[i : i + 2] in (b"\x1ba", b"\x1bE", b"\x1bd", b"\x1dB"):
            i += 3
        elif data[i : i + 2] == b"\x1d!":
            size = (data[i + 2] >> 4) + 1
            assert size == (data[i + 2] & 0x0F) + 1, "width and height multipliers differ"
            i += 3
        elif data[i : i + 3] == b"\x1dv0":
            width_bytes = int.from_bytes(data[i + 4 : i + 6], "little")
            height = int.from_bytes(data[i + 6 : i + 8], "little")
            job.raster_images.append((width_bytes * 8, height))
            i += 8 + width_bytes * height
        elif data[i : i + 3] == b"\x1d(k":
            length = int.from_bytes(data[i + 3 : i + 5], "little")
            body = data[i + 5 : i + 5 + length]
            if body[:3] == b"1P0":
                job.native_qr_data.append(body[3:])
            i += 5 + length
        elif data[i : i + 2] == b"\x1dV":
            job.cuts += 1
            i += 3 if data[i + 2] in (0, 1, 48, 49) else 4
        else:
            raise AssertionError(f"unexpected byte {byte:#04x} at {i}: {data[i:i + 8]!r}")
    assert not text, f"text left without a line feed: {bytes(text)!r}"
    return job


@pytest.mark.parametrize(("profile", "columns"), PROFILES.items())
@pytest.mark.parametrize("qr", ["image", "native"])
def test_no_printed_line_is_wider_than_the_paper(profile, columns, qr):
    job = read_job(render_escpos(example_ticket(**LONG_NAMES), paper_for(profile, qr)))
    assert job.lines, "nothing printed"
    for text, size in job.lines:
        assert len(text) * size <= columns, f"{text!r} at {size}x is wider than {columns} columns"


@pytest.mark.parametrize("profile", PROFILES)
def test_every_block_of_the_layout_fits_and_is_ascii(profile):
    paper = paper_for(profile)
    names = {**LONG_NAMES, "service_name": "Surat Keterangan Pindah – Datang • Kelurahan Sidodadi"}
    ticket = example_ticket(**names, number="AB1234567890123456789")
    for block in ticket_blocks(ticket, paper):
        if isinstance(block, Line):
            assert block.text.isascii() and block.text.isprintable()
            assert len(block.text) * block.size <= paper.columns


@pytest.mark.parametrize("profile", PROFILES)
def test_the_ticket_carries_number_service_time_counts_and_footer(profile):
    data = render_escpos(example_ticket(), paper_for(profile))
    for expected in (
        b"D037",
        b"KTP Elektronik",
        b"16/12/2026 09:30 WITA",
        b"Di depan Anda: 5 orang",
        b"Perkiraan tunggu: 25 menit",
        b"PRIORITAS: LANSIA",
        b"Berlaku hari ini",
        b"MAL PELAYANAN PUBLIK KOTA",
    ):
        assert expected in data, expected


@pytest.mark.parametrize(("profile", "size"), [("POS-5890", 4), ("TM-T20II", 6)])
def test_the_number_is_printed_very_large_and_alone_on_its_line(profile, size):
    job = read_job(render_escpos(example_ticket(), paper_for(profile)))
    assert ("D037", size) in job.lines
    assert max(line_size for _, line_size in job.lines) == size


@pytest.mark.parametrize("profile", PROFILES)
def test_reprint_and_test_tickets_say_so(profile):
    plain = render_escpos(example_ticket(), paper_for(profile))
    marked = render_escpos(example_ticket(reprint=True, test=True), paper_for(profile))
    assert b"CETAK ULANG" not in plain and b"TIKET UJI" not in plain
    assert b"CETAK ULANG" in marked and b"TIKET UJI" in marked


@pytest.mark.parametrize(("profile", "width_dots"), [("POS-5890", 384), ("TM-T20II", 576)])
def test_image_qr_is_a_raster_image_within_the_paper_width(profile, width_dots):
    data = render_escpos(example_ticket(), paper_for(profile, "image"))
    job = read_job(data)
    assert b"\x1dv0" in data and b"\x1d(k" not in data
    assert len(job.raster_images) == 1
    width, height = job.raster_images[0]
    assert width <= width_dots and height >= 100


@pytest.mark.parametrize("profile", PROFILES)
def test_native_qr_sends_the_status_url_with_gs_k_and_no_image(profile):
    data = render_escpos(example_ticket(), paper_for(profile, "native"))
    job = read_job(data)
    assert b"\x1d(k" in data and b"\x1dv0" not in data
    assert job.native_qr_data == [b"http://127.0.0.1:5000/t/3F9C2A7B"]


def test_a_ticket_without_status_url_has_no_qr_code():
    job = read_job(render_escpos(example_ticket(status_url=""), paper_for("TM-T20II")))
    assert job.raster_images == [] and job.native_qr_data == []


def test_the_80mm_printer_cuts_and_the_58mm_printer_only_feeds():
    assert read_job(render_escpos(example_ticket(), paper_for("TM-T20II"))).cuts == 1
    job_58 = read_job(render_escpos(example_ticket(), paper_for("POS-5890")))
    assert job_58.cuts == 0
    assert job_58.lines[-1] == ("", 1), "no tear-off feed after the footer"


def test_unknown_profile_or_qr_mode_is_refused_by_name():
    with pytest.raises(ValueError, match="TM-T20"):
        paper_for("TM-T20")
    with pytest.raises(ValueError, match="qr"):
        paper_for("TM-T20II", "bitmap")
