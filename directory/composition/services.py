"""The writes of bills of materials: a supplier declares, an official verifies (with the
verifier's report and a validity period) or returns, the calendar expires; every move goes
through `BOM_WORKFLOW` and is recorded (status-change row and audit chain).

Whenever the verified bills in force change, `shares_recompute` rolls every share up again
and writes a `LocalContentShare` row, in force from that day, for each product whose share
or basis moved (a parent whose tier-2 component changed included): the LCR, the subsidies
and the alternatives read the share in force on an invoice date as they always did, and the
ledger refreshes through its signals, once per recompute (`lcr_ledger_batch`).
"""

import datetime
import hashlib
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.access import require_member
from directory.audit import notify_members_of_decision
from directory.bulk import chunks
from directory.composition.lines import (
    BLOCKS,
    HUNDRED,
    BillRefused,
    LineInput,
    decimal_or_none,
    line_errors,
    line_problem,
    part_of,
)
from directory.composition.rollup import CompositionCycle, NoCost, Part, roll_up
from directory.composition.workflow import BOM_WORKFLOW, CALENDAR
from directory.lcr.ledger import lcr_ledger_batch, pairs_of_lines, refresh_lcr_ledger
from directory.models import (
    BillOfMaterials,
    BomLine,
    BomStatus,
    BomStatusChange,
    CostUnit,
    ListingStatus,
    LocalContentShare,
    Product,
    PurchaseLine,
    SafeHarbourClass,
    SafeHarbourTable,
    ShareBasis,
)
from directory.workflow import OFFICIAL
from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.private_files import require_pdf_upload
from ssb_portal.roles import require_official
from ssb_portal.stored_files import store_file
from ssb_portal.workflow import transition


def _check_cycle(product: Product, parts: Sequence[Part]) -> None:
    """Refuse a bill that would make the verified bills link a product back to itself."""
    bills, declared, _bases = verified_bills_in_force(timezone.localdate())
    bills[product.pk] = list(parts)
    try:
        roll_up(bills, declared)
    except CompositionCycle as cycle:
        raise ValidationError({"lines": [_cycle_message(cycle)]}) from cycle


def _cycle_message(cycle: CompositionCycle) -> str:
    names = dict(Product.objects.filter(pk__in=cycle.path).values_list("pk", "name"))
    return _(
        "These products would each be made of the next, in a circle: %(path)s. "
        "A product cannot contain itself; correct the linked components."
    ) % {"path": " → ".join(names.get(pk, str(pk)) for pk in cycle.path)}


def _checked_lines(
    *,
    product: Product,
    lines: Sequence[LineInput],
    cost_unit: str,
    use_safe_harbour: bool,
) -> tuple[SafeHarbourTable | None, str]:
    """Check a bill's lines as a whole (each line, the links, the classes, the sum, cycles);
    returns the safe-harbour table used (or None) and the cost unit. Raises `BillRefused`
    (a cycle: ValidationError naming the products)."""
    errors: dict[str, list[str]] = {}
    table = None
    classes: dict[int, SafeHarbourClass] = {}
    if use_safe_harbour:
        table = getattr(product.category, "safe_harbour_table", None)
        if table is None:
            raise BillRefused(
                {"safe_harbour": [_("There is no safe-harbour table for this product's category.")]}
            )
        classes = {c.pk: c for c in table.classes.all()}
    elif cost_unit not in CostUnit.values:
        errors["cost_unit"] = [_("Costs are given in CNY per unit or in percent of the cost.")]
    if not lines:
        errors["lines"] = [_("A bill of materials needs at least one line.")]
    problems = [
        problem
        for number, line in enumerate(lines, start=1)
        for problem in line_errors(number, line, safe_harbour=table is not None)
    ]
    components = {line.component for line in lines if line.component is not None}
    known = set(
        Product.objects.filter(pk__in=components, status=ListingStatus.VERIFIED).values_list(
            "pk", flat=True
        )
    )
    for number, line in enumerate(lines, start=1):
        if line.component is not None and line.component not in known:
            problems.append(
                line_problem(
                    number, "component", _("the linked component is not a verified product.")
                )
            )
        if line.component == product.pk:
            problems.append(
                line_problem(number, "component", _("a product cannot be its own component."))
            )
    general: list[str] = []
    if table is not None:
        stated = [line.component_class for line in lines]
        if sorted(stated, key=str) != sorted(classes, key=str):
            general.append(
                _("State the origin of each class of the safe-harbour table once: %(classes)s.")
                % {"classes": ", ".join(str(c) for c in classes.values())}
            )
    if problems or general:
        errors.setdefault("lines", []).extend([p.message for p in problems] + general)
    if errors:
        raise BillRefused(errors, problems)

    def cost_of(line: LineInput) -> Decimal:
        if table is not None:
            return classes[line.component_class].cost_share
        return decimal_or_none(line.cost)

    parts = [
        part_of(
            line.kind, line.origin, cost_of(line), decimal_or_none(line.local_share), line.component
        )
        for line in lines
    ]
    total = sum((part.cost for part in parts), Decimal(0))
    if total <= 0:
        raise BillRefused({"lines": [_("The costs of the lines sum to nothing.")]})
    unit = CostUnit.PERCENT if table is not None else cost_unit
    if unit == CostUnit.PERCENT and total != HUNDRED:
        raise BillRefused(
            {"lines": [_("The cost shares sum to %(total)s %%, not 100 %%.") % {"total": total}]}
        )
    _check_cycle(product, parts)
    return table, unit


