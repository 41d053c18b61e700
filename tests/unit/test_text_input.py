"""The input checks of issue 17, without a server: JSON depth counted on raw bytes (brackets inside strings and
escaped quotes are not nesting), and storable text (no lone surrogate, no NUL) found at any depth."""

from server.domain.text_input import MAX_JSON_DEPTH, bad_text, clean_text, first_bad_string, json_depth


def test_depth_is_counted_on_the_raw_bytes():
    assert json_depth(b"{}") == 1 and json_depth(b'{"a": [1, {"b": []}]}') == 4 and json_depth(b"7") == 0
    assert json_depth(b'{"a": "[[[[{{{{", "b": "\\"[[["}') == 1  # brackets inside strings, escaped quotes
    assert json_depth(b"[" * 100_000, limit=MAX_JSON_DEPTH) == MAX_JSON_DEPTH + 1  # stops counting early


def test_bad_text_is_a_lone_surrogate_or_nul():
    assert bad_text("\ud800") and bad_text("a\x00") and not bad_text("Budi Santoso 🙂 Rp10.000")
    assert first_bad_string({"a": [{"b": "ok"}, {"c": "\udfff"}]}) == "a[1].c"
    assert first_bad_string({"ok": ["x", 1, None, True]}) is None
    deep: list = []
    cur = deep
    for _ in range(5000):  # walked without recursion
        cur.append([])
        cur = cur[0]
    cur.append("\x00")
    assert first_bad_string(deep) is not None


def test_clean_text_turns_anything_unusable_into_no_value():
    assert clean_text(" abc ") == "abc" and clean_text(42) == "42"
    assert clean_text("\ud800") == clean_text({"a": 1}) == clean_text(True) == clean_text("x" * 600) == ""
