"""While every service is closed and nobody has been called, the TV says when service starts (from the services
catalog's `next_open`) instead of "Belum ada panggilan"."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pygame
import pytest

from display.draw import Fonts
from display.render import Renderer
from display.samples import SAMPLE_NOW, SAMPLE_OPENING, catalog, empty_snapshot, sample_settings
from display.state import DisplayState, apply, first_opening, initial_state
from display.texts import format_opening

WITA = ZoneInfo("Asia/Makassar")
SATURDAY_DAWN = datetime(2026, 11, 28, 5, 15, tzinfo=WITA)


@pytest.mark.parametrize("opens, language, text", [
    (datetime(2026, 11, 28, 8, 0, tzinfo=WITA), "id", "Layanan dibuka pukul 08.00"),
    (datetime(2026, 11, 28, 8, 0, tzinfo=WITA), "en", "Service starts at 08.00"),
    (datetime(2026, 11, 29, 8, 0, tzinfo=WITA), "id", "Layanan dibuka besok, 08.00"),
    (datetime(2026, 11, 30, 8, 0, tzinfo=WITA), "id", "Layanan dibuka Senin, 08.00"),
    (datetime(2026, 12, 7, 8, 0, tzinfo=WITA), "en", "Service starts Monday, 7 December, 08.00"),
])
def test_the_start_of_service_is_worded_from_the_tv_clock(opens: datetime, language: str, text: str) -> None:
    assert format_opening(opens, SATURDAY_DAWN, language) == text


def state_with(items: list[dict]) -> DisplayState:
    return apply(apply(initial_state(), "services", items), "snapshot", empty_snapshot())


def test_the_first_opening_needs_every_service_closed() -> None:
    items = catalog(SAMPLE_OPENING)
    items[3]["next_open"] = f"{SAMPLE_NOW.date()}T09:30+08:00"
    assert first_opening(state_with(items)) == SAMPLE_OPENING
    items[0]["next_open"] = None  # open now, or a used-up quota: service has started
    assert first_opening(state_with(items)) is None
    assert first_opening(state_with(catalog())) is None


def words_on(state: DisplayState, now: datetime, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    fitted = Fonts.fitted

    def record(self: Fonts, line: str, *args: object, **kwargs: object) -> pygame.Surface:
        seen.append(line)
        return fitted(self, line, *args, **kwargs)

    monkeypatch.setattr(Fonts, "fitted", record)
    Renderer((1366, 768), sample_settings()).draw(pygame.Surface((1366, 768)), state, now, 1.0)
    return seen


def test_before_opening_the_tv_says_when_service_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    words = words_on(state_with(catalog(SAMPLE_OPENING)), SAMPLE_NOW.replace(hour=5), monkeypatch)
    assert "Layanan dibuka pukul 08.00" in words and "Belum ada panggilan" not in words


def test_once_the_opening_time_has_passed_the_tv_says_no_calls_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    # The catalog is fetched on connect: a stale "opens at 08.00" must not outlive 08.00.
    words = words_on(state_with(catalog(SAMPLE_OPENING)), SAMPLE_NOW, monkeypatch)
    assert "Belum ada panggilan" in words and not any(w.startswith("Layanan dibuka") for w in words)
