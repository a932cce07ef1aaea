"""The Local Content Ratio: which value counts as local, the trajectory, published years."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from directory.lcr.alternatives import local_alternatives
from directory.lcr.selectors import (
    lcr_by_buyer_and_year,
    lcr_by_year,
    lcr_figures,
    lcr_for_buyer,
    lcr_published_figure,
    lcr_target_percent,
)
from directory.lcr.services import lcr_trajectory_set, lcr_year_publish
from directory.models import (
    Enterprise,
    LcrPublication,
    ListingStatus,
    LocalContentShare,
    Product,
    PurchaseLine,
    SupplyCategory,
)
from directory.services.enterprises import enterprise_verify, enterprise_withdraw
from directory.services.products import product_update, product_verify
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    outside_district,
)

YEAR = 2026
_invoices = itertools.count(1)


def purchase(
    buyer: Enterprise,
    amount: str,
    *,
    supplier: Enterprise | str | None = None,
    supplier_name: str = "",
    product: Product | None = None,
    category: str = "sulfide-electrolyte",
    date: datetime.date | str = f"{YEAR}-03-15",
) -> PurchaseLine:
    """One invoice line; `supplier` is a directory enterprise or the USCC of an unregistered one."""
    uscc = supplier.uscc if isinstance(supplier, Enterprise) else supplier
    name = supplier.name_zh if isinstance(supplier, Enterprise) else supplier_name or "外地供应商"
    return PurchaseLine.objects.create(
        buyer=buyer,
        supplier_id=uscc,
        supplier_name=name,
        invoice_no=f"INV-{next(_invoices):06d}",
        line_no=1,
        invoice_date=date,
        category=SupplyCategory.objects.get(slug=category),
        product=product,
        amount=Decimal(amount),
        # A credit note names the invoice it corrects (a CHECK constraint of the table).
        original_invoice_no="INV-ORIGINAL" if Decimal(amount) < 0 else "",
    )


def verified_share(product: Product, share: str, *, since: str = f"{YEAR}-01-01") -> None:
    """Give a verified product a local-content share, as verified by an official on `since`."""
    Product.objects.filter(pk=product.pk).update(local_content_share=Decimal(share))
    LocalContentShare.objects.create(product=product, share=Decimal(share), valid_from=since)


def city(year: int = YEAR, group_by: str | None = None) -> dict:
    return lcr_figures(PurchaseLine.objects.all(), year=year, group_by=group_by)


@pytest.fixture(autouse=True)
def _default_trajectory(settings):
    # Until officials set one: 40 % in 2025, 70 % in 2030, 6 points a year.
    settings.LCR_DEFAULT_BASELINE_YEAR = 2025


@pytest.fixture
def local_supplier(db):
    return EnterpriseFactory(name_zh="本地电解质", categories=["sulfide-electrolyte"])


@pytest.fixture
def remote_supplier(db):
    return EnterpriseFactory(name_zh="外地电解质", district=outside_district())


# --- which value is local ------------------------------------------------------------------


def test_worked_example_1000_local_and_30_percent_of_1000_over_3900_is_33_33(
    anchor, local_supplier, remote_supplier
):
    assembler = EnterpriseFactory(name_zh="本地电池包")
    pack = ProductFactory(
        enterprise=assembler, category=SupplyCategory.objects.get(slug="pack-bms")
    )
    verified_share(pack, "30")
    purchase(anchor, "1000.00", supplier=local_supplier)
    purchase(anchor, "1000.00", supplier=assembler, product=pack, category="pack-bms")
    purchase(anchor, "1900.00", supplier=remote_supplier)

    figures = city()

    assert figures["local_value"] == Decimal("1300.00")
    assert figures["total_value"] == Decimal("3900.00")
    assert figures["lcr_percent"] == Decimal("33.33")
    assert figures["target_percent"] == Decimal("46.00")


def test_supplier_counts_as_local_only_from_its_verification_on(anchor, official):
    newcomer = EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None)
    purchase(anchor, "500.00", supplier=newcomer)
    purchase(anchor, "500.00", supplier="91330100MA2XXXXX0X", supplier_name="未注册")

    assert city()["local_value"] == Decimal("0.00")

    enterprise_verify(actor=official, enterprise=newcomer)

    assert city()["local_value"] == Decimal("500.00")
    assert city()["lcr_percent"] == Decimal("50.00")


def test_verified_supplier_outside_the_municipality_counts_nothing(anchor, remote_supplier):
    purchase(anchor, "800.00", supplier=remote_supplier)

    assert city()["local_value"] == Decimal("0.00")
    assert city()["lcr_percent"] == Decimal("0.00")


def test_unregistered_supplier_counts_nothing_with_or_without_a_code(anchor, local_supplier):
    purchase(anchor, "100.00", supplier=local_supplier)
    purchase(anchor, "100.00", supplier="91330100MA2ZZZZZ0Z", supplier_name="未登记")
    purchase(anchor, "200.00", supplier=None, supplier_name="无代码供应商")

    figures = city()

    assert figures["local_value"] == Decimal("100.00")
    assert figures["lcr_percent"] == Decimal("25.00")


def test_verified_30_percent_share_counts_until_a_pending_change_is_verified(
    anchor, official, local_supplier
):
    today = timezone.localdate()
    product = ProductFactory(enterprise=local_supplier)
    verified_share(product, "30", since=today.replace(month=1, day=1))
    purchase(anchor, "1000.00", supplier=local_supplier, product=product, date=today)
    assert city(today.year)["local_value"] == Decimal("300.00")

    product_update(
        actor=_member_of(local_supplier), product=product, data={"local_content_share": "60"}
    )
    assert Product.objects.get(pk=product.pk).pending_changes == {"local_content_share": "60"}
    assert city(today.year)["local_value"] == Decimal("300.00")

    product_verify(actor=official, product=product)
    assert city(today.year)["local_value"] == Decimal("600.00")


def test_product_without_a_share_of_a_local_supplier_counts_in_full(anchor, local_supplier):
    product = ProductFactory(enterprise=local_supplier)
    purchase(anchor, "400.00", supplier=local_supplier, product=product)

    assert city()["local_value"] == Decimal("400.00")


def test_credit_note_lowers_the_local_and_the_total_value(anchor, local_supplier, remote_supplier):
    purchase(anchor, "1000.00", supplier=local_supplier)
    purchase(anchor, "-200.00", supplier=local_supplier)
    purchase(anchor, "1000.00", supplier=remote_supplier)

    figures = city()

    assert figures["local_value"] == Decimal("800.00")
    assert figures["total_value"] == Decimal("1800.00")
    assert figures["lcr_percent"] == Decimal("44.44")


def test_ratio_rounds_half_up_at_the_half_hundredth(anchor, local_supplier, remote_supplier):
    # 2.25 / 200.00 = 1.125 %: half-up gives 1.13 (banker's rounding would give 1.12).
    purchase(anchor, "2.25", supplier=local_supplier)
    purchase(anchor, "197.75", supplier=remote_supplier)

    assert city()["lcr_percent"] == Decimal("1.13")


def test_local_value_rounds_half_up_to_the_fen(anchor, local_supplier):
    # 30 % of 0.35 CNY = 0.105 CNY: half-up gives 0.11 (banker's rounding would give 0.10).
    product = ProductFactory(enterprise=local_supplier)
    verified_share(product, "30")
    purchase(anchor, "0.35", supplier=local_supplier, product=product)

    assert city()["local_value"] == Decimal("0.11")


def test_no_ratio_when_nothing_was_bought_in_the_year(anchor, local_supplier):
    purchase(anchor, "100.00", supplier=local_supplier, date=f"{YEAR - 1}-12-31")
    purchase(anchor, "100.00", supplier=local_supplier, date=f"{YEAR + 1}-01-01")

    figures = city()

    assert figures["total_value"] == Decimal("0.00")
    assert figures["lcr_percent"] is None


def test_groups_by_category_quarter_and_supplier(anchor, local_supplier, remote_supplier):
    purchase(anchor, "300.00", supplier=local_supplier, date=f"{YEAR}-02-01")
    purchase(anchor, "100.00", supplier=remote_supplier, category="cathode", date=f"{YEAR}-08-01")

    by_category = {g["key"]: g["lcr_percent"] for g in city(group_by="category")["groups"]}
    by_quarter = {g["key"]: g["total_value"] for g in city(group_by="quarter")["groups"]}
    by_supplier = [g["supplier_name"] for g in city(group_by="supplier")["groups"]]

    assert by_category == {"cathode": Decimal("0.00"), "sulfide-electrolyte": Decimal("100.00")}
    assert by_quarter == {f"{YEAR}-Q1": Decimal("300.00"), f"{YEAR}-Q3": Decimal("100.00")}
    assert by_supplier == ["本地电解质", "外地电解质"]


def _member_of(enterprise: Enterprise):
    return MembershipFactory(enterprise=enterprise, role="owner").user


# --- trajectory ----------------------------------------------------------------------------


def test_default_trajectory_runs_from_40_to_70_percent_in_five_years(db):
    assert lcr_target_percent(2024) is None
    assert lcr_target_percent(2025) == Decimal("40.00")
    assert lcr_target_percent(2026) == Decimal("46.00")
    assert lcr_target_percent(2030) == Decimal("70.00")
    assert lcr_target_percent(2031) == Decimal("70.00")


def test_official_sets_the_baseline_and_every_target_follows_the_straight_line(official):
    lcr_trajectory_set(
        actor=official,
        baseline_year=2024,
        baseline_percent=Decimal("35.00"),
        goal_percent=Decimal("70.00"),
        goal_years=5,
    )

    assert lcr_target_percent(2026) == Decimal("49.00")
    assert lcr_target_percent(2029) == Decimal("70.00")


def test_trajectory_takes_the_measured_city_figure_of_the_baseline_year(
    official, anchor, local_supplier, remote_supplier
):
    purchase(anchor, "385.00", supplier=local_supplier, date="2025-06-01")
    purchase(anchor, "615.00", supplier=remote_supplier, date="2025-06-01")

    trajectory = lcr_trajectory_set(
        actor=official, baseline_year=2025, goal_percent=Decimal("70"), goal_years=5
    )

    assert trajectory.baseline_percent == Decimal("38.50")
    assert trajectory.updated_by == official
    assert lcr_target_percent(2026) == Decimal("44.80")


def test_trajectory_from_a_year_without_purchases_asks_for_the_baseline(official):
    with pytest.raises(ValidationError) as error:
        lcr_trajectory_set(
            actor=official, baseline_year=2019, goal_percent=Decimal("70"), goal_years=5
        )

    assert "baseline_percent" in error.value.message_dict
    assert "2019" in error.value.message_dict["baseline_percent"][0]


def test_trajectory_refuses_a_goal_above_100_percent(official):
    with pytest.raises(ValidationError) as error:
        lcr_trajectory_set(
            actor=official,
            baseline_year=2025,
            baseline_percent=Decimal("40"),
            goal_percent=Decimal("120"),
            goal_years=5,
        )

    assert "goal_percent" in error.value.message_dict


@pytest.mark.parametrize("who", ["anchor", "anonymous"])
def test_only_officials_set_the_trajectory(who, anchor):
    actor = anchor.owner if who == "anchor" else AnonymousUser()

    with pytest.raises(PermissionDenied):
        lcr_trajectory_set(
            actor=actor, baseline_year=2025, baseline_percent=Decimal("10"), goal_years=5
        )


# --- published years -----------------------------------------------------------------------


def test_publishing_freezes_the_city_and_every_firms_figure(
    official, anchor, local_supplier, remote_supplier
):
    other = EnterpriseFactory(kind="anchor")
    purchase(anchor, "300.00", supplier=local_supplier)
    purchase(anchor, "700.00", supplier=remote_supplier)
    purchase(other, "100.00", supplier=local_supplier)

    publication = lcr_year_publish(actor=official, year=YEAR)

    assert publication.published_by == official
    assert (publication.local_value, publication.total_value) == (
        Decimal("400.00"),
        Decimal("1100.00"),
    )
    assert publication.lcr_percent == Decimal("36.36")
    assert publication.target_percent == Decimal("46.00")
    frozen = {f.buyer_id: f.lcr_percent for f in publication.figures.all()}
    assert frozen == {anchor.pk: Decimal("30.00"), other.pk: Decimal("100.00")}


def test_published_year_never_changes_when_a_supplier_or_a_line_changes(
    official, anchor, local_supplier, remote_supplier
):
    purchase(anchor, "500.00", supplier=local_supplier)
    line = purchase(anchor, "500.00", supplier=remote_supplier)
    lcr_year_publish(actor=official, year=YEAR)

    enterprise_withdraw(actor=official, enterprise=local_supplier, reason="Moved away")
    PurchaseLine.objects.filter(pk=line.pk).update(amount=Decimal("1500.00"))
    lcr_trajectory_set(
        actor=official, baseline_year=2025, baseline_percent=Decimal("30"), goal_years=5
    )

    publication = LcrPublication.objects.get(year=YEAR)
    assert publication.lcr_percent == Decimal("50.00")
    assert publication.target_percent == Decimal("46.00")
    assert publication.figures.get().lcr_percent == Decimal("50.00")
    live = lcr_for_buyer(user=official, uscc=anchor.uscc, year=YEAR)
    assert live["lcr_percent"] == Decimal("0.00")
    assert live["published"]["lcr_percent"] == Decimal("50.00")
    row = next(r for r in lcr_by_year(buyer=anchor) if r["year"] == YEAR)
    assert row["change_since_published"] == Decimal("-50.00")


def test_a_year_is_published_once_and_the_refusal_says_when_and_by_whom(
    official, anchor, local_supplier
):
    purchase(anchor, "100.00", supplier=local_supplier)
    lcr_year_publish(actor=official, year=YEAR)

    with pytest.raises(ValidationError) as error:
        lcr_year_publish(actor=official, year=YEAR)

    message = error.value.message_dict["year"][0]
    assert f"{YEAR} was published on" in message
    assert "by official" in message
    assert LcrPublication.objects.count() == 1


def test_a_year_without_purchases_cannot_be_published(official):
    with pytest.raises(ValidationError) as error:
        lcr_year_publish(actor=official, year=YEAR)

    assert "nothing to publish" in error.value.message_dict["year"][0]
    assert not LcrPublication.objects.exists()


@pytest.mark.parametrize("who", ["anchor", "anonymous"])
def test_only_officials_publish_a_year(who, anchor, local_supplier):
    purchase(anchor, "100.00", supplier=local_supplier)
    actor = anchor.owner if who == "anchor" else AnonymousUser()

    with pytest.raises(PermissionDenied):
        lcr_year_publish(actor=actor, year=YEAR)
    assert not LcrPublication.objects.exists()


def test_firm_without_purchases_in_a_published_year_shows_frozen_zero(
    official, anchor, local_supplier
):
    latecomer = EnterpriseFactory(kind="anchor")
    purchase(anchor, "100.00", supplier=local_supplier)
    lcr_year_publish(actor=official, year=YEAR)

    frozen = lcr_published_figure(year=YEAR, buyer=latecomer)

    assert frozen["total_value"] == Decimal("0.00")
    assert frozen["lcr_percent"] is None
    assert lcr_published_figure(year=YEAR + 1) is None


# --- per firm and year, local alternatives ---------------------------------------------------


def test_firms_below_the_years_target_are_flagged(anchor, local_supplier, remote_supplier):
    leader = EnterpriseFactory(kind="anchor")
    purchase(anchor, "400.00", supplier=local_supplier)
    purchase(anchor, "600.00", supplier=remote_supplier)
    purchase(leader, "600.00", supplier=local_supplier)
    purchase(leader, "400.00", supplier=remote_supplier)

    rows = {row["buyer_uscc"]: row for row in lcr_by_buyer_and_year()}

    assert rows[anchor.uscc]["behind_target"] is True
    assert rows[leader.uscc]["behind_target"] is False
    assert rows[anchor.uscc]["target_percent"] == Decimal("46.00")


def test_yearly_series_spans_the_trajectory_and_marks_years_without_purchases(
    anchor, local_supplier
):
    purchase(anchor, "100.00", supplier=local_supplier, date="2024-05-01")

    series = lcr_by_year(buyer=anchor)

    assert [row["year"] for row in series] == list(range(2024, 2031))
    assert series[0]["lcr_percent"] == Decimal("100.00")
    assert series[0]["target_percent"] is None
    assert not series[1]["has_purchases"]
    assert series[-1]["target_percent"] == Decimal("70.00")


def test_local_alternatives_for_a_mostly_non_local_category_recommended_first(
    anchor, remote_supplier
):
    category = "sulfide-electrolyte"
    for letter in "EDCBG":
        EnterpriseFactory(name_zh=f"{letter} 本地", categories=[category])
    starred = EnterpriseFactory(name_zh="F 本地", categories=[category])
    starred.recommended = True
    starred.save(update_fields=["recommended"])
    EnterpriseFactory(name_zh="待审", categories=[category], status=ListingStatus.PENDING)
    EnterpriseFactory(name_zh="外地", categories=[category], district=outside_district())
    anchor.categories.set(SupplyCategory.objects.filter(slug=category))
    purchase(anchor, "900.00", supplier=remote_supplier)
    purchase(anchor, "100.00", supplier=EnterpriseFactory(), category="cathode")

    groups = city(group_by="category")["groups"]
    alternatives = local_alternatives(anchor, groups)

    assert [entry["category"]["key"] for entry in alternatives] == [category]
    suppliers = [enterprise.name_zh for enterprise in alternatives[0]["suppliers"]]
    assert suppliers == ["F 本地", "B 本地", "C 本地", "D 本地", "E 本地"]


def test_local_alternatives_of_a_parent_category_include_its_subcategories(anchor, remote_supplier):
    oxide = EnterpriseFactory(name_zh="本地氧化物", categories=["oxide-electrolyte"])
    purchase(anchor, "500.00", supplier=remote_supplier, category="solid-electrolyte")

    alternatives = local_alternatives(anchor, city(group_by="category")["groups"])

    assert alternatives[0]["suppliers"] == [oxide]


def test_local_alternatives_take_two_queries_whatever_the_number_of_categories(
    anchor, remote_supplier, django_assert_num_queries
):
    slugs = ["sulfide-electrolyte", "cathode", "anode", "pack-bms", "equipment"]
    for slug in slugs:
        for _ in range(3):
            EnterpriseFactory(categories=[slug])
        purchase(anchor, "100.00", supplier=remote_supplier, category=slug)
    groups = city(group_by="category")["groups"]

    with django_assert_num_queries(2):
        alternatives = local_alternatives(anchor, groups)

    assert [len(entry["suppliers"]) for entry in alternatives] == [3, 3, 3, 3, 3]
