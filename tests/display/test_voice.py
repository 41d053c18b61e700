"""Tests of the Indonesian voice-call composer and of the default voice pack it relies on."""

import wave

import pytest
from hypothesis import given
from hypothesis import strategies as st
from num2words import num2words

from display.voice import (
    CHIME,
    DEFAULT_PACK_DIR,
    LETTER_NAMES,
    RECORDING_LIST,
    REQUIRED_CLIPS,
    compose_call,
    compose_event,
    counter_number,
    digit_clips,
    letter_clip,
    number_clips,
    parse_ticket,
    spoken_text,
)
from hardware.audio import VoicePack, build_wav, wav_duration

PACK_FILES = frozenset(path.stem for path in DEFAULT_PACK_DIR.glob("*.wav"))


@given(st.integers(min_value=1, max_value=999))
def test_every_ticket_number_is_spoken_with_existing_clips_as_num2words_says(n: int) -> None:
    clips = number_clips(n)
    assert set(clips) <= REQUIRED_CLIPS
    assert set(clips) <= PACK_FILES
    assert spoken_text(clips) == num2words(n, lang="id")


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (7, "tujuh"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (123, "seratus dua puluh tiga"),
        (200, "dua ratus"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
    ],
)
def test_numbers_are_read_as_indonesian_words(n: int, words: str) -> None:
    assert spoken_text(number_clips(n)) == words


def test_numbers_outside_the_pack_are_refused() -> None:
    with pytest.raises(ValueError, match="0 to 1000"):
        number_clips(1001)


@pytest.mark.parametrize(
    ("letter", "name"), [("A", "a"), ("B", "be"), ("C", "ce"), ("Q", "ki"), ("X", "eks")]
)
def test_letters_are_read_by_their_indonesian_names(letter: str, name: str) -> None:
    assert RECORDING_LIST[letter_clip(letter)] == name


def test_every_letter_has_a_clip_including_i_and_o() -> None:
    assert len(LETTER_NAMES) == 26
    assert {letter_clip(letter) for letter in LETTER_NAMES} <= REQUIRED_CLIPS


def test_a_call_is_chime_then_number_then_loket() -> None:
    clips = compose_call("A123", "Loket 3")
    assert clips[0] == CHIME
    assert spoken_text(clips) == "nomor antrean a seratus dua puluh tiga silakan menuju loket tiga"


def test_leading_zeros_are_not_read_in_words_mode() -> None:
    assert spoken_text(compose_call("A007", "Loket 1")) == "nomor antrean a tujuh silakan menuju loket satu"


def test_spell_digits_reads_every_printed_digit() -> None:
    assert spoken_text(compose_call("A123", "Loket 3", spell_digits=True)).startswith(
        "nomor antrean a satu dua tiga silakan"
    )
    assert digit_clips("007") == ["nol", "nol", "tujuh"]
    assert digit_clips("0123") == ["nol", "satu", "dua", "tiga"]


def test_two_letter_prefixes_are_read_letter_by_letter() -> None:
    assert spoken_text(compose_call("AB007", "L02")).startswith("nomor antrean a be tujuh")


def test_the_loket_number_is_always_read_in_words() -> None:
    clips = compose_call("B005", "Loket 12", spell_digits=True)
    assert spoken_text(clips).endswith("silakan menuju loket dua belas")


@pytest.mark.parametrize(
    ("counter", "number"), [("Loket 3", 3), ("L03", 3), ("Loket 12", 12), (7, 7), ("L14", 14)]
)
def test_counter_number_comes_from_a_name_or_a_code(counter: str | int, number: int) -> None:
    assert counter_number(counter) == number


def test_a_recall_is_prefixed_with_panggilan_ulang() -> None:
    clips = compose_call("A123", "Loket 3", recall=True)
    assert clips[:3] == [CHIME, "panggilan_ulang", "nomor_antrean"]


def test_a_ticket_called_event_uses_the_counter_code_when_the_name_has_no_number() -> None:
    event = {"number": "C010", "counter": "L05", "counter_name": "Loket Prioritas", "recall": False}
    assert spoken_text(compose_event(event)).endswith("loket lima")
    assert spoken_text(compose_event({**event, "counter_name": "Loket 9"})).endswith("loket sembilan")


def test_a_ticket_called_event_without_any_loket_number_still_calls_the_ticket() -> None:
    clips = compose_event({"number": "C010", "counter": "PRIO", "counter_name": "Prioritas", "recall": True})
    assert spoken_text(clips) == "panggilan ulang nomor antrean ce sepuluh silakan menuju loket"


@pytest.mark.parametrize("bad", ["", "123", "A", "A-12", "A12B"])
def test_malformed_ticket_numbers_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="ticket number"):
        parse_ticket(bad)


def test_the_default_pack_has_every_required_clip_in_the_pack_format() -> None:
    pack = VoicePack(DEFAULT_PACK_DIR, REQUIRED_CLIPS)
    assert (pack.format.channels, pack.format.sample_width, pack.format.rate) == (1, 2, 22050)
    for clip in REQUIRED_CLIPS - {CHIME}:
        assert 0.1 < pack.duration(clip) < 1.5, clip
    assert 0.8 < pack.duration(CHIME) < 1.5
    assert sum(path.stat().st_size for path in DEFAULT_PACK_DIR.glob("*.wav")) < 2 * 1024 * 1024


def test_a_typical_call_lasts_a_few_seconds_per_pass() -> None:
    pack = VoicePack(DEFAULT_PACK_DIR, REQUIRED_CLIPS)
    data = build_wav(compose_call("A123", "Loket 3"), pack)
    with wave.open(str(DEFAULT_PACK_DIR / "chime.wav")) as chime:
        assert chime.getnframes() > 0
    assert 4.0 < wav_duration(data) < 10.0