def _save_lines(bom: BillOfMaterials, lines: Sequence[LineInput]) -> None:
    harbour = bom.safe_harbour_id is not None
    BomLine.objects.bulk_create(
        BomLine(
            bom=bom,
            kind=line.kind,
            description=str(line.description).strip(),
            origin="" if line.kind in BLOCKS else line.origin,
            cost=None if harbour else decimal_or_none(line.cost),
            local_share=decimal_or_none(line.local_share) if line.kind in BLOCKS else None,
            component_id=line.component,
            component_class_id=line.component_class if harbour else None,
        )
        for line in lines
    )


@transaction.atomic
def bom_declare(
    *,
    actor: AbstractBaseUser,
    product: Product,
    lines: Sequence[LineInput],
    cost_unit: str = CostUnit.PERCENT,
    use_safe_harbour: bool = False,
    corrects: BillOfMaterials | None = None,
) -> BillOfMaterials:
    """A supplier's bill of materials for its product, submitted for verification. Every
    line is checked before anything is saved; errors name the line. `corrects`: the returned
    bill this one corrects (its history says so)."""
    require_member(actor, product.enterprise)
    if corrects is not None and (
        corrects.product_id != product.pk or corrects.status != BomStatus.RETURNED
    ):
        raise ValidationError(_("Only a returned bill of this product can be corrected."))
    table, unit = _checked_lines(
        product=product, lines=lines, cost_unit=cost_unit, use_safe_harbour=use_safe_harbour
    )
    bom = BillOfMaterials.objects.create(
        product=product, cost_unit=unit, safe_harbour=table, declared_by=actor
    )
    _save_lines(bom, lines)
    reason = ""
    if corrects is not None:
        reason = _("Corrects the returned bill of %(date)s.") % {
            "date": timezone.localtime(corrects.declared_at).date()
        }
    _record(bom, actor=actor, from_status="", to_status=BomStatus.SUBMITTED, reason=reason)
    return bom


def require_waiting(bom: BillOfMaterials) -> None:
    """Refuse to change a bill no longer waiting for verification."""
    if bom.status != BomStatus.SUBMITTED:
        raise ValidationError(
            _("Only a bill waiting for verification can be changed; this one is “%(status)s”.")
            % {"status": bom.get_status_display()}
        )


