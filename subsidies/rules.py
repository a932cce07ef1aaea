"""Pure rules of the support programmes: claim keys, award amounts, review scores.

No Django, no database: plain values in, plain values out, so each rule is tested on its own.
Amounts are Decimal CNY rounded to the fen half-up by `ssb_portal.formulas.quantize_cny`.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from ssb_portal import formulas

_LEADING_ZEROS = re.compile(r"^(\D*)0+(?=\d)")
_KEY_NOISE = re.compile(r"[^0-9A-Z]+")

#: Scores are given per criterion on this scale; the weighted total is out of 100.
SCORE_MAX = 10


class ScoreError(ValueError):
    """A criterion's score is missing or off the scale; `criterion` names it."""

    def __init__(self, criterion: str):
        super().__init__(f"{criterion}: a score from 0 to {SCORE_MAX} is needed")
        self.criterion = criterion


def invoice_key(invoice_no: str) -> str:
    """An invoice number as compared for double claims: one key however it is typed.

    1. Unicode NFKC: full-width letters and digits from a Chinese input method, circled and
       other compatibility forms become their plain letters and digits ("ＤＵＰＸ７７７" is
       "DUPX777").
    2. Upper-cased.
    3. Letters and digits only: every space (Unicode Z*), format character (Cf: zero-width
       space and joiners, BOM, soft hyphen), control character, dash, dot, slash, underscore
       and other punctuation (P*), symbol (S*: "|", "~", "+") and combining mark is dropped.
       Digits of other scripts count as the ASCII digits they stand for.
    4. The leading zeros of the first run of digits are dropped (one zero stays if it is all
       zeros); zeros inside the number stay: "INV-1023" and "INV-123" differ.

    So "DUPX-000777", "ＤＵＰＸ７７７", "DUPX\u200b777", "DUPX.777" and "dupx 0777" are all
    "DUPX777", while distinct numbers (letters, then digits without leading zeros) keep
    distinct keys. The key is its own key; a number without letters or digits has the empty key.
    """
    kept = []
    for character in unicodedata.normalize("NFKC", invoice_no).upper():
        category = unicodedata.category(character)
        if category == "Nd":
            kept.append(str(unicodedata.decimal(character)))
        elif category[0] in "LN":
            kept.append(character)
    return _LEADING_ZEROS.sub(r"\1", "".join(kept), count=1)


def document_key(document_number: str) -> str:
    """An approval document number as compared for double claims: letters and digits only."""
    return _KEY_NOISE.sub("", document_number.upper())


def procurement_subsidy_cny(line_amounts_cny: Iterable[Decimal], rate_percent: Decimal) -> Decimal:
    """S = rate × V_total over the claimed lines (the seed's rate is 5 %)."""
    total = sum(line_amounts_cny, Decimal("0"))
    return formulas.local_procurement_subsidy_cny(total, rate=rate_percent / Decimal(100))


def national_matching_cny(total_investment_cny: Decimal, rate_percent: Decimal) -> Decimal:
    """Matching funds: rate × total investment (the seed's rate is 15 %)."""
    return formulas.national_project_matching_cny(
        total_investment_cny, rate=rate_percent / Decimal(100)
    )


def standards_reward_cny(role: str, lead_cny: Decimal, participate_cny: Decimal) -> Decimal:
    return formulas.standards_reward_cny(
        role, lead_amount_cny=lead_cny, participate_amount_cny=participate_cny
    )


def weighted_score(
    criteria: Sequence[Mapping[str, object]], scores: Mapping[str, object]
) -> Decimal:
    """A review's weighted total on 0–100.

    :param criteria: the programme's criteria, each with a ``key`` and a positive ``weight``.
    :param scores: a score from 0 to SCORE_MAX for every criterion key.
    :raises ScoreError: naming the first criterion whose score is missing or out of range.
    """
    total_weight = sum(Decimal(str(c["weight"])) for c in criteria)
    if total_weight <= 0:
        raise ValueError("the programme has no weighted scoring criteria")
    weighted = Decimal("0")
    for criterion in criteria:
        key = str(criterion["key"])
        raw = scores.get(key)
        try:
            score = Decimal(str(raw))
        except ArithmeticError as error:
            raise ScoreError(key) from error
        if raw is None or raw == "" or not (0 <= score <= SCORE_MAX):
            raise ScoreError(key)
        weighted += score * Decimal(str(criterion["weight"]))
    result = weighted / total_weight * Decimal(100) / SCORE_MAX
    return result.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
