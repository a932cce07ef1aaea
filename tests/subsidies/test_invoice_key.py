"""One invoice key however the number is typed: full-width forms, zero-width characters,
dashes, dots, spaces and leading zeros never make a second claim of one invoice line, and
distinct numbers never share a key. Shown on generated spellings (Hypothesis), in the pure
rule and through the service that claims lines, where the database's unique constraint on
(supplier, invoice key, line number) refuses the second claim.
"""

import string

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from subsidies.models import ClaimedLine
from subsidies.rules import invoice_key
from subsidies.services.drafting import application_create, application_set_lines
from tests.factories import PurchaseLineFactory

#: What people and their software put between the characters of an invoice number: spaces
#: (ASCII, no-break, ideographic, tab), zero-width and other invisible format characters,
#: dashes of every width, dots, slashes, underscores and the odd separating symbol.
DECORATIONS = [
    " ",
    "\u00a0",
    "\u3000",
    "\t",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "-",
    "\u2010",
    "\u2013",
    "\u2014",
    "\uff0d",
    ".",
    "\u3002",
    "\u00b7",
    "/",
    "\uff0f",
    "_",
    "#",
    ":",
    "\uff1a",
    ",",
    "(",
    ")",
    "|",
    "~",
]


def full_width(character: str) -> str:
    """The full-width form a Chinese input method types for a printable ASCII character."""
    return chr(ord(character) + 0xFEE0)


#: An invoice number as the tax system prints it: a short letter prefix (none for VAT
#: invoices) and up to 20 digits without leading zeros (20 for a fully digital invoice).
canonical_numbers = st.builds(
    str.__add__,
    st.text(alphabet=string.ascii_uppercase, max_size=4),
    st.from_regex(r"[1-9][0-9]{0,19}", fullmatch=True),
)


@st.composite
def spellings_of(draw, number: str) -> str:
    """`number` as someone might type it: leading zeros, lower case, full-width characters
    and decorations anywhere."""
    digits_from = len(number.rstrip(string.digits))
    written = number[:digits_from] + "0" * draw(st.integers(0, 3)) + number[digits_from:]
    typed = []
    for character in written:
        typed.extend(draw(st.lists(st.sampled_from(DECORATIONS), max_size=2)))
        form = draw(st.sampled_from([str, str.lower, full_width]))
        typed.append(form(character))
    typed.extend(draw(st.lists(st.sampled_from(DECORATIONS), max_size=2)))
    return "".join(typed)


numbers_and_spellings = canonical_numbers.flatmap(
    lambda number: st.tuples(st.just(number), spellings_of(number))
)


@pytest.mark.parametrize(
    "written", ["DUPX-000777", "ＤＵＰＸ７７７", "DUPX\u200b777", "DUPX.777", "dupx 0777"]
)
def test_the_issue_spellings_of_one_invoice_share_one_key(written):
    assert invoice_key(written) == "DUPX777"


@settings(max_examples=100)
@given(numbers_and_spellings)
def test_every_spelling_of_a_number_has_the_numbers_key(number_and_spelling):
    number, spelling = number_and_spelling
    assert invoice_key(spelling) == invoice_key(number) == number


@settings(max_examples=100)
@given(numbers_and_spellings, numbers_and_spellings)
def test_distinct_numbers_keep_distinct_keys_however_they_are_spelled(first, second):
    (number, spelling), (other_number, other_spelling) = first, second
    assume(number != other_number)
    assert invoice_key(spelling) != invoice_key(other_spelling)


@settings(max_examples=200)
@given(st.text(max_size=64))
def test_a_key_is_letters_and_digits_and_its_own_key(text):
    key = invoice_key(text)
    assert key == "" or key.isalnum()
    assert invoice_key(key) == key


# --- through the service that claims lines ----------------------------------------------------

ISSUE_SPELLINGS = ["DUPX-000777", "ＤＵＰＸ７７７", "DUPX\u200b777", "DUPX.777"]


@pytest.mark.django_db
@pytest.mark.parametrize("twin", ISSUE_SPELLINGS[1:])
def test_the_issue_spellings_cannot_claim_one_invoice_twice(anchor, supplier, procurement, twin):
    _claim_one_then_refuse_the_other(anchor, supplier, procurement, ISSUE_SPELLINGS[0], twin)


# Each example runs in a savepoint rolled back at its end, so the function-scoped fixtures
# (buyer, supplier, programme) are shared by the examples unchanged.
@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    canonical_numbers.flatmap(lambda number: st.tuples(spellings_of(number), spellings_of(number)))
)
def test_two_spellings_of_one_invoice_line_are_refused_as_one_claim(
    anchor, supplier, procurement, spellings
):
    first, twin = spellings
    assume(first != twin and len(first) <= 64 and len(twin) <= 64)
    with transaction.atomic():
        _claim_one_then_refuse_the_other(anchor, supplier, procurement, first, twin)
        transaction.set_rollback(True)


def _claim_one_then_refuse_the_other(anchor, supplier, procurement, first_no, twin_no):
    first = PurchaseLineFactory(
        buyer=anchor, supplier=supplier, invoice_no=first_no, confirmation="confirmed"
    )
    twin = PurchaseLineFactory(
        buyer=anchor, supplier=supplier, invoice_no=twin_no, confirmation="confirmed"
    )
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    application_set_lines(actor=anchor.owner, application=application, line_ids=[first.pk])
    other = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    with pytest.raises(ValidationError, match="differently written invoice number"):
        application_set_lines(actor=anchor.owner, application=other, line_ids=[twin.pk])
    assert list(ClaimedLine.objects.values_list("purchase_line", flat=True)) == [first.pk]
