"""Products and certifications of an enterprise: created, changed, verified, returned, deleted."""

import copy
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.access import require_member
from directory.audit import record_status_change
from directory.models import (
    BomStatus,
    Certification,
    Enterprise,
    ListingStatus,
    LocalContentShare,
    Product,
)
from directory.services.enterprises import (
    apply_changes,
    changed_fields,
    require_official,
    require_return_reason,
    return_listing,
    transition_listing,
    verify_listing,
)
from directory.workflow import MEMBER

PRODUCT_EDITABLE_FIELDS = (
    "name",
    "category",
    "description",
    "ionic_conductivity",
    "asr",
    "specific_capacity",
    "decay_rate",
    "coulombic_efficiency",
    "coulombic_efficiency_cycles",
    "weight_reduction",
    "local_content_share",
    "price",
)
CERTIFICATION_EDITABLE_FIELDS = ("scheme", "number", "issuer", "valid_until")


@transaction.atomic
def product_create(
    *, actor: AbstractBaseUser, enterprise: Enterprise, data: dict[str, Any]
) -> Product:
    """Add a product; it is public once an official verifies it."""
    require_member(actor, enterprise)
    product = Product(
        enterprise=enterprise,
        status=ListingStatus.PENDING,
        **{name: data[name] for name in PRODUCT_EDITABLE_FIELDS if name in data},
    )
    product.full_clean()
    product.save()
    record_status_change(
        enterprise=enterprise,
        product=product,
        actor=actor,
        from_status="",
        to_status=ListingStatus.PENDING,
        reason=_("Product added: %(name)s") % {"name": product.name},
    )
    return product


@transaction.atomic
def product_update(*, actor: AbstractBaseUser, product: Product, data: dict[str, Any]) -> Product:
    """Change a product; a verified product's edits wait for verification beside it."""
    require_member(actor, product.enterprise)
    product = Product.objects.select_for_update().select_related("enterprise").get(pk=product.pk)
    changes = changed_fields(product, data, PRODUCT_EDITABLE_FIELDS)
    if not changes:
        return product
    candidate = copy.copy(product)
    apply_changes(candidate, {**(product.pending_changes or {}), **changes})
    candidate.full_clean()
    if product.status == ListingStatus.VERIFIED:
        product.pending_changes = {**(product.pending_changes or {}), **changes}
        product.save(update_fields=["pending_changes", "updated_at"])
        record_status_change(
            enterprise=product.enterprise,
            product=product,
            actor=actor,
            from_status=product.status,
            to_status=product.status,
            reason=_("Product changes submitted for verification: %(name)s")
            % {"name": product.name},
            changes=changes,
        )
        return product
    apply_changes(product, changes)
    product.save()
    if product.status == ListingStatus.RETURNED:
        transition_listing(
            subject=product,
            enterprise=product.enterprise,
            actor=actor,
            role=MEMBER,
            target=ListingStatus.PENDING,
            reason=_("Corrected and resubmitted"),
            changes=changes,
        )
    return product


@transaction.atomic
def product_verify(*, actor: AbstractBaseUser, product: Product, reason: str = "") -> Product:
    require_official(actor)
    product = Product.objects.select_for_update().select_related("enterprise").get(pk=product.pk)
    verify_listing(
        actor=actor,
        subject=product,
        enterprise=product.enterprise,
        reason=reason,
        changes_reason=_("Product changes verified"),
    )
    _record_local_content_share(actor=actor, product=product)
    return product


def _record_local_content_share(*, actor: AbstractBaseUser, product: Product) -> None:
    """Keep a newly verified share in the history, in force from today: it counts for
    invoices from today on, and never for earlier ones (nor for a year already published).
    A second change on the same day replaces the first. A product whose verified bill of
    materials is in force keeps the share computed from it (`directory.composition`)."""
    if product.bills_of_materials.filter(
        status=BomStatus.VERIFIED, valid_until__gte=timezone.localdate()
    ).exists():
        return
    in_force = product.local_content_shares.order_by("-valid_from").first()
    if product.local_content_share == (in_force.share if in_force else None):
        return
    LocalContentShare.objects.update_or_create(
        product=product,
        valid_from=timezone.localdate(),
        defaults={
            "share": product.local_content_share,
            "verified_by": actor,
            "verified_at": timezone.now(),
        },
    )


@transaction.atomic
def product_return(*, actor: AbstractBaseUser, product: Product, reason: str) -> Product:
    """Reject a product's pending changes, or return (withdraw) the product."""
    require_official(actor)
    require_return_reason(reason)
    product = Product.objects.select_for_update().select_related("enterprise").get(pk=product.pk)
    return_listing(actor=actor, subject=product, enterprise=product.enterprise, reason=reason)
    return product


@transaction.atomic
def product_delete(*, actor: AbstractBaseUser, product: Product) -> None:
    require_member(actor, product.enterprise)
    record_status_change(
        enterprise=product.enterprise,
        actor=actor,
        from_status=product.status,
        to_status="deleted",
        reason=_("Product removed: %(name)s") % {"name": product.name},
    )
    product.delete()


# --- certifications ------------------------------------------------------------------------

# Certificates count in the search as soon as they are added; the history keeps who added or
# removed which, for officials and members to see.
CERTIFICATION_ADDED = "added"
CERTIFICATION_REMOVED = "deleted"


@transaction.atomic
def certification_add(
    *, actor: AbstractBaseUser, enterprise: Enterprise, data: dict[str, Any]
) -> Certification:
    require_member(actor, enterprise)
    certification = Certification(
        enterprise=enterprise,
        **{name: data[name] for name in CERTIFICATION_EDITABLE_FIELDS if name in data},
    )
    certification.full_clean()
    certification.save()
    record_status_change(
        enterprise=enterprise,
        actor=actor,
        from_status="",
        to_status=CERTIFICATION_ADDED,
        reason=_("Certification added: %(certificate)s, valid until %(date)s")
        % {"certificate": certification, "date": certification.valid_until},
    )
    return certification


@transaction.atomic
def certification_delete(*, actor: AbstractBaseUser, certification: Certification) -> None:
    require_member(actor, certification.enterprise)
    record_status_change(
        enterprise=certification.enterprise,
        actor=actor,
        from_status="",
        to_status=CERTIFICATION_REMOVED,
        reason=_("Certification removed: %(certificate)s") % {"certificate": certification},
    )
    certification.delete()
