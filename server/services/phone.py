"""Phone numbers as citizens type them (`0812…`, `62812…`, `+62 812-…`), normalised to E.164 (`+62812…`) with
`phonenumbers` (Google's libphonenumber metadata) — a library, so it lives here and not in the pure domain."""

from __future__ import annotations

import phonenumbers

from ..domain.errors import Invalid

DEFAULT_REGION = "ID"
MAX_PHONE_CHARS = 32


def normalize_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """E.164 form of a phone number typed in `region`; raises Invalid when it is not a possible, valid number."""
    raw = text.strip()
    if not raw or len(raw) > MAX_PHONE_CHARS:
        raise Invalid("invalid_phone", "Nomor HP tidak valid (contoh: 0812 3456 7890).", field="phone")
    if raw.startswith("62") and not raw.startswith("+"):
        raw = "+" + raw  # "6281234..." typed without the plus
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise Invalid("invalid_phone", "Nomor HP tidak valid (contoh: 0812 3456 7890).", field="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise Invalid("invalid_phone", "Nomor HP tidak valid (contoh: 0812 3456 7890).", field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
