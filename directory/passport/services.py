"""Every write of the battery passport: a new version, the choice of the current version, an
evidence file. Only the product's own organisation writes; each write is audited."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from directory.access import require_member
from directory.audit import to_json
from directory.models import (
    METALS,
    BatteryPassport,
    PassportDocument,
    PassportDocumentKind,
    PassportVersion,
    Product,
)
from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.private_files import document_fill

#: The version's figures by subject (the passport page shows them under these headings).
CHEMISTRY_FIELDS = ("level", "battery_category", "chemistry_short_name", "chemistry_clear_name")
FOOTPRINT_STAGES = (
    "carbon_footprint_raw_materials",
    "carbon_footprint_production",
    "carbon_footprint_distribution",
    "carbon_footprint_end_of_life",
)
FOOTPRINT_FIELDS = ("carbon_footprint_total", *FOOTPRINT_STAGES)
#: Per metal: the total recycled share, then its pre- and post-consumer parts.
RECYCLED_SPLITS = {
    metal: (
        f"recycled_{metal}_share",
        f"recycled_{metal}_pre_consumer_share",
        f"recycled_{metal}_post_consumer_share",
    )
    for metal in METALS
}
RECYCLED_FIELDS = tuple(name for names in RECYCLED_SPLITS.values() for name in names)
PERFORMANCE_FIELDS = (
    "rated_capacity_ah",
    "nominal_voltage_v",
    "minimum_voltage_v",
    "maximum_voltage_v",
    "original_power_w",
    "internal_resistance_mohm",
    "expected_cycle_life",
    "round_trip_efficiency_percent",
    "temperature_min_c",
    "temperature_max_c",
)
#: The figures a version holds (the API and the admin show them in this order).
VERSION_FIELDS = (
    *CHEMISTRY_FIELDS,
    "hazardous_substances",
    "critical_raw_materials",
    *FOOTPRINT_FIELDS,
    *RECYCLED_FIELDS,
    *PERFORMANCE_FIELDS,
)
#: The stages' sum may differ from the total by the rounding of four figures to 3 places.
FOOTPRINT_TOLERANCE = Decimal("0.002")


def _check_substances(value: Any) -> list[dict]:
    if not isinstance(value, list):
        raise ValidationError({"hazardous_substances": _("Give a list of substances.")})
    for position, item in enumerate(value, start=1):
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            raise ValidationError(
                {"hazardous_substances": _("Substance %(n)s has no name.") % {"n": position}}
            )
        concentration = item.get("concentration_percent")
        try:
            share = Decimal(str(concentration))
        except ArithmeticError:
            share = None
        if share is None or not share.is_finite() or not 0 <= share <= 100:
            raise ValidationError(
                {
                    "hazardous_substances": _(
                        "Substance %(n)s (%(name)s): the concentration must be a share between "
                        "0 and 100 (percentage by weight)."
                    )
                    % {"n": position, "name": item["name"]}
                }
            )
        unknown = set(item) - {"name", "cas_number", "concentration_percent"}
        if unknown:
            raise ValidationError(
                {
                    "hazardous_substances": _("Substance %(n)s: unknown keys %(keys)s.")
                    % {"n": position, "keys": ", ".join(sorted(unknown))}
                }
            )
    return [
        {
            "name": str(item["name"]).strip(),
            "cas_number": str(item.get("cas_number") or "").strip(),
            "concentration_percent": str(Decimal(str(item["concentration_percent"]))),
        }
        for item in value
    ]


def _check_materials(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(
        isinstance(item, str) and item.strip() for item in value
    ):
        raise ValidationError(
            {"critical_raw_materials": _("Give a list of material names, none of them empty.")}
        )
    return [item.strip() for item in value]


def _fill_recycled_totals(version: PassportVersion) -> None:
    """Check each metal's pre-/post-consumer split (of a cleaned version) and state the total
    it implies when the total is left out; an error names the field to correct."""
    for total, pre, post in RECYCLED_SPLITS.values():
        low, high = getattr(version, pre), getattr(version, post)
        if low is None and high is None:
            continue
        if low is None or high is None:
            missing = pre if low is None else post
            raise ValidationError(
                {
                    missing: _(
                        "Give both the pre-consumer and the post-consumer share (0 when there "
                        "is none), or neither."
                    )
                }
            )
        parts = low + high
        stated = getattr(version, total)
        if stated is None:
            if parts > 100:
                raise ValidationError(
                    {
                        post: _(
                            "The pre-consumer and post-consumer shares add up to %(sum)s %%, "
                            "above 100 %%."
                        )
                        % {"sum": parts}
                    }
                )
            setattr(version, total, parts)
        elif stated != parts:
            raise ValidationError(
                {
                    total: _(
                        "The total (%(total)s %%) is not the sum of the pre-consumer and "
                        "post-consumer shares (%(sum)s %%)."
                    )
                    % {"total": stated, "sum": parts}
                }
            )


def _check_across(version: PassportVersion) -> None:
    """Rules that join several figures; each error names the field to correct."""
    stages = [getattr(version, name) for name in FOOTPRINT_STAGES]
    total = version.carbon_footprint_total
    complete = total is not None and all(stage is not None for stage in stages)
    if complete and abs(sum(stages) - total) > FOOTPRINT_TOLERANCE:
        raise ValidationError(
            {
                "carbon_footprint_total": _(
                    "The total (%(total)s kg CO₂e/kWh) is not the sum of the life-cycle "
                    "stages (%(sum)s kg CO₂e/kWh)."
                )
                % {"total": total, "sum": sum(stages)}
            }
        )
    low, high = version.temperature_min_c, version.temperature_max_c
    if low is not None and high is not None and low > high:
        raise ValidationError(
            {"temperature_min_c": _("The lowest temperature is above the highest.")}
        )
    lowest, nominal, highest = (
        version.minimum_voltage_v,
        version.nominal_voltage_v,
        version.maximum_voltage_v,
    )
    if lowest is not None and highest is not None and lowest > highest:
        raise ValidationError({"minimum_voltage_v": _("The minimum voltage is above the maximum.")})
    if nominal is not None and (
        (lowest is not None and nominal < lowest) or (highest is not None and nominal > highest)
    ):
        raise ValidationError(
            {"nominal_voltage_v": _("The nominal voltage lies outside the minimum and maximum.")}
        )


@transaction.atomic
def passport_version_create(
    *,
    actor: AbstractBaseUser,
    product: Product,
    data: dict[str, Any],
    document_ids: list[int] | None = None,
    new_evidence: Sequence[tuple[str, UploadedFile]] = (),
    note: str = "",
) -> PassportVersion:
    """Add a version of the product's passport and make it current; older versions stay as
    they were. `data` holds the figures in the fields' own units. Without `document_ids` the
    new version keeps the evidence of the version it follows. `new_evidence` (kind, file)
    pairs are kept as the passport's evidence and listed by the version too; they are stored
    only once the figures are found valid, so a refused version leaves no file behind."""
    require_member(actor, product.enterprise)
    unknown = set(data) - set(VERSION_FIELDS)
    if unknown:
        raise ValidationError(
            {name: _("This is not a passport field.") for name in sorted(unknown)}
        )
    passport, _created = BatteryPassport.objects.get_or_create(product=product)
    # The passport row is locked so two members saving at once get numbers 1 and 2.
    passport = BatteryPassport.objects.select_for_update().get(pk=passport.pk)
    values = dict(data)
    values["hazardous_substances"] = _check_substances(values.get("hazardous_substances", []))
    values["critical_raw_materials"] = _check_materials(values.get("critical_raw_materials", []))
    last = passport.versions.aggregate(last=Max("number"))["last"] or 0
    version = PassportVersion(
        passport=passport, number=last + 1, created_by=actor, note=note.strip(), **values
    )
    kept_apart = ["passport", "created_by", "documents"]
    # The constraints are checked once the split has stated the totals it implies.
    version.full_clean(exclude=kept_apart, validate_constraints=False)
    _fill_recycled_totals(version)
    version.validate_constraints(exclude=kept_apart)
    _check_across(version)
    documents = _documents(passport, document_ids)
    documents += [
        _evidence_keep(actor=actor, passport=passport, kind=kind, upload=upload)
        for kind, upload in new_evidence
    ]
    version.save()
    version.documents.set(documents)
    _make_current(
        passport,
        version,
        actor=actor,
        action="passport_version",
        data={
            "figures": {name: to_json(getattr(version, name)) for name in VERSION_FIELDS},
            "documents": [document.pk for document in documents],
        },
    )
    return version


def _make_current(
    passport: BatteryPassport,
    version: PassportVersion,
    *,
    actor: AbstractBaseUser,
    action: str,
    data: dict[str, Any],
) -> None:
    """Point the (locked) passport at `version` and audit it with the version it replaces: a
    new version and an older one made current again are the same change of the pointer."""
    previous = passport.current_version_id
    passport.current_version = version
    passport.save(update_fields=["current_version"])
    audit_append(
        actor=actor,
        action=action,
        subject=version,
        data={
            "product": passport.product_id,
            "number": version.number,
            "previous_current": previous,
            **data,
        },
    )


def _documents(passport: BatteryPassport, document_ids: list[int] | None) -> list:
    if document_ids is None:
        if passport.current_version_id is None:
            return []
        return list(passport.current_version.documents.all())
    documents = list(passport.documents.filter(pk__in=document_ids))
    if len(documents) != len(set(document_ids)):
        raise ValidationError({"documents": _("Some of these files are not this passport's.")})
    return documents


@transaction.atomic
def passport_set_current(
    *, actor: AbstractBaseUser, product: Product, number: int, reason: str
) -> PassportVersion:
    """Make an existing version current again (e.g. a newer one was entered in error)."""
    require_member(actor, product.enterprise)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this version becomes current again.")})
    passport = BatteryPassport.objects.select_for_update().filter(product=product).first()
    version = passport.versions.filter(number=number).first() if passport else None
    if version is None:
        raise ValidationError({"number": _("This passport has no version %(n)s.") % {"n": number}})
    _make_current(
        passport, version, actor=actor, action="passport_current", data={"reason": reason.strip()}
    )
    return version


@transaction.atomic
def passport_document_upload(
    *, actor: AbstractBaseUser, product: Product, kind: str, upload: UploadedFile
) -> PassportDocument:
    """Keep an evidence file for the product's passport; a later version lists it."""
    require_member(actor, product.enterprise)
    passport, _created = BatteryPassport.objects.get_or_create(product=product)
    return _evidence_keep(actor=actor, passport=passport, kind=kind, upload=upload)


def _evidence_keep(
    *, actor: AbstractBaseUser, passport: BatteryPassport, kind: str, upload: UploadedFile
) -> PassportDocument:
    """Check and store an evidence file of the passport (the private-document kit), audited."""
    if kind not in PassportDocumentKind.values:
        raise ValidationError({"kind": _("Choose what the file documents.")})
    document = PassportDocument(passport=passport, kind=kind)
    document_fill(document, upload=upload, actor=actor)
    document.save()
    audit_append(
        actor=actor,
        action="passport_document",
        subject=document,
        data={"product": passport.product_id, "kind": kind, "sha256": document.sha256},
    )
    return document
