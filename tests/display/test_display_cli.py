"""`python -m display` as an operator runs it: test announcement, demo screenshots, the TV loop, bad input."""

import math
import os
import signal
import struct
import subprocess
import sys
import wave
from pathlib import Path

import pygame
import tomli_w

from display.voice import REQUIRED_CLIPS, compose_call

ROOT = Path(__file__).resolve().parents[2]
RATE = 22050


def env(**extra: str) -> dict[str, str]:
    return os.environ | {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"} | extra


def run_display(*args: str, timeout: float = 60, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "display", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=env(**extra))


def tiny_pack(folder: Path) -> Path:
    """Every required clip as 30 ms of tone: the disk driver plays in real time, so keep it short."""
    folder.mkdir()
    frames = b"".join(struct.pack("<h", round(6000 * math.sin(2 * math.pi * 440 * i / RATE)))
                      for i in range(RATE * 30 // 1000))
    for name in REQUIRED_CLIPS:
        with wave.open(str(folder / f"{name}.wav"), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(frames)
    return folder


def write_config(path: Path, **display: object) -> Path:
    path.write_text(tomli_w.dumps({"site": {"name": "MPP Uji", "timezone": "Asia/Makassar"},
                                   "display": {"server": "http://127.0.0.1:9", **display}}))
    return path


def test_the_test_announcement_plays_a_sample_call_on_the_disk_audio_driver(tmp_path: Path) -> None:
    config = write_config(tmp_path / "config.toml", voice_pack=str(tiny_pack(tmp_path / "pack")), repeat=1)
    sound = tmp_path / "out.raw"
    done = run_display("--config", str(config), "--announce-test", "B017", "Loket 12",
                       SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=str(sound))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "nomor antrean be tujuh belas silakan menuju loket dua belas"
    clips = compose_call("B017", "Loket 12")
    assert sound.exists() and sound.stat().st_size >= len(clips) * 0.03 * RATE * 2  # at least the clips' frames


def test_the_test_announcement_refuses_a_number_it_cannot_say(tmp_path: Path) -> None:
    done = run_display("--config", str(write_config(tmp_path / "c.toml")), "--announce-test", "123", "Loket 1")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "ticket number" in done.stderr


def test_a_voice_pack_missing_clips_is_named_in_one_line(tmp_path: Path) -> None:
    pack = tiny_pack(tmp_path / "pack")
    (pack / "seribu.wav").unlink()
    done = run_display("--config", str(write_config(tmp_path / "c.toml", voice_pack=str(pack))), "--announce-test")
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "seribu.wav" in done.stderr


def test_a_bad_config_value_stops_with_one_line_and_status_2(tmp_path: Path) -> None:
    done = run_display("--config", str(write_config(tmp_path / "c.toml", volume=3)), "--screenshot", "x.png")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["display: error: [display] volume: expected 0.0 to 1.0, got 3.0"]
    assert run_display("--config", str(tmp_path / "none.toml"), "--windowed").returncode == 2


def test_a_demo_screen_can_be_saved_at_another_size_without_a_server(tmp_path: Path) -> None:
    target = tmp_path / "busy.png"
    done = run_display("--demo", "busy", "--size", "1366x768", "--screenshot", str(target))
    assert done.returncode == 0, done.stderr
    assert pygame.image.load(str(target)).get_size() == (1366, 768)
    bad = run_display("--demo", "busy", "--screenshot", str(tmp_path / "busy.txt"))
    assert bad.returncode == 2 and ".png" in bad.stderr


def test_the_tv_runs_until_sigterm_and_exits_cleanly(tmp_path: Path) -> None:
    config = write_config(tmp_path / "c.toml", voice_pack=str(tiny_pack(tmp_path / "pack")))
    proc = subprocess.Popen([sys.executable, "-m", "display", "--config", str(config), "--demo", "calling",
                             "--windowed", "--size", "1280x720"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, env=env())
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # printed once the window is open and the loop starts
        assert "Layar antrean berjalan" in first and "1280x720" in first and "suara aktif" in first
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
