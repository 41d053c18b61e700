"""Ticket numbers: PREFIX + 3 digits, one sequence per service per local day; prefix rules."""

from __future__ import annotations

import re

from .errors import Refused

NUMBER_DIGITS = 3
MAX_PER_DAY = 10**NUMBER_DIGITS - 1
# I and O are left out: on a TV and a thermal print they read as 1 and 0.
PREFIX_PATTERN = re.compile(r"^[A-HJ-NP-Z]{1,2}$")


def valid_prefix(prefix: str) -> bool:
    return bool(PREFIX_PATTERN.match(prefix))


def format_number(prefix: str, seq: int) -> str:
    """`A`, 7 → `A007`."""
    if not 1 <= seq <= MAX_PER_DAY:
        raise Refused("number_exhausted", f"Nomor antrean {prefix} hari ini sudah habis ({MAX_PER_DAY}).")
    return f"{prefix}{seq:0{NUMBER_DIGITS}d}"

