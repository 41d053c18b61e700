"""Sample screens (empty, calling, busy, disconnected, before-opening) for screenshots, the benchmark and
`--demo`."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pygame

from display.render import FLASH_PERIOD_SECS, Renderer
from display.settings import DisplaySettings
from display.state import DisplayState, apply, initial_state

SAMPLES = ("empty", "calling", "busy", "disconnected", "before-opening", "large")
# An ordinary Wednesday of the sample site, open 08.00-16.00 (the day of every docs screenshot: tests/site_day.py).
SAMPLE_NOW = datetime(2026, 12, 16, 9, 30, tzinfo=ZoneInfo("Asia/Makassar"))
SAMPLE_DAY = SAMPLE_NOW.date().isoformat()
SAMPLE_OPENING = SAMPLE_NOW.replace(hour=8, minute=0)  # the sample site opens at 08.00
SAMPLE_TICKER = ("Selamat datang di Mal Pelayanan Publik Kota Samarinda. Layanan gratis kecuali yang tertera "
                 "tarifnya. Jangan memberikan imbalan kepada petugas.")
SITE = "Mal Pelayanan Publik Kota Samarinda"

DPMPTSP_NAME = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
POLRI_NAME = "Polresta Samarinda (SIM dan SKCK)"
SAMSAT_NAME = "UPTD PPRD Samsat Samarinda (Bapenda Kaltim)"
BNN_NAME = "Badan Narkotika Nasional Kota Samarinda"
# (code, name, agency, agency_name, prefix) — the sample site of config.toml
SERVICES = [
    ("NIB", "Perizinan Berusaha (NIB / OSS-RBA)", "DPMPTSP", DPMPTSP_NAME, "A"),
    ("NONUSAHA", "Perizinan Non-Berusaha", "DPMPTSP", DPMPTSP_NAME, "B"),
    ("PENGADUAN", "Pengaduan dan Informasi", "DPMPTSP", DPMPTSP_NAME, "C"),
    ("KTP", "KTP Elektronik (rekam / cetak)", "DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "D"),
    ("KK", "Kartu Keluarga (baru / perubahan)", "DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "E"),
    ("AKTA", "Akta Kelahiran dan Kematian", "DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "F"),
    ("PBI", "Pendaftaran / Reaktivasi BPJS PBI (KIS)", "DINSOS", "Dinas Sosial", "G"),
    ("BPJS", "Layanan Peserta BPJS Kesehatan", "BPJSKES", "BPJS Kesehatan", "H"),
    ("PASPOR", "Paspor Baru / Penggantian", "IMIGRASI", "Kantor Imigrasi Kelas I TPI Samarinda", "J"),
    ("SKCK", "SKCK Baru / Perpanjangan", "POLRI", POLRI_NAME, "K"),
    ("SIM", "Perpanjangan SIM A / C", "POLRI", POLRI_NAME, "L"),
    ("PKB", "Pajak Kendaraan Bermotor Tahunan", "SAMSAT", SAMSAT_NAME, "M"),
    ("SKHPN", "Surat Keterangan Hasil Pemeriksaan Narkotika (SKHPN)", "BNN", BNN_NAME, "N"),
]
COUNTER_SERVICES = [["NIB", "NONUSAHA"], ["NIB"], ["PENGADUAN", "NONUSAHA"], ["KTP", "KK"], ["KTP"], ["KK", "AKTA"],
                    ["PBI"], ["BPJS"], ["BPJS", "PBI"], ["PASPOR"], ["SKCK", "SIM"], ["SIM"], ["PKB"], ["SKHPN"]]


def sample_settings(**changes: Any) -> DisplaySettings:
    """Settings of the sample site's TV."""
    return replace(DisplaySettings(site_name=SITE, site_short_name="MPP Samarinda", ticker=SAMPLE_TICKER), **changes)


def sample_now(name: str) -> datetime:
    """The wall time of a sample screen: 07.15 before opening, else 09.30."""
    return SAMPLE_NOW.replace(hour=7, minute=15) if name == "before-opening" else SAMPLE_NOW


def catalog(next_open: datetime | None = None) -> list[dict[str, Any]]:
    """The sample `GET /api/v1/services` answer (only the fields the display reads); `next_open` closes every
    service until then."""
    opens = next_open.isoformat(timespec="minutes") if next_open else None
    return [{"code": c, "name": n, "agency": a, "agency_name": an, "prefix": p, "spell_digits": False,
             "next_open": opens} for c, n, a, an, p in SERVICES]


def _counter(index: int, services: list[str], status: str = "closed", number: str | None = None,
             ticket_status: str | None = None, priority: str | None = None) -> dict[str, Any]:
    return {"code": f"L{index:02d}", "name": f"Loket {index}", "services": services, "status": status,
            "number": number, "ticket_status": ticket_status, "priority": priority}


def _call(number: str, service: str, counter: int, minute: int, priority: str | None = None) -> dict[str, Any]:
    return {"number": number, "service": service, "counter": f"L{counter:02d}", "counter_name": f"Loket {counter}",
            "priority": priority, "status": "called",
            "at": (SAMPLE_NOW - timedelta(minutes=45 - minute)).isoformat()}  # minute 45 would be now


def empty_snapshot() -> dict[str, Any]:
    """Opening time: every loket closed, nobody called, nobody waiting."""
    return {"seq": 0, "date": SAMPLE_DAY, "site": SITE, "calls": [],
            "counters": [_counter(i + 1, s) for i, s in enumerate(COUNTER_SERVICES)],
            "waiting": {code: 0 for code, *_ in SERVICES}}


