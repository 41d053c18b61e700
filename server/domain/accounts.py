"""Who acts: the principal behind a bearer token (a user or a device), as the use cases see it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a bearer token speaks for: a user or a device."""

    kind: str  # user | device
    name: str
    role: str  # admin | clerk | kiosk | display
    counters: tuple[str, ...] = ()
    id: int = 0
