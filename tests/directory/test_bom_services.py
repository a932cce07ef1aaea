"""Bills of materials: declared by the supplier, verified by an official, rolled up through
tiers into the share the LCR counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from directory.composition.lines import LineInput
from directory.composition.services import bom_declare, bom_expire_due, bom_return
from directory.lcr.ledger import ledger_matches_lines
from directory.models import (
    BillOfMaterials,
    BomStatus,
    BomStatusChange,
    LocalContentShare,
    SafeHarbourClass,
    SafeHarbourTable,
    ShareBasis,
    SupplyCategory,
)
from directory.purchases.selectors import purchase_lines_of_buyer
from tests.directory.bom_support import declare_and_verify, line, report
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    PurchaseLineFactory,
)

pytestmark = pytest.mark.django_db


def _maker(**product):
    enterprise = EnterpriseFactory()
    member = MembershipFactory(enterprise=enterprise).user
    return ProductFactory(enterprise=enterprise, **product), member


@pytest.fixture
def chain(official):
    """cathode (imported, declared 80 %) → cell (local) → pack (local, declared 90 %)."""
    cathode, cathode_member = _maker(local_content_share=Decimal("80.00"))
    cell, cell_member = _maker()
    pack, pack_member = _maker(local_content_share=Decimal("90.00"))
    return {
        "cathode": (cathode, cathode_member),
        "cell": (cell, cell_member),
        "pack": (pack, pack_member),
    }


def _share_in_force(product):
    return product.local_content_shares.order_by("-valid_from").values_list("share", "basis")[0]


def test_three_tiers_roll_up_and_a_tier_two_change_reaches_the_parent_from_that_day(
    official, chain
):
    cathode, cathode_member = chain["cathode"]
    cell, cell_member = chain["cell"]
    pack, pack_member = chain["pack"]
    declare_and_verify(
        official,
        cell_member,
        cell,
        [
            line("cathode", cost=40, component=cathode.pk),
            line("work", kind="labour", cost=60, local_share=50),
        ],
    )
    # The cathode has no verified bill yet: its declared 80 % counts. 40*0.8 + 60*0.5 = 62
    assert _share_in_force(cell) == (Decimal("62.00"), ShareBasis.VERIFIED)
    pack_bom = declare_and_verify(
        official,
        pack_member,
        pack,
        [line("cells", cost=50, component=cell.pk), line("housing", cost=50, origin="abroad")],
    )
    assert pack_bom.computed_share == Decimal("31.00")
    # The cathode's own verified bill says it is all imported: cell and pack follow.
    declare_and_verify(
        official, cathode_member, cathode, [line("precursor", cost=100, origin="abroad")]
    )
    assert _share_in_force(cathode) == (Decimal("0.00"), ShareBasis.VERIFIED)
    assert _share_in_force(cell) == (Decimal("30.00"), ShareBasis.VERIFIED)
    assert _share_in_force(pack) == (Decimal("15.00"), ShareBasis.VERIFIED)
    assert BillOfMaterials.objects.get(pk=pack_bom.pk).computed_share == Decimal("15.00")


def test_the_lcr_counts_the_computed_share_on_the_invoice_date_and_the_ledger_follows(
    official, chain, anchor
):
    pack, pack_member = chain["pack"]
    today = timezone.localdate()
    LocalContentShare.objects.create(
        product=pack, share=Decimal("90.00"), valid_from=today - datetime.timedelta(days=30)
    )
    earlier = PurchaseLineFactory(
        buyer=anchor,
        supplier=pack.enterprise,
        product=pack,
        invoice_date=today - datetime.timedelta(days=1),
    )
    later = PurchaseLineFactory(
        buyer=anchor, supplier=pack.enterprise, product=pack, invoice_date=today
    )
    declare_and_verify(
        official,
        pack_member,
        pack,
        [line("cells", cost=25), line("housing", cost=75, origin="abroad")],
    )
    shares = dict(purchase_lines_of_buyer(anchor.owner, anchor).values_list("pk", "local_share"))
    assert shares == {earlier.pk: Decimal("90.00"), later.pk: Decimal("25.00")}
    assert ledger_matches_lines()


def test_a_cycle_through_verified_bills_is_refused_naming_the_products(official, chain):
    cell, cell_member = chain["cell"]
    pack, pack_member = chain["pack"]
    declare_and_verify(official, pack_member, pack, [line("cells", cost=100, component=cell.pk)])
    with pytest.raises(ValidationError) as refused:
        bom_declare(
            actor=cell_member, product=cell, lines=[line("packs?", cost=100, component=pack.pk)]
        )
    message = refused.value.message_dict["lines"][0]
    assert cell.name in message and pack.name in message
    assert not BillOfMaterials.objects.filter(product=cell).exists()


def test_expiry_brings_back_the_declared_share_for_the_product_and_its_parents(official, chain):
    cell, cell_member = chain["cell"]
    pack, pack_member = chain["pack"]
    cell_bom = declare_and_verify(
        official, cell_member, cell, [line("cathode", cost=100, origin="abroad")], days=10
    )
    declare_and_verify(
        official, pack_member, pack, [line("cells", cost=100, component=cell.pk)], days=400
    )
    assert _share_in_force(pack) == (Decimal("0.00"), ShareBasis.VERIFIED)
    day = timezone.localdate() + datetime.timedelta(days=11)
    assert bom_expire_due(day=day) == 1
    cell_bom.refresh_from_db()
    assert cell_bom.status == BomStatus.EXPIRED
    shares = {
        product: product.local_content_shares.filter(valid_from=day)
        .values_list("share", "basis")
        .get()
        for product in (cell, pack)
    }
    # the cell goes back to "declared" (none: counts whole), the pack's bill takes it as such
    assert shares[cell] == (None, ShareBasis.DECLARED)
    assert shares[pack] == (Decimal("100.00"), ShareBasis.VERIFIED)
    assert BomStatusChange.objects.filter(bom=cell_bom, to_status="expired", actor=None).exists()


def test_withdrawing_a_verified_bill_needs_a_reason_and_restores_the_declared_share(
    official, chain
):
    pack, pack_member = chain["pack"]
    bom = declare_and_verify(official, pack_member, pack, [line("x", cost=100, origin="abroad")])
    with pytest.raises(ValidationError):
        bom_return(actor=official, bom=bom, reason=" ")
    bom_return(actor=official, bom=bom, reason="The report was for another model.")
    assert _share_in_force(pack) == (Decimal("90.00"), ShareBasis.DECLARED)


def test_a_newer_verified_bill_supersedes_the_earlier(official, chain):
    pack, pack_member = chain["pack"]
    first = declare_and_verify(official, pack_member, pack, [line("x", cost=100)])
    second = declare_and_verify(official, pack_member, pack, [line("x", cost=100, origin="abroad")])
    first.refresh_from_db()
    assert (first.status, second.status) == (BomStatus.SUPERSEDED, BomStatus.VERIFIED)


def test_safe_harbour_takes_the_official_cost_shares_and_the_suppliers_origins(official, chain):
    pack, pack_member = chain["pack"]
    table = SafeHarbourTable.objects.create(category=pack.category)
    classes = [
        SafeHarbourClass.objects.create(table=table, name_zh=n, name_en=n, cost_share=Decimal(s))
        for n, s in (("cells", "62.5"), ("housing", "12.5"), ("BMS", "25"))
    ]
    bom = declare_and_verify(
        official,
        pack_member,
        pack,
        [
            LineInput(description="cells", component_class=classes[0].pk, origin="abroad"),
            LineInput(description="housing", component_class=classes[1].pk, origin="local"),
            LineInput(description="BMS", component_class=classes[2].pk, origin="local"),
        ],
        use_safe_harbour=True,
    )
    assert bom.computed_share == Decimal("37.50")
    assert _share_in_force(pack) == (Decimal("37.50"), ShareBasis.SAFE_HARBOUR)


def test_safe_harbour_needs_every_class_once(official, chain):
    pack, pack_member = chain["pack"]
    table = SafeHarbourTable.objects.create(category=pack.category)
    cells = SafeHarbourClass.objects.create(
        table=table, name_zh="电芯", name_en="cells", cost_share=60
    )
    SafeHarbourClass.objects.create(table=table, name_zh="壳体", name_en="housing", cost_share=40)
    with pytest.raises(ValidationError) as refused:
        bom_declare(
            actor=pack_member,
            product=pack,
            lines=[LineInput(description="cells", component_class=cells.pk, origin="local")],
            use_safe_harbour=True,
        )
    assert "lines" in refused.value.message_dict


def test_safe_harbour_without_a_table_for_the_category_is_refused(chain):
    pack, pack_member = chain["pack"]
    pack.category = SupplyCategory.objects.exclude(pk=pack.category_id).first()
    with pytest.raises(ValidationError) as refused:
        bom_declare(actor=pack_member, product=pack, lines=[line(cost=100)], use_safe_harbour=True)
    assert "safe_harbour" in refused.value.message_dict


@pytest.mark.parametrize(
    ("lines", "fragment"),
    [
        ([], "at least one line"),
        ([line("", cost=100)], "Line 1: the description is required"),
        ([line(cost=100), line("b", cost="lots")], "Line 2: the cost must be a number"),
        ([line(cost=-1), line(cost=101)], "Line 1: the cost is required and may not be negative"),
        ([line(cost=100, origin="mars")], "Line 1: the origin must be"),
        ([line(cost=100, kind="resale", origin="")], "Line 1: the source of resold goods"),
        ([line(cost=100, kind="labour")], "Line 1: direct labour and factory overhead"),
        ([line(cost=60), line(cost=30)], "sum to 90"),
        ([line(cost=100, component=999999)], "Line 1: the linked component is not a verified"),
    ],
)
def test_bad_lines_are_refused_naming_the_line_and_nothing_is_saved(chain, lines, fragment):
    pack, pack_member = chain["pack"]
    with pytest.raises(ValidationError) as refused:
        bom_declare(actor=pack_member, product=pack, lines=lines)
    assert any(fragment in m for m in refused.value.message_dict["lines"])
    assert not BillOfMaterials.objects.exists()


def test_another_firms_member_may_not_declare(chain):
    pack, _pack_member = chain["pack"]
    _cell, cell_member = chain["cell"]
    with pytest.raises(PermissionDenied):
        bom_declare(actor=cell_member, product=pack, lines=[line(cost=100)])


def test_only_officials_verify_and_only_with_a_pdf_report(official, chain):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from directory.composition.services import bom_verify

    pack, pack_member = chain["pack"]
    bom = bom_declare(actor=pack_member, product=pack, lines=[line(cost=100)])
    until = timezone.localdate() + datetime.timedelta(days=30)
    with pytest.raises(PermissionDenied):
        bom_verify(actor=pack_member, bom=bom, valid_until=until, evidence=report())
    fake = SimpleUploadedFile("report.pdf", b"not a pdf at all")
    with pytest.raises(ValidationError) as refused:
        bom_verify(actor=official, bom=bom, valid_until=until, evidence=fake)
    assert "evidence" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        bom_verify(
            actor=official,
            bom=bom,
            valid_until=timezone.localdate() - datetime.timedelta(days=1),
            evidence=report(),
        )
    assert "valid_until" in refused.value.message_dict
    bom.refresh_from_db()
    assert bom.status == BomStatus.SUBMITTED


def test_a_declared_share_change_does_not_override_a_verified_bill(official, chain):
    from directory.services.products import product_update, product_verify

    pack, pack_member = chain["pack"]
    declare_and_verify(official, pack_member, pack, [line("x", cost=100, origin="abroad")])
    product_update(actor=pack_member, product=pack, data={"local_content_share": Decimal("95.00")})
    product_verify(actor=official, product=pack)
    assert _share_in_force(pack) == (Decimal("0.00"), ShareBasis.VERIFIED)


def test_every_move_is_recorded_with_who_and_why(official, chain):
    pack, pack_member = chain["pack"]
    bom = declare_and_verify(official, pack_member, pack, [line(cost=100)])
    moves = list(bom.status_changes.values_list("from_status", "to_status", "actor"))
    assert moves == [("", "submitted", pack_member.pk), ("submitted", "verified", official.pk)]
