"""The writes of single rows that change the LCR ledger, caught where the ORM saves them.

Bulk writes (imports, item categories) refresh the ledger themselves; these receivers cover
every `save()` and `delete()` of a purchase line, a supplier's confirmation, a verified
local-content share and a product (whose deletion clears its lines' product), wherever it
comes from: services, the admin, the demo, tests. Those of an enterprise and a district move
the local value of the suppliers they make local or not in the LCR rollup (their bulk
updates do so in `LocalityQuerySet`).
"""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from directory.lcr.cache import invalidate_on_change
from directory.lcr.ledger import pair_of, pairs_of_lines, refresh_lcr_ledger
from directory.lcr.rollup import move_rollup_of_suppliers
from directory.models import (
    District,
    Enterprise,
    LcrPublication,
    LcrTrajectory,
    ListingStatus,
    LocalContentShare,
    Product,
    PurchaseLine,
    PurchaseLineConfirmation,
    SupplyCategory,
)

_BEFORE = "_lcr_ledger_pair_before"


def _line_before_save(sender, instance: PurchaseLine, raw: bool = False, **kwargs: Any) -> None:
    """A line about to be updated may leave its (buyer, year): keep the pair it had."""
    if raw or instance.pk is None or instance._state.adding:
        return
    stored = PurchaseLine.objects.filter(pk=instance.pk).values_list("buyer_id", "invoice_date")
    setattr(instance, _BEFORE, stored.first())


