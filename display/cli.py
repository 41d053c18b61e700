"""`python -m display`: run the TV, take a screenshot for remote support, or play a test announcement.

Exit status: 0 done, 1 the screenshot or the sound failed, 2 bad arguments or config, 3 server unreachable or
refusing this display. Every failure is one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import queue
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from display.settings import ConfigError, DisplaySettings, load_settings, parse_size

log = logging.getLogger("display")

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")
SCREENSHOT_TIMEOUT_SECS = 10.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m display", description="Layar ruang tunggu Antre.")
    parser.add_argument("--config", help="config.toml (default: $ANTRE_CONFIG or ./config.toml)")
    parser.add_argument("--server", help="server URL, e.g. http://192.168.1.10:5000 (overrides [display] server)")
    parser.add_argument("--token", help="display device token (overrides [display] token); write --token=T "
                                        "when it starts with '-'")
    parser.add_argument("--screenshot", metavar="FILE.png", help="connect, draw the current screen into FILE, exit")
    parser.add_argument("--announce-test", nargs="*", metavar="NUMBER COUNTER",
                        help="play a sample call (default: A123 'Loket 3') and exit")
    parser.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    parser.add_argument("--size", help="window or screenshot size, e.g. 1366x768 (default 1920x1080)")
    parser.add_argument("--demo", choices=("empty", "calling", "busy", "disconnected"),
                        help="show a sample screen instead of connecting (with --screenshot: draw it)")
    parser.add_argument("--timeout", type=float, default=SCREENSHOT_TIMEOUT_SECS,
                        help="seconds to wait for the server with --screenshot (default 10)")
    return parser


def _settings(args: argparse.Namespace) -> DisplaySettings:
    extra: dict[str, Any] = {"server": args.server, "token": args.token}
    if args.size:
        extra["size"] = parse_size(args.size)
    if args.windowed:
        extra["fullscreen"] = False
    return load_settings(args.config, **extra)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="display: %(message)s")
    try:
        settings = _settings(args)
        if args.announce_test is not None:
            return announce_test(settings, args.announce_test)
        if args.screenshot:
            return screenshot(settings, args.screenshot, args.demo, args.timeout)
        return run(settings, args.demo)
    except ConfigError as exc:
        return _fail(EXIT_USAGE, str(exc))
    except KeyboardInterrupt:
        return EXIT_OK


def _fail(code: int, message: str) -> int:
    print(f"display: error: {message}", file=sys.stderr)
    return code


# ---------------------------------------------------------------------------------------------- screenshot
def screenshot(settings: DisplaySettings, file: str, demo: str | None, timeout: float) -> int:
    """Connect, wait for the snapshot, draw the screen into file, exit (remote support)."""
    target = Path(file)
    if target.suffix.lower() not in IMAGE_SUFFIXES:
        return _fail(EXIT_USAGE, f"--screenshot: expected a .png file name, got {file!r}")
    import pygame

    from display.samples import render_sample

    pygame.font.init()
    if demo:
        surface = render_sample(demo, settings.size, settings)
    else:
        surface = _live_surface(settings, timeout)
        if isinstance(surface, int):
            return surface
    try:
        pygame.image.save(surface, str(target))
    except (pygame.error, OSError) as exc:
        return _fail(EXIT_FAILED, f"cannot write {target}: {exc}")
    print(f"Tangkapan layar disimpan: {target}")
    return EXIT_OK


def _live_surface(settings: DisplaySettings, timeout: float) -> Any:
    import pygame

    from display.app import DisplayApp
    from display.client import ConnectFailed, DisplayClient

    client = DisplayClient(settings.server, settings.token)
    try:
        client.connect_once(timeout)
        app = DisplayApp(settings, client, pygame.Surface(settings.size))
        synced = app.run_until(lambda state: state.synced, timeout)
    except ConnectFailed as exc:
        return _fail(EXIT_UNREACHABLE, str(exc))
    finally:
        client.stop()
    if not synced:
        return _fail(EXIT_UNREACHABLE, f"no snapshot from {settings.server} within {timeout:g} s")
    return app.surface  # run_until drew the frame in which the snapshot had arrived


# ---------------------------------------------------------------------------------------------- voice
def announce_test(settings: DisplaySettings, words: list[str]) -> int:
    """Play a sample call through the configured voice pack and sound device, then exit."""
    from display.voice import DEFAULT_PACK_DIR, REQUIRED_CLIPS, compose_call, spoken_text
    from hardware.audio import AudioError, PygameAnnouncer, VoicePack

    if len(words) not in (0, 2):
        return _fail(EXIT_USAGE, "--announce-test: give a NUMBER and a COUNTER (e.g. A123 'Loket 3') or nothing")
    number, counter = words or ("A123", "Loket 3")
    try:
        clips = compose_call(number, counter)
    except ValueError as exc:
        return _fail(EXIT_USAGE, f"--announce-test: {exc}")
    failed: list[str] = []
    try:
        pack = VoicePack(settings.voice_pack or DEFAULT_PACK_DIR, REQUIRED_CLIPS)
        announcer = PygameAnnouncer(pack, volume=settings.volume, repeat=settings.repeat,
                                    timezone=settings.timezone,
                                    on_event=lambda e: failed.append(e.kind) if e.kind == "failed" else None)
    except AudioError as exc:
        return _fail(EXIT_FAILED, str(exc))
    print(spoken_text(clips))
    with announcer:
        announcer.announce(clips)
        finished = announcer.wait_idle(timeout=120)
    if failed or not finished:
        return _fail(EXIT_FAILED, "the sound device did not play the announcement (see the log above)")
    return EXIT_OK


def make_announcer(settings: DisplaySettings) -> Any:
    """The configured announcer, or None (voice off, or no usable pack or sound device: logged)."""
    if not settings.voice:
        return None
    from display.voice import DEFAULT_PACK_DIR, REQUIRED_CLIPS
    from hardware.audio import AudioError, PygameAnnouncer, VoicePack

    try:
        pack = VoicePack(settings.voice_pack or DEFAULT_PACK_DIR, REQUIRED_CLIPS)
        return PygameAnnouncer(pack, volume=settings.volume, repeat=settings.repeat, quiet=settings.quiet,
                               timezone=settings.timezone)
    except AudioError as exc:
        log.warning("no voice announcements: %s", exc)  # the screen still works without sound
        return None


# ---------------------------------------------------------------------------------------------- the TV
class DemoSource:
    """A stand-in client that replays one sample screen (for setting up a TV without a server)."""

    def __init__(self, name: str) -> None:
        from display.samples import busy_snapshot, calling_snapshot, catalog, empty_snapshot

        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        snapshot = {"empty": empty_snapshot, "busy": busy_snapshot}.get(name, calling_snapshot)()
        for item in (("services", catalog()), ("snapshot", snapshot)):
            self.events.put(item)
        if name == "calling":
            self.events.put(("ticket_called", {"number": "D012", "service": "KTP", "counter": "L04",
                                               "counter_name": "Loket 4", "seq": snapshot["seq"] + 1,
                                               "at": "2026-11-28T08:15:00+08:00"}))
        if name == "disconnected":
            self.events.put(("_disconnected", {}))

    def request_snapshot(self) -> bool:
        return False

    def stop(self) -> None:
        pass


def run(settings: DisplaySettings, demo: str | None = None) -> int:
    """Open the screen and show the queue until the window is closed, Esc is pressed or SIGTERM arrives."""
    import pygame

    from display.app import DisplayApp
    from display.client import DisplayClient

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    announcer = make_announcer(settings)  # before the display: it opens the mixer in the pack's format
    pygame.display.init()
    pygame.font.init()
    try:
        surface = _open_window(settings)
    except pygame.error as exc:
        return _fail(EXIT_FAILED, f"cannot open the screen: {exc}")
    client: Any = DemoSource(demo) if demo else DisplayClient(settings.server, settings.token)
    app = DisplayApp(settings, client, surface, announcer, present=pygame.display.update)
    if not demo:
        client.start()
    width, height = surface.get_size()
    voice = "suara aktif" if announcer is not None else "tanpa suara"
    print(f"Layar antrean berjalan: {demo or settings.server}, {width}x{height}, {voice}", flush=True)

    def window_events() -> None:
        for event in pygame.event.get():
            if event.type == pygame.QUIT or (event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE,
                                                                                             pygame.K_q)):
                stop.set()

    try:
        app.run(stop, on_idle=window_events)
    finally:
        client.stop()
        if announcer is not None:
            announcer.close()
        pygame.quit()
    return EXIT_OK


def _open_window(settings: DisplaySettings) -> Any:
    import pygame

    pygame.display.set_caption("Antre — layar antrean")
    if settings.fullscreen and os.environ.get("SDL_VIDEODRIVER") != "dummy":
        surface = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        pygame.mouse.set_visible(False)
        return surface
    return pygame.display.set_mode(settings.size)