@transaction.atomic
def bom_amend(
    *,
    actor: AbstractBaseUser,
    bom: BillOfMaterials,
    lines: Sequence[LineInput],
    cost_unit: str = CostUnit.PERCENT,
    use_safe_harbour: bool = False,
) -> BillOfMaterials:
    """The supplier corrects a bill still waiting for verification: its lines are replaced
    by these, checked as a new declaration's are (all or nothing), and its history says so."""
    bom = (
        BillOfMaterials.objects.select_for_update(of=("self",))
        .select_related("product__enterprise", "product__category")
        .get(pk=bom.pk)
    )
    require_member(actor, bom.product.enterprise)
    require_waiting(bom)
    table, unit = _checked_lines(
        product=bom.product, lines=lines, cost_unit=cost_unit, use_safe_harbour=use_safe_harbour
    )
    bom.lines.all().delete()
    bom.cost_unit = unit
    bom.safe_harbour = table
    bom.declared_by = actor
    bom.declared_at = timezone.now()
    bom.save(update_fields=["cost_unit", "safe_harbour", "declared_by", "declared_at"])
    _save_lines(bom, lines)
    _record(
        bom,
        actor=actor,
        from_status=BomStatus.SUBMITTED,
        to_status=BomStatus.SUBMITTED,
        reason=_("Changed by the supplier before verification."),
    )
    return bom


