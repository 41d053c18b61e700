"""Generates the default voice pack: espeak-ng clips trimmed by sox, and a synthesised ding-dong chime."""

import argparse
import math
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python scripts/make_voice_pack.py` from anywhere
    sys.path.insert(0, str(ROOT))

from display.voice import CHIME, DEFAULT_PACK_DIR, RECORDING_LIST  # noqa: E402

RATE = 22050  # pack format: mono 16-bit 22050 Hz, what pygame.mixer is opened with
ESPEAK_VOICE = "id"
ESPEAK_WPM = 140  # the slow end of 140-150: the clips play in an echoing hall over TV speakers
PEAK_DBFS = -3  # every clip normalised to the same peak so words match in loudness
MAX_CLIP_SECS = 1.5
# Trim leading silence, then trailing silence (by reversing), as the voice-pack docs prescribe.
TRIM = ["silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%"]
# While still reversed, fade the end out; then fade the start in: cut edges would click.
FADES = ["fade", "q", "0.02", "reverse", "fade", "q", "0.005"]

CHIME_SECS = 1.1
CHIME_NOTES = ((659.25, 0.0), (523.25, 0.42))  # E5 then C5, a major third down: "ding-dong"
CHIME_ATTACK_SECS = 0.015
CHIME_DECAY_SECS = 0.35
CHIME_TAIL_SECS = 0.08  # final fade so the chime ends exactly at zero
CHIME_PEAK = 0.5  # -6 dBFS: a chime louder than the voice startles


def speak(text: str, out: Path, *, voice: str, wpm: int, workdir: Path) -> None:
    """Record one word or phrase with espeak-ng, then trim, fade, normalise and convert it with sox."""
    raw = workdir / f"{out.stem}.raw.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(raw), text], check=True)
    subprocess.run(
        ["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(out),
         *TRIM, *FADES, "gain", "-n", str(PEAK_DBFS)],
        check=True,
    )  # fmt: skip


def chime_samples(rate: int = RATE) -> list[float]:
    """A bell-like two-tone chime, samples in -CHIME_PEAK..CHIME_PEAK."""
    samples = []
    total = int(CHIME_SECS * rate)
    for i in range(total):
        t = i / rate
        value = 0.0
        for freq, start in CHIME_NOTES:
            dt = t - start
            if dt < 0:
                continue
            # Raised-cosine attack (no click), exponential decay like a struck bar.
            attack = 0.5 - 0.5 * math.cos(math.pi * min(1.0, dt / CHIME_ATTACK_SECS))
            envelope = attack * math.exp(-dt / CHIME_DECAY_SECS)
            # A little second harmonic, dying faster than the fundamental, makes it sound struck.
            tone = math.sin(2 * math.pi * freq * dt) + 0.25 * math.exp(-dt / 0.12) * math.sin(
                4 * math.pi * freq * dt
            )
            value += envelope * tone
        value *= min(1.0, (CHIME_SECS - t) / CHIME_TAIL_SECS)
        samples.append(value)
    peak = max(abs(s) for s in samples)
    return [s * CHIME_PEAK / peak for s in samples]


def write_chime(out: Path) -> None:
    """Write the chime as a pack-format WAV."""
    frames = b"".join(struct.pack("<h", round(s * 32767)) for s in chime_samples())
    with wave.open(str(out), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(RATE)
        writer.writeframes(frames)


def sox_duration(path: Path) -> float:
    """Duration in seconds reported by `sox --i -D`."""
    result = subprocess.run(["sox", "--i", "-D", str(path)], check=True, capture_output=True, text=True)
    return float(result.stdout.strip())


def sox_max_amplitude(path: Path) -> float:
    """Peak amplitude (0..1) reported by `sox FILE -n stat`."""
    result = subprocess.run(["sox", str(path), "-n", "stat"], check=True, capture_output=True, text=True)
    for line in result.stderr.splitlines():  # sox writes stat to stderr
        if line.startswith("Maximum amplitude:"):
            return float(line.split(":")[1])
    raise RuntimeError(f"sox stat gave no amplitude for {path}")


def check_pack(folder: Path) -> list[str]:
    """Print each clip's duration and peak; return the problems found (missing, silent, too long)."""
    problems = []
    for name in sorted([CHIME, *RECORDING_LIST]):
        path = folder / f"{name}.wav"
        if not path.is_file():
            problems.append(f"missing {path.name}")
            continue
        secs, peak = sox_duration(path), sox_max_amplitude(path)
        print(f"{name:16} {secs:5.2f} s  peak {peak:.2f}  {RECORDING_LIST.get(name, '(ding-dong)')}")
        if peak < 0.05:
            problems.append(f"{path.name} is silent")
        if name != CHIME and secs >= MAX_CLIP_SECS:
            problems.append(f"{path.name} lasts {secs:.2f} s (limit {MAX_CLIP_SECS} s)")
    total = sum(p.stat().st_size for p in folder.glob("*.wav"))
    print(f"{len(list(folder.glob('*.wav')))} clips, {total / 1024:.0f} KiB")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Generate (or only check) a voice pack; exit status 1 when the check finds a problem."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_PACK_DIR, help="pack folder (default: %(default)s)"
    )
    parser.add_argument("--voice", default=ESPEAK_VOICE, help="espeak-ng voice (default: %(default)s)")
    parser.add_argument("--wpm", type=int, default=ESPEAK_WPM, help="words per minute (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="only check an existing pack")
    args = parser.parse_args(argv)
    if not args.check:
        for tool in ("espeak-ng", "sox"):
            if shutil.which(tool) is None:
                parser.exit(1, f"{tool} not found: apt-get install espeak-ng sox\n")
        args.out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            for name, text in RECORDING_LIST.items():
                speak(text, args.out / f"{name}.wav", voice=args.voice, wpm=args.wpm, workdir=Path(tmp))
        write_chime(args.out / f"{CHIME}.wav")
    problems = check_pack(args.out)
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
