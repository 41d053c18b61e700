"""Tests of voice packs, build_wav, quiet hours, the fake announcer and the pygame announcer (dummy driver)."""

import os

# The dummy driver plays in real time without a sound card; set before pygame is imported anywhere.
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import io  # noqa: E402
import math  # noqa: E402
import struct  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import wave  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import pytest  # noqa: E402

from hardware.audio import (  # noqa: E402
    AnnouncerEvent,
    AudioError,
    FakeAnnouncer,
    PygameAnnouncer,
    VoicePack,
    build_wav,
    parse_quiet_hours,
    wav_duration,
)

RATE = 22050
WITA = ZoneInfo("Asia/Makassar")
CLIP_SECS = {"chime": 0.05, "satu": 0.04, "dua": 0.06}


def write_clip(path: Path, secs: float, *, rate: int = RATE, channels: int = 1, freq: float = 440.0) -> None:
    frames = b"".join(
        struct.pack("<h", round(8000 * math.sin(2 * math.pi * freq * i / rate))) * channels
        for i in range(round(secs * rate))
    )
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(frames)


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    for name, secs in CLIP_SECS.items():
        write_clip(tmp_path / f"{name}.wav", secs)
    return tmp_path


@pytest.fixture
def pack(pack_dir: Path) -> VoicePack:
    return VoicePack(pack_dir, CLIP_SECS)


def at(hhmm: str) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(2026, 3, 2, hour, minute, tzinfo=WITA)


def test_a_pack_missing_a_clip_is_refused_naming_the_clip(pack_dir: Path) -> None:
    with pytest.raises(AudioError, match=r"huruf_q\.wav"):
        VoicePack(pack_dir, [*CLIP_SECS, "huruf_q"])


def test_a_pack_mixing_formats_is_refused_naming_the_odd_clip(pack_dir: Path) -> None:
    write_clip(pack_dir / "tiga.wav", 0.05, rate=44100)
    with pytest.raises(AudioError, match=r"tiga\.wav is mono 16-bit 44100 Hz"):
        VoicePack(pack_dir)


def test_a_missing_folder_or_a_broken_clip_is_a_clear_error(pack_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="folder not found"):
        VoicePack(tmp_path / "nowhere")
    (pack_dir / "rusak.wav").write_bytes(b"not a wav")
    with pytest.raises(AudioError, match=r"rusak\.wav is not a readable PCM WAV"):
        VoicePack(pack_dir)


def test_build_wav_joins_the_clips_with_gaps_into_one_valid_wav(pack: VoicePack) -> None:
    data = build_wav(["chime", "satu", "dua"], pack, gap_secs=0.1)
    with wave.open(io.BytesIO(data)) as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (1, 2, RATE)
    assert wav_duration(data) == pytest.approx(0.05 + 0.04 + 0.06 + 2 * 0.1, abs=0.002)


def test_build_wav_repeats_the_whole_sequence_after_a_pause(pack: VoicePack) -> None:
    data = build_wav(["satu", "dua"], pack, gap_secs=0.1, repeat=2, repeat_gap_secs=0.5)
    assert wav_duration(data) == pytest.approx(2 * (0.04 + 0.1 + 0.06) + 0.5, abs=0.002)


def test_build_wav_accepts_a_folder_and_names_an_unknown_clip(pack_dir: Path) -> None:
    assert wav_duration(build_wav(["dua"], pack_dir, gap_secs=0.0)) == pytest.approx(0.06, abs=0.001)
    with pytest.raises(AudioError, match=r"empat\.wav"):
        build_wav(["satu", "empat"], pack_dir)


def test_quiet_hours_cover_their_period_and_may_wrap_midnight() -> None:
    lunch, night = parse_quiet_hours(["12:00-13:00", "21:00 - 06:00"])
    assert lunch.contains(at("12:00")) and lunch.contains(at("12:59"))
    assert not lunch.contains(at("13:00")) and not lunch.contains(at("11:59"))
    assert night.contains(at("23:30")) and night.contains(at("05:59")) and not night.contains(at("06:00"))
    (evening,) = parse_quiet_hours(["17:00-24:00"])
    assert evening.contains(at("23:59")) and not evening.contains(at("00:00"))


