"""Announcer adapter on pygame's mixer: one Sound per announcement, built from the pack's WAV frames."""

import io
import logging
import os
import time
from collections.abc import Callable, Iterable
from types import ModuleType

from hardware.audio.announcer import SITE_TIMEZONE, AnnouncerEvent, Clock, QueuedAnnouncer
from hardware.audio.pack import CLIP_GAP_SECS, REPEAT_GAP_SECS, AudioError, VoicePack, build_wav

logger = logging.getLogger(__name__)

CALL_REPEAT = 2  # each call is spoken twice: the first pass often only wakes people up
MIXER_BUFFER_FRAMES = 512  # small buffer: the call starts without a noticeable delay
POLL_SECS = 0.02  # how often the worker checks whether the Sound has finished
PLAYBACK_SLACK_SECS = 3.0  # a Sound still busy this long after its length means a stuck device


def _pygame() -> ModuleType:
    # Imported on use: pygame is heavy and prints a banner, and importing hardware.audio must stay cheap.
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    return pygame


def init_mixer(rate: int = 22050, channels: int = 1) -> bool:
    """Open the sound device in the pack's format unless already open; True if this call opened it."""
    pygame = _pygame()
    if pygame.mixer.get_init():
        return False
    # pre_init must come before init, or the mixer silently keeps its default format.
    pygame.mixer.pre_init(rate, -16, channels, MIXER_BUFFER_FRAMES)
    try:
        pygame.mixer.init()
    except pygame.error as exc:
        raise AudioError(f"cannot open the sound device: {exc}") from exc
    return True


class PygameAnnouncer(QueuedAnnouncer):
    """Plays each announcement `repeat` times as one Sound and waits for its end before the next."""

    def __init__(
        self,
        pack: VoicePack,
        *,
        volume: float = 1.0,
        repeat: int = CALL_REPEAT,
        gap_secs: float = CLIP_GAP_SECS,
        repeat_gap_secs: float = REPEAT_GAP_SECS,
        quiet: Iterable[str] = (),
        timezone: str = SITE_TIMEZONE,
        clock: Clock | None = None,
        on_event: Callable[[AnnouncerEvent], None] | None = None,
    ) -> None:
        super().__init__(quiet=quiet, timezone=timezone, clock=clock, on_event=on_event)
        if repeat < 1:
            raise ValueError(f"expected repeat >= 1, got {repeat}")
        self._pack = pack
        self._repeat = repeat
        self._gap_secs = gap_secs
        self._repeat_gap_secs = repeat_gap_secs
        self._volume = 1.0
        self.set_volume(volume)
        self._owns_mixer = init_mixer(pack.format.rate, pack.format.channels)

    @property
    def volume(self) -> float:
        """Playback volume, 0.0 (silent) to 1.0 (full)."""
        return self._volume

    def set_volume(self, volume: float) -> None:
        """Change the volume of the announcements that start after this call."""
        if not 0.0 <= volume <= 1.0:
            raise ValueError(f"expected a volume from 0.0 to 1.0, got {volume}")
        self._volume = volume

    def close(self, timeout: float = 5.0) -> None:
        """Stop the worker, then close the sound device if this announcer opened it."""
        super().close(timeout)
        if self._owns_mixer:
            self._owns_mixer = False
            _pygame().mixer.quit()

    def _check(self, clips: tuple[str, ...]) -> None:
        for clip in clips:
            self._pack.frames(clip)  # raises AudioError naming the clip

    def _play(self, clips: tuple[str, ...]) -> None:
        pygame = _pygame()
        data = build_wav(
            clips,
            self._pack,
            gap_secs=self._gap_secs,
            repeat=self._repeat,
            repeat_gap_secs=self._repeat_gap_secs,
        )
        try:
            sound = pygame.mixer.Sound(file=io.BytesIO(data))
            sound.set_volume(self._volume)
            channel = sound.play()
        except pygame.error as exc:
            raise AudioError(f"cannot play the announcement: {exc}") from exc
        if channel is None:
            raise AudioError("cannot play the announcement: no free mixer channel")
        deadline = time.monotonic() + sound.get_length() + PLAYBACK_SLACK_SECS
        # Polled, not an end event: pygame's event queue belongs to the display's frame loop.
        while channel.get_busy():
            if self._stopping.wait(POLL_SECS):
                channel.stop()
                return
            if time.monotonic() > deadline:
                channel.stop()
                raise AudioError("the sound device did not finish playing the announcement")
