"""A buyer's saved column mappings: which header of its own ERP layout is which of our
purchase columns (`rows.PURCHASE_COLUMNS`), made once from a sample file and applied to its
uploads whose header fits, before the standard aliases (`files.inspect_purchase_file`)."""

from collections.abc import Mapping, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.access import require_member
from directory.models import Enterprise, PurchaseColumnMapping
from directory.purchases.files import header_key
from directory.purchases.rows import (
    AMOUNT_COLUMNS,
    HEADER_ALIASES,
    PURCHASE_COLUMNS,
    REQUIRED_COLUMNS,
)

#: The choice that leaves a header out.
IGNORE = ""
NAME_MAX_LENGTH = 80


def standard_column(header: str) -> str:
    """The column the standard names and aliases give a header, else IGNORE."""
    english = header.strip().lower().replace(" ", "_")
    if english in PURCHASE_COLUMNS:
        return english
    aliases = {
        "".join(header_key(alias).split()): column for alias, column in HEADER_ALIASES.items()
    }
    return aliases.get("".join(header_key(header).split()), IGNORE)


def column_mappings_of(buyer: Enterprise) -> QuerySet[PurchaseColumnMapping]:
    return PurchaseColumnMapping.objects.filter(buyer=buyer).select_related("saved_by")


def column_mapping_problems(columns: Mapping[str, str]) -> dict[str, list[str]]:
    """What is wrong with a mapping {their header: our column or IGNORE}, by our column (or
    "columns" for the mapping as a whole); empty when it can be saved."""
    problems: dict[str, list[str]] = {}
    first_header: dict[str, str] = {}
    for theirs, ours in columns.items():
        if ours == IGNORE:
            continue
        if ours not in PURCHASE_COLUMNS:
            problems.setdefault("columns", []).append(
                _("“%(header)s”: “%(column)s” is not one of our columns.")
                % {"header": theirs, "column": ours}
            )
        elif ours in first_header:
            problems.setdefault(ours, []).append(
                _("Two headers give “%(column)s”: “%(first)s” and “%(second)s”.")
                % {"column": ours, "first": first_header[ours], "second": theirs}
            )
        else:
            first_header[ours] = theirs
    for column in REQUIRED_COLUMNS:
        if column not in first_header:
            problems.setdefault(column, []).append(
                _("No header gives “%(column)s”, which is required.") % {"column": column}
            )
    if not any(column in first_header for column in AMOUNT_COLUMNS):
        problems.setdefault(AMOUNT_COLUMNS[0], []).append(
            _("One header must give %(columns)s.")
            % {"columns": _(" or ").join(f"“{column}”" for column in AMOUNT_COLUMNS)}
        )
    return problems


def column_mapping_save(
    *, actor: AbstractBaseUser, buyer: Enterprise, name: str, columns: Mapping[str, str]
) -> PurchaseColumnMapping:
    """Save (or replace, by name) one of the buyer's column mappings.

    `columns` maps every header of the buyer's layout to our column or IGNORE. Refused,
    naming the header and column, when two headers give one column or a required column
    (the invoice number and date, an amount) is missing.
    """
    require_member(actor, buyer)
    name = " ".join((name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the mapping a name.")]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [_("At most %(count)d characters.") % {"count": NAME_MAX_LENGTH}]
    cleaned = {" ".join(str(k).split()): str(v or "").strip() for k, v in columns.items()}
    cleaned.pop("", None)
    errors.update(column_mapping_problems(cleaned))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            mapping, _created = PurchaseColumnMapping.objects.update_or_create(
                buyer=buyer,
                name=name,
                defaults={"columns": cleaned, "saved_by": actor, "saved_at": timezone.now()},
            )
    except IntegrityError:  # saved at the same moment by someone else
        raise ValidationError({"name": [_("A mapping of this name was just saved.")]}) from None
    return mapping


def column_mapping_delete(*, actor: AbstractBaseUser, buyer: Enterprise, mapping_id: int) -> None:
    """Delete one of the buyer's mappings; another buyer's is not found (DoesNotExist)."""
    require_member(actor, buyer)
    PurchaseColumnMapping.objects.get(pk=mapping_id, buyer=buyer).delete()


def fits(mapping: PurchaseColumnMapping, headers: Sequence[str]) -> int:
    """How many of the file's headers the mapping gives a column, or 0 when a header it
    gives a column is missing from the file (it does not fit)."""
    present = {header_key(header) for header in headers}
    used = [theirs for theirs, ours in mapping.columns.items() if ours != IGNORE]
    if not used or any(header_key(theirs) not in present for theirs in used):
        return 0
    return len(used)


def column_mapping_for_upload(
    *, buyer: Enterprise, headers: Sequence[str], chosen_id: int | None = None
) -> PurchaseColumnMapping | None:
    """The buyer's mapping to read an upload with: the one chosen (the buyer's own only),
    else the best fitting of its mappings (most headers given a column, newest first), else
    none. Another buyer's mapping is never applied."""
    mappings = list(column_mappings_of(buyer).order_by("-saved_at", "-pk"))
    if chosen_id is not None:
        chosen = next((mapping for mapping in mappings if mapping.pk == chosen_id), None)
        if chosen is None:
            raise ValidationError({"column_mapping": [_("Choose one of your column mappings.")]})
        return chosen
    scored = [(fits(mapping, headers), mapping) for mapping in mappings]
    best = max((score for score, _mapping in scored), default=0)
    if best == 0:
        return None
    return next(mapping for score, mapping in scored if score == best)
