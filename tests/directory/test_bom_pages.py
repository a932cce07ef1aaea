"""The composition on the enterprise's page, and the basis of an anchor's local value on its
LCR page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.composition.selectors import local_value_by_basis
from tests.directory.bom_support import declare_and_verify, line
from tests.factories import MembershipFactory, ProductFactory, PurchaseLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack_and_cell(official):
    cell = ProductFactory(name="Demo cell 21700", local_content_share=Decimal("80"))
    pack = ProductFactory(name="Demo pack 48V", local_content_share=Decimal("90"))
    cell_member = MembershipFactory(enterprise=cell.enterprise).user
    pack_member = MembershipFactory(enterprise=pack.enterprise).user
    declare_and_verify(
        official,
        cell_member,
        cell,
        [line("cathode", cost=40, origin="abroad"), line("rest", cost=60)],
    )
    declare_and_verify(
        official,
        pack_member,
        pack,
        [
            line("cells", cost=50, component=cell.pk),
            line("labour", kind="labour", cost=50, local_share=100),
        ],
    )
    return pack, cell


def test_the_enterprise_page_shows_the_roll_up_tree(client, pack_and_cell):
    pack, cell = pack_and_cell
    page = client.get(reverse("directory:detail", args=[pack.enterprise.uscc])).content.decode()
    assert "80.00 %" in page  # 50*0.6 + 50 = 80
    assert "Demo cell 21700" in page and "60.00 %" in page
    assert "cathode" in page  # the cell's own lines, one tier down


def test_the_lcr_page_says_how_much_local_value_rests_on_verified_composition(
    client, anchor, pack_and_cell
):
    pack, _cell = pack_and_cell
    today = timezone.localdate()
    PurchaseLineFactory(
        buyer=anchor,
        supplier=pack.enterprise,
        product=pack,
        invoice_date=today,
        amount=Decimal(1000),
    )
    PurchaseLineFactory(buyer=anchor, invoice_date=today, amount=Decimal(200))
    rows = {row["basis"]: row for row in local_value_by_basis(anchor, today.year)}
    assert rows["verified"]["local_value"] == Decimal("800.00")
    assert rows["declared"]["local_value"] == Decimal("200.00")
    assert rows["verified"]["percent"] == Decimal("80.00")
    client.force_login(anchor.owner)
    page = client.get(reverse("lcr:buyer", args=[anchor.uscc]), {"year": today.year})
    assert page.status_code == 200
    assert "composition-basis" in page.content.decode()
