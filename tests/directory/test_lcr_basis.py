"""An anchor's local value by what its suppliers' shares rest on (issue 19): declared,
verified composition, safe-harbour table, or no share at all; moved by the bills of
materials' verification and expiry through the ledger, the rollup and the year table."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.composition.services import bom_expire_due
from directory.lcr.ledger import ledger_matches_lines
from directory.lcr.selectors import lcr_by_basis, lcr_figures, lcr_rollup, lcr_years
from directory.models import LcrBasis, LocalContentShare, PurchaseLine
from tests.directory.bom_support import declare_and_verify, line
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    PurchaseLineFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
EXPIRY = TODAY + datetime.timedelta(days=11)


@pytest.fixture
def bought(official, anchor):
    """A local pack maker whose pack is declared 90 % local; the anchor buys the pack before
    its bill is verified, on the day and after the bill expires, and a part with no product."""
    maker = EnterpriseFactory(name_zh="本地电池包")
    member = MembershipFactory(enterprise=maker).user
    pack = ProductFactory(enterprise=maker, local_content_share=Decimal("90.00"))
    LocalContentShare.objects.create(
        product=pack, share=Decimal("90.00"), valid_from=TODAY - datetime.timedelta(days=30)
    )
    for day in (TODAY - datetime.timedelta(days=1), TODAY, EXPIRY):
        PurchaseLineFactory(
            buyer=anchor, supplier=maker, product=pack, invoice_date=day, amount="1000.00"
        )
    PurchaseLineFactory(buyer=anchor, supplier=maker, invoice_date=TODAY, amount="500.00")
    return {"anchor": anchor, "pack": pack, "member": member}


def _years():
    return sorted({TODAY.year, (TODAY - datetime.timedelta(days=1)).year, EXPIRY.year})


def _by_basis(buyer) -> dict[str, tuple[Decimal, Decimal]]:
    """{basis: (local value, total value)} over the years of the lines, from the rollup, after
    checking that the lines give the same and that the groups add up to the year's figure."""
    summed: dict[str, tuple[Decimal, Decimal]] = {}
    for year in _years():
        groups = lcr_by_basis(lcr_rollup(buyer), year=year)
        assert groups == lcr_by_basis(PurchaseLine.objects.filter(buyer=buyer), year=year)
        figure = lcr_figures(lcr_years(buyer), year=year)
        assert sum(group["local_value"] for group in groups) == figure["local_value"]
        assert sum(group["total_value"] for group in groups) == figure["total_value"]
        for group in groups:
            local, total = summed.get(group["key"], (Decimal(0), Decimal(0)))
            summed[group["key"]] = (local + group["local_value"], total + group["total_value"])
    return summed


def test_a_verified_bill_and_its_expiry_move_the_local_value_between_bases(official, bought):
    anchor, pack = bought["anchor"], bought["pack"]
    assert _by_basis(anchor) == {
        LcrBasis.DECLARED: (Decimal("2700.00"), Decimal("3000.00")),
        LcrBasis.NO_SHARE: (Decimal("500.00"), Decimal("500.00")),
    }

    # From today the pack's bill says 25 % local: today's line and the later one move.
    declare_and_verify(
        official,
        bought["member"],
        pack,
        [line("cells", cost=25), line("housing", cost=75, origin="abroad")],
        days=10,
    )
    assert _by_basis(anchor) == {
        LcrBasis.DECLARED: (Decimal("900.00"), Decimal("1000.00")),
        LcrBasis.VERIFIED: (Decimal("500.00"), Decimal("2000.00")),
        LcrBasis.NO_SHARE: (Decimal("500.00"), Decimal("500.00")),
    }
    assert ledger_matches_lines()

    # Expired, the declared 90 % is back for the line invoiced from that day.
    assert bom_expire_due(day=EXPIRY) == 1
    assert _by_basis(anchor) == {
        LcrBasis.DECLARED: (Decimal("1800.00"), Decimal("2000.00")),
        LcrBasis.VERIFIED: (Decimal("250.00"), Decimal("1000.00")),
        LcrBasis.NO_SHARE: (Decimal("500.00"), Decimal("500.00")),
    }
    assert ledger_matches_lines()


def test_a_share_whose_basis_alone_changes_moves_its_lines(bought):
    anchor, pack = bought["anchor"], bought["pack"]
    share = LocalContentShare.objects.get(product=pack)
    share.basis = LcrBasis.SAFE_HARBOUR
    share.save()
    assert _by_basis(anchor)[LcrBasis.SAFE_HARBOUR] == (Decimal("2700.00"), Decimal("3000.00"))
    assert LcrBasis.DECLARED not in _by_basis(anchor)
    assert ledger_matches_lines()


def test_the_firm_page_shows_the_local_value_by_basis(client, bought):
    anchor = bought["anchor"]
    client.force_login(anchor.owner)
    response = client.get(reverse("lcr:buyer", args=[anchor.uscc]), {"year": TODAY.year})
    assert response.status_code == 200
    assert [group["key"] for group in response.context["by_basis"]] == [
        LcrBasis.DECLARED,
        LcrBasis.NO_SHARE,
    ]
    html = response.content.decode()
    assert 'id="by-basis"' in html and "No share (counts whole)" in html


def test_the_dashboard_shows_the_citys_local_value_by_basis(client, official, bought):
    client.force_login(official)
    response = client.get(reverse("lcr:dashboard"), {"year": TODAY.year})
    assert response.status_code == 200
    assert {group["key"] for group in response.context["by_basis"]} == {
        LcrBasis.DECLARED,
        LcrBasis.NO_SHARE,
    }
    assert 'id="by-basis-heading"' in response.content.decode()


def test_the_api_answers_a_firms_and_the_citys_figure_by_basis(api_client, bought):
    anchor = bought["anchor"]
    api_client.force_authenticate(anchor.owner)
    year = (TODAY - datetime.timedelta(days=1)).year
    body = api_client.get(
        "/api/v1/lcr/", {"buyer": anchor.uscc, "year": year, "group_by": "basis"}
    ).json()
    city = api_client.get("/api/v1/lcr/", {"year": year, "group_by": "basis"}).json()
    assert {group["key"]: group["local_value"] for group in body["groups"]} == {
        group["key"]: group["local_value"] for group in city["groups"]
    }
    assert {group["key"] for group in body["groups"]} == {"declared", "none"}
    assert sum(Decimal(group["local_value"]) for group in body["groups"]) == Decimal(
        body["local_value"]
    )


def test_another_firms_member_gets_404_for_the_figures_by_basis(api_client, bought):
    stranger = MembershipFactory(enterprise=EnterpriseFactory()).user
    api_client.force_authenticate(stranger)
    response = api_client.get("/api/v1/lcr/", {"buyer": bought["anchor"].uscc, "group_by": "basis"})
    assert response.status_code == 404


def test_the_figures_by_basis_take_one_query(bought, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        lcr_by_basis(lcr_rollup(bought["anchor"]), year=TODAY.year)
