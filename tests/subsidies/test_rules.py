"""The pure rules: claim keys that see through spelling, and weighted review scores."""

from decimal import Decimal

import pytest

from subsidies import rules


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("INV-000123", "INV123"),
        ("inv 123", "INV123"),
        ("INV_0123", "INV123"),
        ("INV－123", "INV123"),  # full-width dash from a Chinese input method
        ("00012345", "12345"),
        ("INV-1023", "INV1023"),  # zeros inside the number are kept
        ("000", "0"),
        ("INV-000", "INV0"),  # an all-zero number keeps one zero: "INV" is another key
    ],
)
def test_invoice_numbers_are_compared_without_spaces_dashes_and_leading_zeros(written, key):
    assert rules.invoice_key(written) == key


def test_different_invoices_keep_different_keys():
    assert rules.invoice_key("INV-1023") != rules.invoice_key("INV-123")


def test_approval_document_numbers_keep_letters_and_digits_only():
    assert rules.document_key("工信部〔2026〕12号") == rules.document_key("工信部 (2026) 12 号")


def test_procurement_subsidy_is_the_rate_of_the_claimed_total_rounded_half_up():
    amounts = [Decimal("100000.00"), Decimal("250000.00"), Decimal("40000.50")]
    assert rules.procurement_subsidy_cny(amounts, Decimal("5")) == Decimal("19500.03")


def test_national_matching_is_the_rate_of_the_investment():
    assert rules.national_matching_cny(Decimal("1000000.00"), Decimal("15")) == Decimal("150000.00")


def test_weighted_score_is_out_of_one_hundred():
    criteria = [{"key": "merit", "weight": 3}, {"key": "impact", "weight": 1}]
    assert rules.weighted_score(criteria, {"merit": 10, "impact": 0}) == Decimal("75.00")


@pytest.mark.parametrize("scores", [{"merit": 11, "impact": 1}, {"merit": "x", "impact": 1}, {}])
def test_a_score_outside_the_scale_names_the_criterion(scores):
    with pytest.raises(ValueError, match="merit"):
        rules.weighted_score(
            [{"key": "merit", "weight": 1}, {"key": "impact", "weight": 1}], scores
        )
