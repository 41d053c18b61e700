"""Phone numbers as the domain keeps them: E.164 (`+62812…`), masked for the clerk's eyes."""

from __future__ import annotations


def mask_phone(e164: str) -> str:
    """`+6281234567890` → `+62812*****890` (the clerk can tell numbers apart without reading them out)."""
    if len(e164) < 8:
        return "*" * len(e164)
    return e164[:6] + "*" * (len(e164) - 9) + e164[-3:]
