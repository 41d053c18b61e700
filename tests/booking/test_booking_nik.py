"""NIK rules (hard length, soft region / birth date / serial warnings), the keyed hash, masking; phone numbers
to E.164; booking codes in the unambiguous alphabet."""

from datetime import date

import pytest

from server.domain.booking import BOOKING_ALPHABET, CODE_LENGTH, make_code, normalize_code
from server.domain.errors import Invalid
from server.domain.nik import check_nik, mask_last4, mask_nik, nik_hmac
from server.domain.phone import mask_phone
from server.services.phone import normalize_phone

TODAY = date(2026, 11, 30)


def codes(nik):
    return [w.code for w in check_nik(nik, TODAY).warnings]


@pytest.mark.parametrize("text", ["647205120390001", "64720512039000011", "64720512039O0001", "", "6472-0512-0390-00a1",
                                  "６４７２０５１２０３９００００１"])
def test_a_nik_that_is_not_exactly_16_digits_is_refused(text):
    with pytest.raises(Invalid) as err:
        check_nik(text, TODAY)
    assert err.value.code == "invalid_nik" and err.value.status == 422


def test_a_well_formed_nik_has_no_warnings_and_gives_sex_and_birth_date():
    man = check_nik("6472051203900001", TODAY)
    woman = check_nik("6472055203900002", TODAY)  # day 52 = 12 + 40: a woman born 12 March 1990
    assert man.warnings == () and (man.sex, man.birth_date) == ("L", date(1990, 3, 12))
    assert woman.warnings == () and (woman.sex, woman.birth_date) == ("P", date(1990, 3, 12))
    assert man.last4 == "0001"


def test_spaces_dots_and_dashes_between_digit_groups_are_ignored():
    assert check_nik(" 6472 0512.0390-0001 ", TODAY).nik == "6472051203900001"


@pytest.mark.parametrize("nik, warning", [
    ("9972051203900001", "nik_region"),      # no province 99
    ("6400051203900001", "nik_region"),      # regency 00
    ("6472001203900001", "nik_region"),      # district 00
    ("6472053203900001", "nik_birth_date"),  # day 32
    ("6472057203900001", "nik_birth_date"),  # 72 - 40 = day 32
    ("6472051213900001", "nik_birth_date"),  # month 13
    ("6472052902010001", "nik_birth_date"),  # 29 February 2001
    ("6472050112260001", "nik_birth_date"),  # 1 December 2026: after today
    ("6472051203900000", "nik_serial"),      # serial 0000
])
def test_soft_problems_are_warnings_not_refusals(nik, warning):
    assert codes(nik) == [warning]


def test_leap_day_and_a_two_digit_year_from_this_century_are_valid():
    assert codes("6472052902000001") == []            # 29 February 2000
    assert check_nik("6472050111250001", TODAY).birth_date == date(2025, 11, 1)


def test_the_stored_hash_is_keyed_so_equal_niks_match_only_under_the_same_secret():
    nik = "6472051203900001"
    assert nik_hmac(b"s1", nik) == nik_hmac(b"s1", nik) != nik_hmac(b"s2", nik)
    assert nik not in nik_hmac(b"s1", nik) and len(nik_hmac(b"s1", nik)) == 64


def test_masks_show_at_most_the_region_and_the_last_four_digits():
    assert mask_nik("6472051203900001") == "6472********0001"
    assert mask_last4("0001") == "************0001"


@pytest.mark.parametrize("typed", ["081234567890", "0812-3456-7890", "+62 812 3456 7890", "6281234567890",
                                   "(0812) 3456 7890"])
def test_indonesian_mobile_numbers_become_e164(typed):
    assert normalize_phone(typed) == "+6281234567890"


def test_a_samarinda_landline_is_accepted_and_nonsense_is_refused():
    assert normalize_phone("0541 741234") == "+62541741234"
    for bad in ("12345", "0812", "abc", "0" * 40):
        with pytest.raises(Invalid) as err:
            normalize_phone(bad)
        assert err.value.code == "invalid_phone"
    assert mask_phone("+6281234567890") == "+62812*****890"


def test_booking_codes_use_only_unambiguous_symbols_and_every_byte_maps_evenly():
    assert len(BOOKING_ALPHABET) == 32 and not set("01IO") & set(BOOKING_ALPHABET)
    assert make_code(bytes(range(CODE_LENGTH))) == "234567"
    every = make_code(bytes([255] * CODE_LENGTH))
    assert every == "Z" * CODE_LENGTH
    counts = {ch: 0 for ch in BOOKING_ALPHABET}
    for b in range(256):
        counts[make_code(bytes([b] * CODE_LENGTH))[0]] += 1
    assert set(counts.values()) == {8}


@pytest.mark.parametrize("typed, code", [("k7p 3qx", "K7P3QX"), ("K7P-3QX", "K7P3QX"), (" k7p3qx\n", "K7P3QX")])
def test_typed_or_scanned_codes_are_normalised(typed, code):
    assert normalize_code(typed) == code


@pytest.mark.parametrize("typed", ["K0P3QX", "K7P3QI", "K7P3Q", "K7P3QXX", ""])
def test_codes_with_ambiguous_symbols_or_the_wrong_length_are_refused(typed):
    with pytest.raises(Invalid) as err:
        normalize_code(typed)
    assert err.value.code == "invalid_booking_code"
