"""The index of Permenpan RB 14/2017 against hand-worked examples, every interval boundary, Krejcie & Morgan's
table, and the checks of one response (pure domain, no I/O)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from server.domain import survey as skm
from server.domain.errors import Invalid

# The worked example of docs/survey.md: four respondents, U1..U9.
WORKED = [
    [4, 4, 3, 4, 3, 4, 4, 3, 3],
    [3, 3, 3, 4, 3, 3, 4, 2, 3],
    [3, 4, 2, 4, 3, 3, 3, 3, 4],
    [4, 3, 3, 4, 4, 4, 4, 2, 3],
]


def as_answers(scores: list[int]) -> dict[str, int]:
    return dict(zip(skm.CODES, scores, strict=True))


def responses_with_total(n: int, total: int) -> list[dict[str, int]]:
    """`n` valid responses whose 9·n scores add up to `total` (spread as evenly as possible)."""
    cells = 9 * n
    base, extra = divmod(total, cells)
    flat = [base + (1 if i < extra else 0) for i in range(cells)]
    assert all(1 <= v <= 4 for v in flat)
    return [as_answers(flat[i * 9:(i + 1) * 9]) for i in range(n)]


def test_the_worked_example_gives_nrr_per_element_and_ikm_83_33_grade_b() -> None:
    index = skm.compute_index(as_answers(r) for r in WORKED)
    assert index is not None and index.respondents == 4
    nrr = {e.code: e.nrr for e in index.elements}
    assert nrr == {"U1": Fraction(7, 2), "U2": Fraction(7, 2), "U3": Fraction(11, 4), "U4": Fraction(4),
                   "U5": Fraction(13, 4), "U6": Fraction(7, 2), "U7": Fraction(15, 4), "U8": Fraction(5, 2),
                   "U9": Fraction(13, 4)}
    assert {e.code: e.total for e in index.elements}["U8"] == 10
    assert index.elements[0].weighted == Fraction(7, 18)  # 3.5 × 1/9 = 0.3889
    assert index.unit == Fraction(10, 3)  # Σ weighted NRR = 30/9 = 3.3333
    assert index.ikm == Decimal("83.33")
    assert (index.grade.mutu, index.grade.kinerja) == ("B", "Baik")
    assert index.weakest == ("U8",)
    u8 = index.elements[7]
    assert (u8.converted, u8.grade.mutu) == (Decimal("62.50"), "D")  # an element's own mutu: 2.5 × 25


def test_all_fours_is_exactly_100_and_all_ones_exactly_25() -> None:
    best = skm.compute_index([as_answers([4] * 9)] * 3)
    worst = skm.compute_index([as_answers([1] * 9)])
    assert best is not None and worst is not None
    assert (best.ikm, best.grade.mutu) == (Decimal("100.00"), "A")  # with 0.111 instead of 1/9 it would be 99.90
    assert (worst.ikm, worst.grade.mutu) == (Decimal("25.00"), "D")


def test_no_responses_is_no_index() -> None:
    assert skm.compute_index([]) is None


@pytest.mark.parametrize(("value", "mutu", "kinerja"), [
    ("25.00", "D", "Tidak baik"), ("64.99", "D", "Tidak baik"),
    ("65.00", "C", "Kurang baik"), ("76.60", "C", "Kurang baik"),
    ("76.61", "B", "Baik"), ("88.30", "B", "Baik"),
    ("88.31", "A", "Sangat baik"), ("100.00", "A", "Sangat baik"),
])
def test_each_boundary_of_the_interval_table(value: str, mutu: str, kinerja: str) -> None:
    row = skm.grade(Decimal(value))
    assert (row.mutu, row.kinerja) == (mutu, kinerja)


# (n respondents, Σ of all scores) found so that the converted index lands exactly on each boundary after rounding:
# 25·T/(9n), e.g. 25·717/(9·26) = 76.6026 → 76.60 (C) and 25·524/(9·19) = 76.6082 → 76.61 (B).
@pytest.mark.parametrize(("n", "total", "ikm", "mutu"), [
    (38, 889, "64.99", "D"), (5, 117, "65.00", "C"), (26, 717, "76.60", "C"), (19, 524, "76.61", "B"),
    (19, 604, "88.30", "B"), (24, 763, "88.31", "A"),
])
def test_real_response_sets_on_each_boundary(n: int, total: int, ikm: str, mutu: str) -> None:
    index = skm.compute_index(responses_with_total(n, total))
    assert index is not None
    assert (index.ikm, index.grade.mutu) == (Decimal(ikm), mutu)


def test_rounding_is_half_up_on_the_exact_value_not_on_a_binary_float() -> None:
    assert skm.round2(Fraction(15321, 200)) == Decimal("76.61")  # exactly 76.605 → 76.61 (B)
    assert skm.round2(Fraction(30641, 400)) == Decimal("76.60")  # exactly 76.6025 → 76.60 (C)
    assert skm.round2(Fraction(76604999, 1000000)) == Decimal("76.60")
    assert skm.grade(skm.round2(Fraction(15321, 200))).mutu == "B"


def test_a_value_with_more_than_two_decimals_falls_in_no_row() -> None:
    with pytest.raises(ValueError):
        skm.grade(Decimal("76.605"))


KREJCIE_MORGAN = [(10, 10), (15, 14), (20, 19), (50, 44), (100, 80), (150, 108), (200, 132), (300, 169), (500, 217),
                  (1000, 278), (2000, 322), (5000, 357), (10000, 370), (20000, 377), (50000, 381), (100000, 384),
                  (1000000, 384)]


@pytest.mark.parametrize(("population", "sample"), KREJCIE_MORGAN)
def test_minimum_sample_follows_krejcie_and_morgan(population: int, sample: int) -> None:
    assert skm.minimum_sample(population) == sample


def test_minimum_sample_of_tiny_or_empty_populations() -> None:
    assert skm.minimum_sample(0) == 0
    assert skm.minimum_sample(1) == 1
    assert skm.minimum_sample(5) == 5


def test_answers_need_all_nine_elements_with_scores_one_to_four() -> None:
    good = as_answers([4] * 9)
    assert skm.check_answers(good) == good
    missing = dict(good)
    del missing["U5"]
    cases = [(missing, "missing_element"), (good | {"U3": 5}, "invalid_score"), (good | {"U3": 0}, "invalid_score"),
             (good | {"U3": "4"}, "invalid_score"), (good | {"U3": True}, "invalid_score"),
             (good | {"U10": 3}, "unknown_element"), ([4] * 9, "invalid_answers")]
    for answers, code in cases:
        with pytest.raises(Invalid) as exc:
            skm.check_answers(answers)
        assert exc.value.code == code, answers
        assert exc.value.status == 422


def test_profile_and_comment_checks() -> None:
    assert skm.check_profile({"sex": "P", "age": "30_39", "education": ""}) == {"sex": "P", "age": "30_39"}
    with pytest.raises(Invalid):
        skm.check_profile({"nik": "6472"})
    with pytest.raises(Invalid):
        skm.check_profile({"sex": "X"})
    assert skm.check_comment("  Antrean cepat  ") == "Antrean cepat"
    with pytest.raises(Invalid) as exc:
        skm.check_comment("a" * 10_000)
    assert exc.value.code == "comment_too_long"


def test_follow_up_needs_a_known_state_and_a_reply_once_handled() -> None:
    assert skm.check_follow_up("selesai", " Kursi ditambah ") == ("selesai", "Kursi ditambah")
    assert skm.check_follow_up("baru", "") == ("baru", "")
    for state, reply, code in (("ditolak", "x", "invalid_state"), ("selesai", " ", "reply_required")):
        with pytest.raises(Invalid) as exc:
            skm.check_follow_up(state, reply)
        assert exc.value.code == code


def test_the_questionnaire_has_nine_elements_with_four_answers_each() -> None:
    assert [e[0] for e in skm.ELEMENTS] == list(skm.CODES)
    assert all(len(e[3]) == 4 for e in skm.ELEMENTS)
    assert skm.ELEMENTS[7][1][0].startswith("Penanganan pengaduan") and skm.ELEMENTS[8][1][0] == "Sarana dan prasarana"
