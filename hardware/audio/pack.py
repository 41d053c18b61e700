"""Voice packs (a folder of WAV clips) and building one WAV per announcement from their frames."""

import io
import wave
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

CLIP_GAP_SECS = 0.08  # silence between clips: words stay distinct in an echoing hall
REPEAT_GAP_SECS = 0.8  # silence between the passes of one announcement


class AudioError(Exception):
    """A voice pack or the sound device cannot be used; the message says which file or device."""


@dataclass(frozen=True, slots=True)
class ClipFormat:
    """Sample format shared by every clip of a pack."""

    channels: int
    sample_width: int  # bytes per sample
    rate: int  # frames per second

    def silence(self, secs: float) -> bytes:
        """Frames of silence lasting secs (8-bit WAV is unsigned, so its silence is 0x80)."""
        frames = round(secs * self.rate)
        fill = b"\x80" if self.sample_width == 1 else b"\x00"
        return fill * (frames * self.channels * self.sample_width)


class VoicePack:
    """The clips of one folder (`<name>.wav`), loaded and checked at once so a gap shows at startup."""

    def __init__(self, path: str | Path, required: Iterable[str] = ()) -> None:
        self.path = Path(path)
        if not self.path.is_dir():
            raise AudioError(f"voice pack folder not found: {self.path}")
        missing = sorted(name for name in required if not (self.path / f"{name}.wav").is_file())
        if missing:
            listed = ", ".join(f"{name}.wav" for name in missing)
            raise AudioError(f"voice pack {self.path} lacks {len(missing)} clip(s): {listed}")
        self._frames: dict[str, bytes] = {}
        self._format: ClipFormat | None = None
        for file in sorted(self.path.glob("*.wav")):
            self._load(file)
        if self._format is None:
            raise AudioError(f"voice pack {self.path} holds no .wav clips")
        self.format: ClipFormat = self._format

    def _load(self, file: Path) -> None:
        try:
            with wave.open(str(file), "rb") as reader:
                fmt = ClipFormat(reader.getnchannels(), reader.getsampwidth(), reader.getframerate())
                frames = reader.readframes(reader.getnframes())
        except (OSError, EOFError, wave.Error) as exc:
            raise AudioError(f"voice pack clip {file} is not a readable PCM WAV: {exc}") from exc
        if not frames:
            raise AudioError(f"voice pack clip {file} is empty")
        if self._format is None:
            self._format = fmt
        elif fmt != self._format:
            # Frames are joined byte for byte, so one odd clip would play as noise or at the wrong speed.
            raise AudioError(
                f"voice pack clip {file} is {describe(fmt)}, the others are {describe(self._format)}"
            )
        self._frames[file.stem] = frames

    @property
    def names(self) -> frozenset[str]:
        """Names of all clips in the pack."""
        return frozenset(self._frames)

    def frames(self, clip: str) -> bytes:
        """Raw PCM frames of one clip."""
        try:
            return self._frames[clip]
        except KeyError:
            raise AudioError(f"voice pack {self.path} has no clip {clip!r} ({clip}.wav)") from None

    def duration(self, clip: str) -> float:
        """Length of one clip in seconds."""
        fmt = self.format
        return len(self.frames(clip)) / (fmt.channels * fmt.sample_width * fmt.rate)


def describe(fmt: ClipFormat) -> str:
    """Human-readable format, e.g. "mono 16-bit 22050 Hz"."""
    layout = {1: "mono", 2: "stereo"}.get(fmt.channels, f"{fmt.channels}-channel")
    return f"{layout} {fmt.sample_width * 8}-bit {fmt.rate} Hz"


def build_wav(
    clips: Sequence[str],
    pack: VoicePack | str | Path,
    *,
    gap_secs: float = CLIP_GAP_SECS,
    repeat: int = 1,
    repeat_gap_secs: float = REPEAT_GAP_SECS,
) -> bytes:
    """One WAV file (bytes) playing the clips in order with short gaps, the whole sequence `repeat` times."""
    if not clips:
        raise ValueError("expected at least one clip")
    if repeat < 1:
        raise ValueError(f"expected repeat >= 1, got {repeat}")
    if not isinstance(pack, VoicePack):
        pack = VoicePack(pack, required=clips)
    fmt = pack.format
    gap = fmt.silence(gap_secs)
    one_pass = gap.join(pack.frames(clip) for clip in clips)
    frames = fmt.silence(repeat_gap_secs).join([one_pass] * repeat)
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(fmt.channels)
        writer.setsampwidth(fmt.sample_width)
        writer.setframerate(fmt.rate)
        writer.writeframes(frames)
    return out.getvalue()


def wav_duration(data: bytes) -> float:
    """Length in seconds of a WAV file held in memory."""
    with wave.open(io.BytesIO(data), "rb") as reader:
        return reader.getnframes() / reader.getframerate()