def _record(
    bom: BillOfMaterials,
    *,
    actor: AbstractBaseUser | None,
    from_status: str,
    to_status: str,
    reason: str,
) -> BomStatusChange:
    known = actor is not None and actor.is_authenticated
    change = BomStatusChange.objects.create(
        bom=bom,
        actor=actor if known else None,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    audit_append(
        actor=actor if known else None,
        action="bill_of_materials",
        subject=bom,
        data={
            "product": bom.product_id,
            "from": from_status,
            "to": to_status,
            "reason": reason,
            "computed_share": bom.computed_share,
            "valid_until": bom.valid_until,
        },
    )
    return change


def _move(
    bom: BillOfMaterials,
    *,
    actor: AbstractBaseUser | None,
    role: str,
    target: str,
    reason: str,
    also_update: Sequence[str] = (),
) -> BomStatusChange:
    return transition(
        bom,
        BOM_WORKFLOW,
        target=target,
        roles=role,
        also_update=also_update,
        record=lambda current, to: _record(
            bom, actor=actor, from_status=current, to_status=to, reason=reason
        ),
    )


def bills_page_path(product: Product) -> str:
    """The supplier's page of a product's bills of materials."""
    return reverse("directory:bom_list", args=[product.enterprise.uscc, product.pk])


def _in_readers_language(compose) -> str:
    """A text written when a reader's language is active (each e-mail's), not now."""
    return lazy(compose, str)()


def _notify(bom: BillOfMaterials, decision: str, reason: str = "") -> None:
    """Tell the supplier's members (after commit, each in their language) what became of the
    bill; `decision` and `reason` may be lazy."""
    product = bom.product
    notify_members_of_decision(
        product.enterprise,
        _in_readers_language(
            lambda: _("Bill of materials of %(product)s") % {"product": product.name}
        ),
        decision,
        reason,
        path=bills_page_path(product),
    )


def _read_evidence(upload) -> bytes:
    require_pdf_upload(
        upload, field="evidence", not_pdf=_("The verifier's report must be a PDF file.")
    )
    content = b"".join(upload.chunks())
    upload.seek(0)
    return content


@transaction.atomic
def bom_verify(
    *,
    actor: AbstractBaseUser,
    bom: BillOfMaterials,
    valid_until: datetime.date,
    evidence,
    reason: str = "",
) -> BillOfMaterials:
    """Verify a submitted bill with the verifier's report (PDF), valid from today until
    `valid_until`; the product's earlier verified bill gives way, and every share that
    depends on it is rolled up again from today."""
    require_official(actor)
    bom = (
        BillOfMaterials.objects.select_for_update(of=("self",))
        .select_related("product__enterprise")
        .get(pk=bom.pk)
    )
    today = timezone.localdate()
    BOM_WORKFLOW.check(current=bom.status, target=BomStatus.VERIFIED, roles=OFFICIAL)
    if valid_until is None or valid_until < today:
        raise ValidationError({"valid_until": [_("The validity must end today or later.")]})
    if evidence is None:
        raise ValidationError({"evidence": [_("Attach the verifier's report.")]})
    content = _read_evidence(evidence)
    for earlier in BillOfMaterials.objects.select_for_update().filter(
        product=bom.product, status=BomStatus.VERIFIED
    ):
        _move(
            earlier,
            actor=actor,
            role=OFFICIAL,
            target=BomStatus.SUPERSEDED,
            reason=_("A newer bill of materials was verified."),
        )
    bom.evidence_sha256 = hashlib.sha256(content).hexdigest()
    bom.evidence_name = evidence.name[:255]
    store_file(bom.evidence, evidence.name, ContentFile(content), field="evidence")
    bom.verified_by = actor
    bom.valid_from = today
    bom.valid_until = valid_until
    _move(
        bom,
        actor=actor,
        role=OFFICIAL,
        target=BomStatus.VERIFIED,
        reason=reason,
        also_update=[
            "evidence",
            "evidence_name",
            "evidence_sha256",
            "verified_by",
            "valid_from",
            "valid_until",
        ],
    )
    shares_recompute(actor=actor, day=today)
    bom.refresh_from_db(fields=["computed_share"])
    _notify(
        bom,
        _in_readers_language(
            lambda: _("verified, computed local share %(share)s %%, valid until %(date)s")
            % {"share": bom.computed_share, "date": bom.valid_until}
        ),
        reason,
    )
    return bom


@transaction.atomic
def bom_return(*, actor: AbstractBaseUser, bom: BillOfMaterials, reason: str) -> BillOfMaterials:
    """Return a submitted bill, or withdraw a verified one (its product's share goes back to
    the declared one from today, its parents' with it)."""
    require_official(actor)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why, so that the supplier can correct it.")]})
    bom = (
        BillOfMaterials.objects.select_for_update(of=("self",))
        .select_related("product__enterprise")
        .get(pk=bom.pk)
    )
    was_verified = bom.status == BomStatus.VERIFIED
    _move(bom, actor=actor, role=OFFICIAL, target=BomStatus.RETURNED, reason=reason)
    if was_verified:
        shares_recompute(actor=actor, day=timezone.localdate())
    _notify(bom, gettext_lazy("returned"), reason)
    return bom


@transaction.atomic
def bom_expire_due(*, day: datetime.date | None = None) -> int:
    """Expire the verified bills whose validity ended before `day` (default today) and roll
    the shares up again from that day; returns how many expired."""
    day = day or timezone.localdate()
    due = list(
        BillOfMaterials.objects.select_for_update(of=("self",))
        .select_related("product__enterprise")
        .filter(status=BomStatus.VERIFIED, valid_until__lt=day)
    )
    for bom in due:
        _move(
            bom,
            actor=None,
            role=CALENDAR,
            target=BomStatus.EXPIRED,
            reason=_("The verification ran out on %(date)s.") % {"date": bom.valid_until},
        )
        _notify(
            bom,
            _in_readers_language(
                lambda bom=bom: _("expired on %(date)s; declare a new bill to have it verified")
                % {"date": bom.valid_until}
            ),
        )
    if due:
        shares_recompute(actor=None, day=day)
    return len(due)


def verified_bills_in_force(
    day: datetime.date,
) -> tuple[
    dict[int, list[Part]], dict[int, Decimal | None], dict[int, tuple[int, str, Decimal | None]]
]:
    """The verified bills in force on `day` as roll-up input: {product: parts}, the declared
    shares of linked products without a bill, and {product: (bill id, basis, share last
    computed)}. Two queries."""
    rows = (
        BomLine.objects.filter(
            bom__status=BomStatus.VERIFIED, bom__valid_from__lte=day, bom__valid_until__gte=day
        )
        .order_by()
        .values_list(
            "bom__product_id",
            "bom_id",
            "bom__safe_harbour_id",
            "bom__computed_share",
            "kind",
            "origin",
            "cost",
            "component_class__cost_share",
            "local_share",
            "component_id",
        )
    )
    bills: dict[int, list[Part]] = {}
    bases: dict[int, tuple[int, str, Decimal | None]] = {}
    for (
        product,
        bom,
        harbour,
        kept,
        kind,
        origin,
        cost,
        class_share,
        local_share,
        component,
    ) in rows:
        # `part_of`, inlined: this loop runs once per line of every bill in force.
        block = kind in BLOCKS
        part = Part(
            class_share if harbour is not None else cost,
            origin,
            local_share if block else None,
            None if block else component,
        )
        parts = bills.get(product)
        if parts is None:
            bills[product] = parts = []
            basis = ShareBasis.SAFE_HARBOUR if harbour else ShareBasis.VERIFIED
            bases[product] = (bom, basis, kept)
        parts.append(part)
    linked = {
        part.component
        for parts in bills.values()
        for part in parts
        if part.component is not None and part.component not in bills
    }
    declared = dict(Product.objects.filter(pk__in=linked).values_list("pk", "local_content_share"))
    return bills, declared, bases


def shares_recompute(*, actor: AbstractBaseUser | None, day: datetime.date) -> int:
    """Roll every verified bill in force on `day` up again and write the shares that moved as
    in force from `day`: a billed product gets its computed share (basis: verified
    composition or safe harbour), a product whose bill is no longer in force goes back to its
    declared share. Returns the number of shares written. Raises ValidationError on a cycle."""
    bills, declared, bases = verified_bills_in_force(day)
    try:
        computed = roll_up(bills, declared)
    except CompositionCycle as cycle:
        raise ValidationError({"lines": [_cycle_message(cycle)]}) from cycle
    except NoCost as empty:
        raise ValidationError(
            {
                "lines": [
                    _("A verified bill of materials has no cost: product %(pk)s.")
                    % {"pk": empty.product}
                ]
            }
        ) from empty
    wanted: dict[int, tuple[Decimal | None, str]] = {
        product: (share, bases[product][1]) for product, share in computed.items()
    }
    in_force = _shares_in_force(day)
    no_longer = [
        product
        for product, (_share, basis) in in_force.items()
        if basis != ShareBasis.DECLARED and product not in wanted
    ]
    for product, share in Product.objects.filter(pk__in=no_longer).values_list(
        "pk", "local_content_share"
    ):
        wanted[product] = (share, ShareBasis.DECLARED)
    changed = {
        product: target for product, target in wanted.items() if in_force.get(product) != target
    }
    _write_shares(changed, actor=actor, day=day)
    stale = [
        BillOfMaterials(pk=bases[product][0], computed_share=share)
        for product, share in computed.items()
        if bases[product][2] != share
    ]
    BillOfMaterials.objects.bulk_update(stale, ["computed_share"], batch_size=500)
    return len(changed)


def _write_shares(
    changed: dict[int, tuple[Decimal | None, str]],
    *,
    actor: AbstractBaseUser | None,
    day: datetime.date,
) -> None:
    """Write the moved shares in bulk, as in force from `day` (replacing one written earlier
    the same day), and refresh the ledger of the buyers whose lines name those products
    once (bulk writes send no signals)."""
    if not changed:
        return
    now = timezone.now()
    verifier = actor if actor is not None and actor.is_authenticated else None
    products = sorted(changed)
    pairs: set = set()
    with lcr_ledger_batch():
        for chunk in chunks(products, 500):
            LocalContentShare.objects.filter(product_id__in=chunk, valid_from=day).delete()
            pairs |= pairs_of_lines(PurchaseLine.objects.filter(product_id__in=chunk))
        LocalContentShare.objects.bulk_create(
            [
                LocalContentShare(
                    product_id=product,
                    share=changed[product][0],
                    basis=changed[product][1],
                    valid_from=day,
                    verified_by=verifier,
                    verified_at=now,
                )
                for product in products
            ],
            batch_size=1000,
        )
        refresh_lcr_ledger(pairs)


def _shares_in_force(day: datetime.date) -> dict[int, tuple[Decimal | None, str]]:
    """{product: (share, basis)} in force on `day`, for products that have a share row."""
    latest: dict[int, tuple[Decimal | None, str]] = {}
    rows = (
        LocalContentShare.objects.filter(valid_from__lte=day)
        .order_by("product_id", "valid_from")
        .values_list("product_id", "share", "basis")
    )
    for product, share, basis in rows.iterator(chunk_size=5000):
        latest[product] = (share, basis)
    return latest
