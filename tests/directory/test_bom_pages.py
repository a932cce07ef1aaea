"""The composition on the enterprise's page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.directory.bom_support import declare_and_verify, line
from tests.factories import MembershipFactory, ProductFactory

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