@pytest.mark.parametrize("bad", ["12-13", "12:00", "25:00-26:00", "12:60-13:00", "08:00-08:00"])
def test_malformed_quiet_hours_are_a_one_line_config_error(bad: str) -> None:
    with pytest.raises(ValueError, match="quiet hours"):
        parse_quiet_hours([bad])


def test_the_fake_records_announcements_from_many_threads() -> None:
    fake = FakeAnnouncer(known=["chime", "satu"])
    threads = [threading.Thread(target=fake.announce, args=(["chime", "satu"],)) for _ in range(20)]
    for thread in threads:
        thread.start()
    assert fake.wait_for(20, timeout=5)
    assert fake.announced == [["chime", "satu"]] * 20
    with pytest.raises(AudioError, match="'tiga'"):
        fake.announce(["tiga"])
    fake.close()
    with pytest.raises(AudioError, match="closed"):
        fake.announce(["satu"])


class Recorder:
    """Collects announcer events and lets a test wait for a number of them."""

    def __init__(self) -> None:
        self.events: list[AnnouncerEvent] = []
        self.cond = threading.Condition()

    def __call__(self, event: AnnouncerEvent) -> None:
        with self.cond:
            self.events.append(event)
            self.cond.notify_all()

    def wait(self, kinds: set[str], count: int, timeout: float = 5.0) -> list[AnnouncerEvent]:
        with self.cond:
            assert self.cond.wait_for(lambda: len(self.matching(kinds)) >= count, timeout)
            return self.matching(kinds)

    def matching(self, kinds: set[str]) -> list[AnnouncerEvent]:
        return [event for event in self.events if event.kind in kinds]


def test_the_pygame_announcer_plays_announcements_one_after_the_other(pack: VoicePack) -> None:
    recorder = Recorder()
    announcer = PygameAnnouncer(
        pack, volume=0.5, repeat=2, gap_secs=0.05, repeat_gap_secs=0.1, on_event=recorder
    )
    try:
        announcer.announce(["chime", "satu"])
        announcer.announce(["chime", "dua"])
        events = recorder.wait({"started", "finished"}, 4)
    finally:
        announcer.close()
    assert [(e.kind, e.clips[-1]) for e in events] == [
        ("started", "satu"), ("finished", "satu"), ("started", "dua"), ("finished", "dua"),
    ]  # fmt: skip
    first_start, first_end, second_start, second_end = (e.at for e in events)
    assert first_end <= second_start
    # The dummy driver plays in real time: each announcement lasted about as long as its WAV.
    expected = wav_duration(build_wav(["chime", "satu"], pack, gap_secs=0.05, repeat=2, repeat_gap_secs=0.1))
    assert first_end - first_start >= 0.8 * expected


def test_the_pygame_announcer_stays_silent_in_quiet_hours(pack: VoicePack) -> None:
    recorder = Recorder()
    announcer = PygameAnnouncer(pack, quiet=["12:00-13:00"], clock=lambda: at("12:30"), on_event=recorder)
    try:
        announcer.announce(["chime", "satu"])
        assert announcer.wait_idle(timeout=5)
    finally:
        announcer.close()
    assert [event.kind for event in recorder.events] == ["skipped"]


def test_the_pygame_announcer_refuses_an_unknown_clip_at_once(pack: VoicePack) -> None:
    announcer = PygameAnnouncer(pack)
    try:
        with pytest.raises(AudioError, match="'tiga'"):
            announcer.announce(["chime", "tiga"])
        with pytest.raises(ValueError, match="volume"):
            announcer.set_volume(1.5)
    finally:
        announcer.close()
    with pytest.raises(AudioError, match="closed"):
        announcer.announce(["satu"])


def test_closing_cuts_the_current_announcement_short_and_drops_the_queue(pack_dir: Path) -> None:
    write_clip(pack_dir / "panjang.wav", 1.0)
    recorder = Recorder()
    announcer = PygameAnnouncer(VoicePack(pack_dir), on_event=recorder)
    announcer.announce(["panjang"])
    announcer.announce(["panjang", "satu"])
    recorder.wait({"started"}, 1)
    began = time.monotonic()
    announcer.close()
    # close() waits for the worker, yet returns well before the 2 s the first call would last.
    assert time.monotonic() - began < 1.0
    assert len(recorder.matching({"started"})) == 1
    assert announcer.wait_idle(timeout=0)
