"""Validation of the Unified Social Credit Code (统一社会信用代码, GB 32100-2015)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The 31 characters of the code, in the order of their numeric value (I, O, S, V, Z are unused).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_LENGTH = 18


def uscc_check_character(first_seventeen: str) -> str:
    """The 18th character that GB 32100-2015 computes from the first 17 (modulus 31)."""
    total = sum(
        USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first_seventeen, USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """Reject a code that is not 18 valid characters or whose check character is wrong."""
    if len(value) != USCC_LENGTH:
        raise ValidationError(
            _("The code must be exactly 18 characters long; %(length)d given."),
            code="uscc_length",
            params={"length": len(value)},
        )
    for position, char in enumerate(value, start=1):
        if char not in USCC_ALPHABET:
            raise ValidationError(
                _(
                    "Character %(position)d (“%(char)s”) is not allowed: use digits and "
                    "capital letters except I, O, S, V and Z."
                ),
                code="uscc_character",
                params={"position": position, "char": char},
            )
    expected = uscc_check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("The check digit is wrong: the 18th character should be “%(expected)s”."),
            code="uscc_check_digit",
            params={"expected": expected},
        )


def normalise_uscc(value: str) -> str:
    """Codes are printed in capitals; accept what users paste with spaces or lower case."""
    return "".join(value.split()).upper()