def calling_snapshot() -> dict[str, Any]:
    """A quiet morning: a few loket open, a few calls made."""
    counters = [_counter(i + 1, s, "open") for i, s in enumerate(COUNTER_SERVICES)]
    counters[0].update(number="A004", ticket_status="serving")
    counters[4].update(number="D011", ticket_status="serving")
    counters[7].update(number="H006", ticket_status="serving", priority="ibu_hamil")
    for index in (9, 12, 13):
        counters[index]["status"] = "closed"
    counters[11]["status"] = "paused"
    calls = [_call("H006", "BPJS", 8, 42, "ibu_hamil"), _call("D011", "KTP", 5, 41), _call("A004", "NIB", 1, 39),
             _call("E003", "KK", 6, 37)]
    waiting = {code: n for (code, *_), n in zip(SERVICES, [3, 1, 0, 14, 6, 2, 4, 9, 0, 5, 2, 0, 0], strict=True)}
    return {"seq": 40, "date": SAMPLE_DAY, "site": SITE, "calls": calls, "counters": counters, "waiting": waiting}


def busy_snapshot() -> dict[str, Any]:
    """A busy morning at the sample MPP: its 14 loket open (one on a break), a full riwayat, many waiting."""
    counters = [_counter(i + 1, s, "open") for i, s in enumerate(COUNTER_SERVICES)]
    numbers = ["A031", "A027", "C012", "D048", "D047", "E019", "G015", "H022", "H021", None, "K026", "L018", "M024",
               "N009"]
    for index, (counter, number) in enumerate(zip(counters, numbers, strict=True)):
        prefix = number[0] if number else ""
        counter.update(number=number, ticket_status="called" if index in (1, 4, 10) else "serving" if number else None,
                       priority="lansia" if prefix in ("D", "K") and index in (3, 10) else None)
    counters[9]["status"] = "paused"
    calls = [_call("K026", "SKCK", 11, 41, "lansia"), _call("D047", "KTP", 5, 40), _call("A027", "NIB", 2, 39),
             _call("M024", "PKB", 13, 38), _call("L018", "SIM", 12, 37), _call("H022", "BPJS", 8, 36),
             _call("E019", "KK", 6, 35), _call("D046", "KTP", 4, 34, "ibu_hamil"), _call("G015", "PBI", 7, 33),
             _call("C012", "PENGADUAN", 3, 32), _call("N009", "SKHPN", 14, 31)]
    waiting = {code: n for (code, *_), n in zip(SERVICES, [12, 4, 3, 27, 9, 6, 8, 14, 5, 11, 13, 10, 2], strict=True)}
    return {"seq": 900, "date": SAMPLE_DAY, "site": SITE, "calls": calls, "counters": counters, "waiting": waiting}


def large_snapshot() -> dict[str, Any]:
    """A bigger MPP than the sample: 44 loket, most of them serving (the loket grid pages when they do not fit)."""
    counters = []
    for i in range(44):
        code, *_rest, prefix = SERVICES[i % len(SERVICES)]
        status = "paused" if i in (17, 30) else "closed" if i in (41, 42, 43) else "open"
        number = f"{prefix}{100 + 7 * i % 90:03d}" if status == "open" and i % 9 != 4 else None
        counters.append(_counter(i + 1, [code], status, number, "serving" if i % 3 else "called",
                                 "lansia" if i in (3, 22) and number else None))
    calls = [_call("K127", "SKCK", 11, 41, "lansia")] + [
        _call(f"{SERVICES[i][4]}{120 - i:03d}", SERVICES[i][0], 14 + i, 40 - i) for i in range(11)]
    waiting = {code: (i * 7 + 3) % 23 for i, (code, *_r) in enumerate(SERVICES)}
    return {"seq": 900, "date": SAMPLE_DAY, "site": SITE, "calls": calls, "counters": counters, "waiting": waiting}


def sample_state(name: str) -> DisplayState:
    """The state of one sample screen; `calling` is the moment a new call arrives."""
    if name not in SAMPLES:
        raise ValueError(f"unknown sample {name!r}; expected one of {', '.join(SAMPLES)}")
    state = apply(initial_state(), "services", catalog(SAMPLE_OPENING if name == "before-opening" else None))
    snapshot = {"empty": empty_snapshot, "before-opening": empty_snapshot, "busy": busy_snapshot,
                "large": large_snapshot}.get(
        name, calling_snapshot)()
    state = apply(state, "snapshot", snapshot)
    if name in ("calling", "disconnected"):
        state = apply(state, "ticket_called", {"number": "D012", "service": "KTP", "counter": "L04",
                                               "counter_name": "Loket 4", "recall": False, "priority": None,
                                               "seq": 41, "at": SAMPLE_NOW.isoformat()})
    if name == "disconnected":
        state = apply(state, "_disconnected", {})
    return state


def render_sample(name: str, size: tuple[int, int] = (1920, 1080),
                  settings: DisplaySettings | None = None) -> pygame.Surface:
    """The sample screen drawn on a new surface (a fresh call caught in its bright flash phase)."""
    surface = pygame.Surface(size)
    renderer = Renderer(size, settings or sample_settings())
    state = sample_state(name)
    # Draw the state before the call first, so the renderer sees the call arrive and flashes.
    before = replace(state, call_count=0) if name == "calling" else state
    renderer.draw(surface, before, sample_now(name), 0.0)
    renderer.draw(surface, state, sample_now(name), FLASH_PERIOD_SECS * 2 + 0.1)
    return surface
