"""NIK (Nomor Induk Kependudukan) rules: the hard 16-digit check, soft checks as warnings, the keyed hash, masking.

A NIK reads PP KK CC DDMMYY SSSS: province, regency/city, district, birth date (day + 40 for women), serial.
Only the length is a hard rule: the soft checks warn, because real cards exist that break them (old regions,
corrected records). The NIK itself is never stored: only an HMAC keyed by the server secret and its last 4 digits.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

from .errors import Invalid

NIK_LENGTH = 16
# Province codes of Kemendagri (incl. the Papua provinces formed in 2022).
PROVINCES = frozenset({
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65,
    71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96,
})
FEMALE_DAY_OFFSET = 40
_SEPARATORS = str.maketrans("", "", " .-")


@dataclass(frozen=True, slots=True)
class NikWarning:
    code: str  # nik_region | nik_birth_date | nik_serial
    message: str


@dataclass(frozen=True, slots=True)
class NikCheck:
    """A NIK that passed the hard rule, with what the soft checks found."""

    nik: str
    warnings: tuple[NikWarning, ...] = ()
    sex: str | None = None  # "L" or "P" (from the day field)
    birth_date: date | None = None

    @property
    def last4(self) -> str:
        return self.nik[-4:]


def normalize_nik(text: str) -> str:
    """Drop the spaces, dots and dashes people type between digit groups."""
    return text.strip().translate(_SEPARATORS)


def _birth_date(nik: str, today: date) -> tuple[date | None, str | None]:
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "P" if day > FEMALE_DAY_OFFSET else "L"
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
    century = 2000 if 2000 + yy <= today.year else 1900
    try:
        born = date(century + yy, month, day)
    except ValueError:
        return None, None
    return (born, sex) if born <= today else (None, None)


def check_nik(text: str, today: date) -> NikCheck:
    """Validate a NIK typed by a citizen: raises Invalid unless it is exactly 16 digits; soft problems are warnings."""
    nik = normalize_nik(text)
    if len(nik) != NIK_LENGTH or not nik.isascii() or not nik.isdigit():
        raise Invalid("invalid_nik", "NIK harus tepat 16 angka (lihat KTP atau Kartu Keluarga).", field="nik")
    warnings: list[NikWarning] = []
    if int(nik[:2]) not in PROVINCES or nik[2:4] == "00" or nik[4:6] == "00":
        warnings.append(NikWarning("nik_region", "Kode wilayah pada NIK (6 angka pertama) tidak dikenal."))
    born, sex = _birth_date(nik, today)
    if born is None:
        warnings.append(NikWarning("nik_birth_date", "Tanggal lahir pada NIK (angka ke-7 sampai ke-12) tidak valid."))
    if nik[12:] == "0000":
        warnings.append(NikWarning("nik_serial", "Nomor urut pada NIK (4 angka terakhir) tidak boleh 0000."))
    return NikCheck(nik, tuple(warnings), sex, born)


def nik_hmac(secret: bytes, nik: str) -> str:
    """The keyed hash stored instead of the NIK: equal NIKs match, but it cannot be reversed without the secret."""
    return hmac.new(secret, b"antre-nik:" + nik.encode(), hashlib.sha256).hexdigest()


def mask_nik(nik: str) -> str:
    """`6472051234560001` → `6472********0001` (for the moment a full NIK is at hand, e.g. right after typing)."""
    return nik[:4] + "*" * (NIK_LENGTH - 8) + nik[-4:]


def mask_last4(last4: str) -> str:
    """What is shown for a stored NIK, of which only the last 4 digits are kept: `************0001`."""
    return "*" * (NIK_LENGTH - 4) + last4
