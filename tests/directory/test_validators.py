"""The Unified Social Credit Code check (GB 32100-2015): length, alphabet, check character."""

import pytest
from django.core.exceptions import ValidationError

from directory.validators import normalise_uscc, uscc_check_character, validate_uscc

# A code printed in many public examples of the standard (a Fuzhou enterprise).
PUBLIC_EXAMPLE = "91350100M000100Y43"


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_public_example_is_valid():
    validate_uscc(PUBLIC_EXAMPLE)


def test_check_character_of_public_example_worked_by_hand():
    # Values of 9,1,3,5,0,1,0,0,M(=21),0,0,0,1,0,0,Y(=30),4 times the weights
    # 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28:
    # 9+3+27+135+0+26+0+0+420+0+0+0+8+0+0+900+112 = 1640; 1640 mod 31 = 28; 31 - 28 = 3.
    assert uscc_check_character(PUBLIC_EXAMPLE[:17]) == "3"


@pytest.mark.parametrize(
    "body",
    [
        "91330100000000001",  # an enterprise in Hangzhou
        "12100000400000000",  # a public institution
        "52110000MJ0000000",  # a social organisation, letters in the middle
        "93440300YYYYYYYYY",  # the highest-valued character everywhere it may stand
        "00000000000000000",  # all zeros: the check character wraps to "0"
    ],
)
def test_codes_with_computed_check_character_are_valid(body):
    validate_uscc(body + uscc_check_character(body))


def test_all_zero_body_has_zero_check_character():
    # Sum 0 -> (31 - 0) mod 31 = 0 -> "0" (not an index out of range).
    assert uscc_check_character("0" * 17) == "0"


@pytest.mark.parametrize("value", ["", "9135010", PUBLIC_EXAMPLE[:17], PUBLIC_EXAMPLE + "0"])
def test_wrong_length_is_refused_with_the_length_given(value):
    with pytest.raises(ValidationError) as caught:
        validate_uscc(value)
    assert caught.value.code == "uscc_length"
    assert f"{len(value)} given" in _messages(caught.value)


@pytest.mark.parametrize("char", ["I", "O", "S", "V", "Z", "a", "m", "-", " "])
def test_forbidden_character_is_refused_naming_its_position(char):
    value = PUBLIC_EXAMPLE[:8] + char + PUBLIC_EXAMPLE[9:]  # replaces the "M" at position 9
    with pytest.raises(ValidationError) as caught:
        validate_uscc(value)
    assert caught.value.code == "uscc_character"
    assert caught.value.params == {"position": 9, "char": char}
    assert "Character 9" in _messages(caught.value)


def test_first_forbidden_character_is_the_one_reported():
    with pytest.raises(ValidationError) as caught:
        validate_uscc("9I35010OM000100Y43")
    assert caught.value.params["position"] == 2


def test_lower_case_code_is_refused_until_normalised():
    with pytest.raises(ValidationError) as caught:
        validate_uscc(PUBLIC_EXAMPLE.lower())
    assert caught.value.code == "uscc_character"
    assert caught.value.params["position"] == 9  # the first letter, "m"
    validate_uscc(normalise_uscc(PUBLIC_EXAMPLE.lower()))


@pytest.mark.parametrize("wrong", ["0", "4", "Y"])
def test_wrong_check_character_is_refused_naming_the_expected_one(wrong):
    with pytest.raises(ValidationError) as caught:
        validate_uscc(PUBLIC_EXAMPLE[:17] + wrong)
    assert caught.value.code == "uscc_check_digit"
    assert caught.value.params == {"expected": "3"}
    assert "“3”" in _messages(caught.value)


def test_swapped_characters_are_caught_by_the_check_character():
    swapped = PUBLIC_EXAMPLE[:2] + PUBLIC_EXAMPLE[3] + PUBLIC_EXAMPLE[2] + PUBLIC_EXAMPLE[4:]
    with pytest.raises(ValidationError) as caught:
        validate_uscc(swapped)
    assert caught.value.code == "uscc_check_digit"


@pytest.mark.parametrize(
    ("pasted", "normalised"),
    [
        (PUBLIC_EXAMPLE, PUBLIC_EXAMPLE),
        ("91350100m000100y43", PUBLIC_EXAMPLE),
        (" 9135 0100 M000 100Y43 ", PUBLIC_EXAMPLE),
        ("91350100M000100Y43\n", PUBLIC_EXAMPLE),
        ("9135\t0100m000100y43", PUBLIC_EXAMPLE),
        ("", ""),
    ],
)
def test_normalise_uscc_removes_whitespace_and_capitalises(pasted, normalised):
    assert normalise_uscc(pasted) == normalised
