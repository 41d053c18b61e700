"""Composes Indonesian voice calls ("nomor antrean, A, seratus dua puluh tiga, ...") as lists of clip names."""

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from num2words import num2words

DEFAULT_PACK_DIR = Path(__file__).resolve().parent / "voicepack"
CHIME = "chime"

# Letters are read by their Indonesian names, the way a clerk reads a ticket prefix aloud.
LETTER_NAMES: dict[str, str] = {
    "A": "a", "B": "be", "C": "ce", "D": "de", "E": "e", "F": "ef", "G": "ge", "H": "ha", "I": "i",
    "J": "je", "K": "ka", "L": "el", "M": "em", "N": "en", "O": "o", "P": "pe", "Q": "ki", "R": "er",
    "S": "es", "T": "te", "U": "u", "V": "fe", "W": "we", "X": "eks", "Y": "ye", "Z": "zet",
}  # fmt: skip

DIGIT_WORDS: tuple[str, ...] = (
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
)  # fmt: skip
# Every word num2words(n, lang="id") uses for 0..1000; each word is one clip named after it.
NUMBER_WORDS: tuple[str, ...] = DIGIT_WORDS + (
    "sepuluh", "sebelas", "belas", "puluh", "seratus", "ratus", "seribu",
)  # fmt: skip
MAX_NUMBER = 1000

PHRASES: dict[str, str] = {
    "nomor_antrean": "nomor antrean",
    "silakan_menuju": "silakan menuju",
    "loket": "loket",
    "panggilan_ulang": "panggilan ulang",
}

_TICKET_RE = re.compile(r"([A-Z]+)(\d+)")
_DIGITS_RE = re.compile(r"\d+")


def letter_clip(letter: str) -> str:
    """Name of the clip that speaks one letter, e.g. "B" -> "huruf_b" ("be")."""
    if letter.upper() not in LETTER_NAMES:
        raise ValueError(f"expected one letter A-Z, got {letter!r}")
    return f"huruf_{letter.lower()}"


# clip name -> the exact word or phrase recorded in it (the chime is not speech, see CHIME)
RECORDING_LIST: dict[str, str] = {
    **PHRASES,
    **{letter_clip(letter): name for letter, name in LETTER_NAMES.items()},
    **{word: word for word in NUMBER_WORDS},
}
REQUIRED_CLIPS: frozenset[str] = frozenset(RECORDING_LIST) | {CHIME}


def number_clips(n: int) -> list[str]:
    """Clips that read n (0..1000) as Indonesian words, e.g. 123 -> seratus dua puluh tiga."""
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"expected a number from 0 to {MAX_NUMBER}, got {n}")
    words = num2words(n, lang="id").split()
    unknown = [word for word in words if word not in NUMBER_WORDS]
    if unknown:
        # A num2words release that spells numbers differently must fail loudly, not play silence.
        raise ValueError(f"num2words gave words without a clip for {n}: {unknown}")
    return words


def digit_clips(digits: str) -> list[str]:
    """Clips that read a digit string one digit at a time, e.g. "007" -> nol nol tujuh."""
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"expected digits 0-9, got {digits!r}")
    return [DIGIT_WORDS[int(digit)] for digit in digits]


def parse_ticket(number: str) -> tuple[str, str]:
    """Split a ticket number like "AB007" into its prefix letters and digits ("AB", "007")."""
    match = _TICKET_RE.fullmatch(number.strip().upper())
    if match is None:
        raise ValueError(f"expected a ticket number like 'A123' (letters then digits), got {number!r}")
    return match.group(1), match.group(2)


def counter_number(counter: str | int) -> int:
    """The number a loket is called by: "Loket 3" -> 3, code "L03" -> 3, 12 -> 12."""
    if isinstance(counter, int):
        return counter
    runs = _DIGITS_RE.findall(counter)
    if not runs:
        raise ValueError(
            f"expected a loket name or code with a number (e.g. 'Loket 3', 'L03'), got {counter!r}"
        )
    # The last run of digits is the loket's own number ("Lantai 2 Loket 5" is loket 5).
    return int(runs[-1])


def compose_call(
    number: str, counter: str | int | None, *, spell_digits: bool = False, recall: bool = False
) -> list[str]:
    """Clips for one pass of a call: chime, [panggilan ulang,] nomor antrean, letters, number, loket."""
    prefix, digits = parse_ticket(number)
    clips = [CHIME]
    if recall:
        clips.append("panggilan_ulang")
    clips.append("nomor_antrean")
    clips.extend(letter_clip(letter) for letter in prefix)
    clips.extend(digit_clips(digits) if spell_digits else number_clips(int(digits)))
    clips.extend(["silakan_menuju", "loket"])
    if counter is not None:
        # A loket is always read as a number in words: "loket dua belas", never "satu dua".
        clips.extend(number_clips(counter_number(counter)))
    return clips


def compose_event(event: Mapping[str, object], *, spell_digits: bool = False) -> list[str]:
    """Clips for a `ticket_called` payload; the loket number comes from counter_name, else the code."""
    counter: int | None = None
    for key in ("counter_name", "counter"):
        value = event.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool):
            try:
                counter = counter_number(value)
                break
            except ValueError:
                continue  # a loket named without a number ("Loket Prioritas"): try its code
    return compose_call(
        str(event["number"]), counter, spell_digits=spell_digits, recall=bool(event.get("recall", False))
    )


def spoken_text(clips: Iterable[str]) -> str:
    """The words the clips say, e.g. for a subtitle or a log line (the chime says nothing)."""
    return " ".join(RECORDING_LIST[clip] for clip in clips if clip != CHIME)
