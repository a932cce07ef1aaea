"""A standard's identity: one key however its body and number are written."""

import pytest

from alliance.standard_keys import standard_key


@pytest.mark.parametrize(
    ("body", "number", "key"),
    [
        ("ISO", "12405-4", "ISO124054"),
        ("ISO", "ISO 12405-4", "ISO124054"),
        ("iso", "iso12405 4", "ISO124054"),
        ("GB/T", "36276-2018", "GBT362762018"),
    ],
)
def test_a_standard_is_known_by_body_and_number_however_written(body, number, key):
    assert standard_key(body, number) == key