def _line_saved(sender, instance: PurchaseLine, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    pairs = {pair_of(instance.buyer_id, instance.invoice_date)}
    before = getattr(instance, _BEFORE, None)
    if before is not None:
        pairs.add(pair_of(*before))
    refresh_lcr_ledger(pairs)


def _line_deleted(sender, instance: PurchaseLine, **kwargs: Any) -> None:
    refresh_lcr_ledger({pair_of(instance.buyer_id, instance.invoice_date)})


def _confirmation_changed(
    sender, instance: PurchaseLineConfirmation, raw: bool = False, **kwargs: Any
) -> None:
    # Gone with its line (a cascade): the line's own deletion refreshes its pair.
    if not raw:
        refresh_lcr_ledger(pairs_of_lines(PurchaseLine.objects.filter(pk=instance.line_id)))


def _share_changed(sender, instance: LocalContentShare, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        refresh_lcr_ledger(
            pairs_of_lines(PurchaseLine.objects.filter(product_id=instance.product_id))
        )


def _product_before_delete(sender, instance: Product, **kwargs: Any) -> None:
    """Deleting a product clears the product of its lines (and so their share) by an UPDATE
    no signal sees: remember their pairs for after."""
    setattr(instance, _BEFORE, pairs_of_lines(PurchaseLine.objects.filter(product_id=instance.pk)))


def _product_deleted(sender, instance: Product, **kwargs: Any) -> None:
    refresh_lcr_ledger(getattr(instance, _BEFORE, set()))


def _locality(instance: Enterprise) -> tuple:
    return tuple(getattr(instance, name) for name in Enterprise.LOCALITY)


def _local_codes(uscc: str, status: str, district_id: int) -> set[str]:
    """{uscc} if a firm so listed is a local supplier, else nothing."""
    if status != ListingStatus.VERIFIED:
        return set()
    return {uscc} if District.objects.filter(pk=district_id, is_local=True).exists() else set()


def _enterprise_before_save(sender, instance: Enterprise, raw: bool = False, **kwargs: Any) -> None:
    """Keep what made the stored firm a local supplier or not, to compare after the save: as
    it was loaded, or (not loaded whole) asked for."""
    if raw or instance.pk is None or instance._state.adding:
        return
    stored = getattr(instance, "stored_locality", None)
    if stored is None or None in stored:
        stored = Enterprise.objects.filter(pk=instance.pk).values_list(*Enterprise.LOCALITY).first()
    setattr(instance, _BEFORE, stored)


def _enterprise_saved(
    sender, instance: Enterprise, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """A firm registering (not verified yet) counts nowhere: only a verified one or a change
    of a listed one may move the figures. Verified, withdrawn, moved or given another code,
    its ledger rows' local value moves in the rollup."""
    if created and instance.status != ListingStatus.VERIFIED:
        return
    invalidate_on_change(sender, raw=raw)
    if raw:
        return
    before = getattr(instance, _BEFORE, None)
    now = _locality(instance)
    if created or (before is not None and tuple(before) != now):
        move_rollup_of_suppliers(_local_codes(*before) if before else set(), _local_codes(*now))
    instance.stored_locality = now


def _enterprise_deleted(sender, instance: Enterprise, **kwargs: Any) -> None:
    """The lines keep the code of a supplier no longer listed, which is not local any more."""
    invalidate_on_change(sender)
    move_rollup_of_suppliers(_local_codes(*_locality(instance)), set())


def _district_before_save(sender, instance: District, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None or instance._state.adding:
        return
    setattr(
        instance, _BEFORE, District.objects.filter(pk=instance.pk).values_list("is_local").first()
    )


def _district_saved(sender, instance: District, raw: bool = False, **kwargs: Any) -> None:
    """A district counted in or out of the municipality moves every verified supplier
    registered in it."""
    invalidate_on_change(sender, raw=raw)
    before = getattr(instance, _BEFORE, None)
    if not raw and before is not None and before != (instance.is_local,):
        suppliers = set(
            Enterprise.objects.filter(district=instance, status=ListingStatus.VERIFIED).values_list(
                "uscc", flat=True
            )
        )
        if instance.is_local:
            move_rollup_of_suppliers(set(), suppliers)
        else:
            move_rollup_of_suppliers(suppliers, set())


def connect() -> None:
    """Called once, from the app's ready()."""
    uid = "lcr-ledger"
    pre_save.connect(_line_before_save, sender=PurchaseLine, dispatch_uid=f"{uid}-line-pre")
    post_save.connect(_line_saved, sender=PurchaseLine, dispatch_uid=f"{uid}-line-save")
    post_delete.connect(_line_deleted, sender=PurchaseLine, dispatch_uid=f"{uid}-line-del")
    for signal in (post_save, post_delete):
        signal.connect(
            _confirmation_changed,
            sender=PurchaseLineConfirmation,
            dispatch_uid=f"{uid}-confirmation-{signal is post_save}",
        )
        signal.connect(
            _share_changed,
            sender=LocalContentShare,
            dispatch_uid=f"{uid}-share-{signal is post_save}",
        )
    pre_delete.connect(_product_before_delete, sender=Product, dispatch_uid=f"{uid}-product-pre")
    post_delete.connect(_product_deleted, sender=Product, dispatch_uid=f"{uid}-product-del")
    # Read as they are with the ledger (a supplier's listing and district, the categories'
    # names) or beside it (publications, the trajectory): the cached figures go.
    # A supplier's listing and district (a district's standing) decide what is local: the
    # rollup of the buyers who bought from it is summed again.
    pre_save.connect(
        _enterprise_before_save, sender=Enterprise, dispatch_uid=f"{uid}-enterprise-pre"
    )
    post_save.connect(_enterprise_saved, sender=Enterprise, dispatch_uid=f"{uid}-cache-enterprise")
    post_delete.connect(
        _enterprise_deleted, sender=Enterprise, dispatch_uid=f"{uid}-cache-enterprise-del"
    )
    pre_save.connect(_district_before_save, sender=District, dispatch_uid=f"{uid}-district-pre")
    post_save.connect(_district_saved, sender=District, dispatch_uid=f"{uid}-district-save")
    post_delete.connect(
        invalidate_on_change, sender=District, dispatch_uid=f"{uid}-cache-District-False"
    )
    for model in (SupplyCategory, LcrPublication, LcrTrajectory):
        for signal in (post_save, post_delete):
            signal.connect(
                invalidate_on_change,
                sender=model,
                dispatch_uid=f"{uid}-cache-{model.__name__}-{signal is post_save}",
            )
