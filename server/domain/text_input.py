"""Checks on untrusted input before it reaches a parser or a database: how deep a JSON text nests (counted on the
raw bytes, so a 1,000-deep body never reaches the recursive parser) and whether every string is storable text
(no lone UTF-16 surrogate such as "\\ud800", which no UTF-8 database accepts, and no NUL)."""

from __future__ import annotations

import re
from typing import Any

MAX_JSON_DEPTH = 32  # the deepest body the API needs is a site entry (object → list → object): far below this

# A JSON string literal (escapes included) or one bracket; strings are skipped so "[[[" inside one is not nesting.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


def json_depth(raw: bytes, limit: int = MAX_JSON_DEPTH) -> int:
    """How deep `raw` nests arrays and objects, counting stops at `limit + 1` (enough to refuse it)."""
    depth = deepest = 0
    for match in _TOKENS.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif token in (b"]", b"}"):
            depth = max(depth - 1, 0)
    return deepest


def bad_text(value: str) -> bool:
    """True when `value` holds a NUL or a lone surrogate (text no database or UTF-8 encoder accepts)."""
    return _BAD_TEXT.search(value) is not None


def first_bad_string(data: Any, path: str = "") -> str | None:
    """The dotted path of the first key or string in `data` that is not storable text ("" for the top), or None.
    Walks iteratively: the structure may be as deep as its parser allowed."""
    stack: list[tuple[Any, str]] = [(data, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if bad_text(value):
                return where
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and bad_text(key):
                    return where or "(kunci)"
                stack.append((item, name))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(value))
    return None


def clean_text(value: Any, max_length: int = 512) -> str:
    """`value` as a string when it is storable text of at most `max_length` characters, else "" (for tokens and
    codes from a socket's `auth`, where anything unusable means "none given")."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return ""
    text = str(value).strip()
    return "" if len(text) > max_length or bad_text(text) else text
