"""Voice announcements: the Announcer port, its pygame adapter and fake, and voice packs of WAV clips."""

from hardware.audio.announcer import (
    SITE_TIMEZONE,
    Announcer,
    AnnouncerEvent,
    FakeAnnouncer,
    QueuedAnnouncer,
    QuietPeriod,
    parse_quiet_hours,
)
from hardware.audio.pack import (
    CLIP_GAP_SECS,
    REPEAT_GAP_SECS,
    AudioError,
    ClipFormat,
    VoicePack,
    build_wav,
    wav_duration,
)
from hardware.audio.pygame_announcer import CALL_REPEAT, PygameAnnouncer, init_mixer

__all__ = [
    "CALL_REPEAT",
    "CLIP_GAP_SECS",
    "REPEAT_GAP_SECS",
    "SITE_TIMEZONE",
    "Announcer",
    "AnnouncerEvent",
    "AudioError",
    "ClipFormat",
    "FakeAnnouncer",
    "PygameAnnouncer",
    "QueuedAnnouncer",
    "QuietPeriod",
    "VoicePack",
    "build_wav",
    "init_mixer",
    "parse_quiet_hours",
    "wav_duration",
]
