"""Shares by date: a product's verified local-content share counts from the day it was
verified, for invoices of that day on; a change never reaches back to earlier invoices, and a
published year keeps its frozen figures."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError
from django.utils import timezone

from directory.lcr.selectors import (
    lcr_by_buyer_and_year,
    lcr_by_year,
    lcr_figures,
    lcr_published_figure,
    local_value_expression,
)
from directory.lcr.services import lcr_year_publish
from directory.models import (
    ListingStatus,
    LocalContentShare,
    Product,
    PurchaseLine,
    StatusChange,
)
from directory.services.products import product_return, product_update, product_verify
from ssb_portal.formulas import quantize_cny
from tests.directory.test_lcr import YEAR, purchase, verified_share
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    outside_district,
)

record_shares_migration = importlib.import_module(
    "directory.migrations.0011_record_verified_local_content_shares"
)


@pytest.fixture
def supplier(db):
    return EnterpriseFactory(name_zh="本地电池包")


@pytest.fixture
def pack(supplier):
    return ProductFactory(enterprise=supplier)


def local_value() -> Decimal:
    """The local value of every line on record, whatever their years."""
    return quantize_cny(PurchaseLine.objects.aggregate(local=local_value_expression())["local"])


def change_share(*, official, pack: Product, share: str | None) -> None:
    """The supplier declares a new share and an official verifies it (today)."""
    member = MembershipFactory(enterprise=pack.enterprise, role="owner").user
    product_update(actor=member, product=pack, data={"local_content_share": share})
    product_verify(actor=official, product=pack)


def test_each_line_counts_with_the_share_in_force_on_its_invoice_date(anchor, supplier, pack):
    # Verified at 30 % on 1 March, at 60 % on 1 July; the product shows 60 % today, and
    # before this change every line counted at 60 %: 2,400 of 4,000.
    verified_share(pack, "30", since=f"{YEAR}-03-01")
    verified_share(pack, "60", since=f"{YEAR}-07-01")
    for day in ("02-01", "03-01", "06-30", "07-01"):
        purchase(anchor, "1000.00", supplier=supplier, product=pack, date=f"{YEAR}-{day}")

    figures = lcr_figures(PurchaseLine.objects.all(), year=YEAR, group_by="quarter")

    # Before any verified share the whole value counts, as for a product without one.
    assert figures["local_value"] == Decimal("2200.00")  # 1,000 + 300 + 300 + 600
    assert figures["lcr_percent"] == Decimal("55.00")
    assert {group["key"]: group["local_value"] for group in figures["groups"]} == {
        f"{YEAR}-Q1": Decimal("1300.00"),
        f"{YEAR}-Q2": Decimal("300.00"),
        f"{YEAR}-Q3": Decimal("600.00"),
    }
    [firm] = lcr_by_buyer_and_year()
    assert firm["local_value"] == Decimal("2200.00")
    [year] = [row for row in lcr_by_year(buyer=anchor) if row["year"] == YEAR]
    assert year["local_value"] == Decimal("2200.00")


def test_a_share_counts_only_for_a_local_verified_supplier(anchor):
    outside = EnterpriseFactory(district=outside_district())
    product = ProductFactory(enterprise=outside)
    verified_share(product, "30")
    purchase(anchor, "1000.00", supplier=outside, product=product)

    assert local_value() == Decimal("0.00")


def test_a_withdrawn_product_keeps_the_share_verified_for_its_invoices(
    anchor, official, supplier, pack
):
    # Before shares had dates, a returned product's lines jumped to 100 % local.
    verified_share(pack, "30")
    purchase(anchor, "1000.00", supplier=supplier, product=pack)

    product_return(actor=official, product=pack, reason="Certificate expired")

    assert Product.objects.get(pk=pack.pk).status == ListingStatus.RETURNED
    assert local_value() == Decimal("300.00")


def test_a_verified_change_counts_from_the_day_of_verification_on(anchor, official, supplier, pack):
    today = timezone.localdate()
    verified_share(pack, "30", since=today - datetime.timedelta(days=400))
    purchase(anchor, "1000.00", supplier=supplier, product=pack, date=today)
    purchase(anchor, "1000.00", supplier=supplier, product=pack, date=today - datetime.timedelta(1))
    assert local_value() == Decimal("600.00")

    change_share(official=official, pack=pack, share="60")

    # Yesterday's invoice keeps 30 %; only today's counts at 60 % (today's code: 1,200).
    assert local_value() == Decimal("900.00")
    latest = pack.local_content_shares.order_by("-valid_from").first()
    assert (latest.share, latest.valid_from, latest.verified_by) == (
        Decimal("60.00"),
        today,
        official,
    )


def test_a_pending_share_counts_nothing_until_verified(anchor, official, supplier, pack):
    verified_share(pack, "30", since="2000-01-01")
    purchase(anchor, "1000.00", supplier=supplier, product=pack, date=timezone.localdate())
    member = MembershipFactory(enterprise=supplier, role="owner").user

    product_update(actor=member, product=pack, data={"local_content_share": "60"})

    assert local_value() == Decimal("300.00")
    assert pack.local_content_shares.count() == 1


def test_a_share_removed_counts_the_whole_value_from_its_verification_on(
    anchor, official, supplier, pack
):
    today = timezone.localdate()
    verified_share(pack, "30", since="2000-01-01")
    purchase(anchor, "1000.00", supplier=supplier, product=pack, date=today)
    purchase(anchor, "1000.00", supplier=supplier, product=pack, date="2001-01-01")

    change_share(official=official, pack=pack, share=None)

    assert local_value() == Decimal("1300.00")
    assert pack.local_content_shares.get(valid_from=today).share is None


def test_two_changes_verified_on_one_day_leave_the_last(anchor, official, supplier, pack):
    verified_share(pack, "30", since="2000-01-01")
    purchase(anchor, "1000.00", supplier=supplier, product=pack, date=timezone.localdate())

    change_share(official=official, pack=pack, share="60")
    change_share(official=official, pack=pack, share="45")

    assert local_value() == Decimal("450.00")
    assert pack.local_content_shares.count() == 2


def test_verifying_changes_that_leave_the_share_records_no_share(official, pack):
    verified_share(pack, "30", since="2000-01-01")
    member = MembershipFactory(enterprise=pack.enterprise, role="owner").user

    product_update(actor=member, product=pack, data={"name": "Li6PS5Cl powder, 2 µm"})
    product_verify(actor=official, product=pack)

    assert pack.local_content_shares.count() == 1


def test_a_new_product_verified_with_a_share_records_it_and_one_without_records_none(
    official, supplier
):
    with_share = ProductFactory(
        enterprise=supplier, status=ListingStatus.PENDING, local_content_share=Decimal("30")
    )
    without = ProductFactory(enterprise=supplier, status=ListingStatus.PENDING)

    product_verify(actor=official, product=with_share)
    product_verify(actor=official, product=without)

    assert list(LocalContentShare.objects.values_list("product", "share", "valid_from")) == [
        (with_share.pk, Decimal("30.00"), timezone.localdate())
    ]


def test_a_published_year_keeps_its_figures_when_a_share_changes(anchor, official, supplier, pack):
    today = timezone.localdate()
    verified_share(pack, "30", since="2000-01-01")
    purchase(anchor, "1000.00", supplier=supplier, product=pack, date=today)
    purchase(anchor, "1000.00", supplier=EnterpriseFactory(district=outside_district()), date=today)
    lcr_year_publish(actor=official, year=today.year)

    change_share(official=official, pack=pack, share="90")

    # Today's invoice now counts at 90 % in the live figure; the published one is frozen.
    assert lcr_figures(anchor.purchases.all(), year=today.year)["lcr_percent"] == Decimal("45.00")
    for buyer in (None, anchor):
        published = lcr_published_figure(year=today.year, buyer=buyer)
        assert (published["local_value"], published["lcr_percent"]) == (
            Decimal("300.00"),
            Decimal("15.00"),
        )


def test_the_lcr_stays_one_aggregate_whatever_the_number_of_shares(
    anchor, supplier, django_assert_max_num_queries
):
    for month in range(1, 13):
        product = ProductFactory(enterprise=supplier)
        for since in range(1, month + 1):
            verified_share(product, str(since * 5), since=f"{YEAR}-{since:02d}-01")
        purchase(
            anchor, "100.00", supplier=supplier, product=product, date=f"{YEAR}-{month:02d}-15"
        )

    # One aggregate and the trajectory; by category one more aggregate.
    with django_assert_max_num_queries(2):
        figures = lcr_figures(PurchaseLine.objects.all(), year=YEAR)
    with django_assert_max_num_queries(3):
        lcr_figures(PurchaseLine.objects.all(), year=YEAR, group_by="category")
    # The GROUP BY, the buyers' names and the trajectory.
    with django_assert_max_num_queries(3):
        lcr_by_buyer_and_year()

    # Line of month m counts at m × 5 %: 100 × 5 % × (1 + … + 12) = 390.
    assert figures["local_value"] == Decimal("390.00")


def test_a_share_is_a_percentage_and_one_a_day_in_the_database(pack):
    LocalContentShare.objects.create(product=pack, share=Decimal("30"), valid_from="2026-01-01")

    with pytest.raises(IntegrityError):
        LocalContentShare.objects.create(product=pack, share=Decimal("40"), valid_from="2026-01-01")


def test_a_share_above_100_percent_is_refused_by_the_database(pack):
    with pytest.raises(IntegrityError):
        LocalContentShare.objects.create(
            product=pack, share=Decimal("130"), valid_from="2026-01-01"
        )


def test_the_migration_dates_each_verified_share_from_the_verification_that_set_it(
    official, supplier
):
    verified = ProductFactory(enterprise=supplier, local_content_share=Decimal("30"))
    _history(verified, "pending", "2025-05-10")
    _history(verified, "verified", "2025-08-01", changes={"name": "renamed"})
    _history(verified, "verified", "2026-02-03", changes={"local_content_share": "30"})
    never_logged = ProductFactory(enterprise=supplier, local_content_share=Decimal("40"))
    Product.objects.filter(pk=never_logged.pk).update(created_at=_at("2024-06-30"))
    ProductFactory(
        enterprise=supplier, status=ListingStatus.PENDING, local_content_share=Decimal("50")
    )
    ProductFactory(enterprise=supplier)

    record_shares_migration.record_current_shares(apps, None)

    assert sorted(LocalContentShare.objects.values_list("product", "share", "valid_from")) == [
        (verified.pk, Decimal("30.00"), datetime.date(2026, 2, 3)),
        (never_logged.pk, Decimal("40.00"), datetime.date(2024, 6, 30)),
    ]


def _at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day} 10:00"))


def _history(product: Product, from_status: str, day: str, changes: dict | None = None) -> None:
    StatusChange.objects.create(
        enterprise=product.enterprise,
        product=product,
        from_status=from_status,
        to_status=ListingStatus.VERIFIED,
        changes=changes,
        created_at=_at(day),
    )
