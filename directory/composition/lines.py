"""A bill of materials' lines as a supplier states them, and the checks each line passes on its
own (`bom_declare` and `bom_amend` check the bill as a whole): a refusal keeps every line's
problems apart, naming the line and the field, so that a page shows them where they belong."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from directory.composition.rollup import Part
from directory.models import BomLineKind, Origin

#: The cost blocks counted with their stated local share, as plain strings: `in` over enum
#: members compares through the enum, which cost the roll-up's read a third of its time.
BLOCKS = frozenset({str(BomLineKind.LABOUR.value), str(BomLineKind.OVERHEAD.value)})
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LineInput:
    """One line as a supplier states it (strings or values, checked by `bom_declare`)."""

    description: str = ""
    kind: str = BomLineKind.MATERIAL
    origin: str = ""
    cost: Any = None
    local_share: Any = None
    component: int | None = None
    component_class: int | None = None


def decimal_or_none(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number


@dataclass(frozen=True)
class LineProblem:
    """What is wrong with one line: its number (from 1), the field at fault ("" for the line
    as a whole) and the message, which names the line."""

    number: int
    field: str
    message: str


class BillRefused(ValidationError):
    """A bill refused as a whole (`message_dict`, as any ValidationError), with each line's
    problems kept apart, so that a page can show them on the line and field at fault."""

    def __init__(self, errors: dict[str, list[str]], problems: Sequence[LineProblem] = ()):
        super().__init__(errors)
        self.problems = tuple(problems)


def line_problem(number: int, field: str, message: str) -> LineProblem:
    return LineProblem(
        number, field, _("Line %(number)s: %(message)s") % {"number": number, "message": message}
    )


def line_errors(number: int, line: LineInput, *, safe_harbour: bool) -> list[LineProblem]:
    errors: list[LineProblem] = []

    def say(field: str, message: str) -> None:
        errors.append(line_problem(number, field, message))

    if not str(line.description).strip():
        say("description", _("the description is required."))
    if line.kind not in BomLineKind.values:
        say("kind", _("“%(kind)s” is not a kind of line.") % {"kind": line.kind})
    elif line.kind in BLOCKS:
        try:
            share = decimal_or_none(line.local_share)
        except ValueError:
            share = None
            say("local_share", _("the local share must be a number."))
        else:
            if share is None or not 0 <= share <= 100:
                say(
                    "local_share",
                    _("direct labour and factory overhead need a local share from 0 to 100 %."),
                )
    elif line.origin not in Origin.values:
        say(
            "origin",
            _("the source of resold goods must be stated (local, elsewhere in China or abroad).")
            if line.kind == BomLineKind.RESALE
            else _("the origin must be local, elsewhere in China or abroad."),
        )
    if not safe_harbour:
        try:
            cost = decimal_or_none(line.cost)
        except ValueError:
            say("cost", _("the cost must be a number."))
        else:
            if cost is None or cost < 0:
                say("cost", _("the cost is required and may not be negative."))
    return errors


def part_of(
    kind: str, origin: str, cost: Decimal, local_share: Decimal | None, component: int | None
) -> Part:
    return Part(
        cost=cost,
        origin=origin,
        block_share=local_share if kind in BLOCKS else None,
        component=None if kind in BLOCKS else component,
    )
