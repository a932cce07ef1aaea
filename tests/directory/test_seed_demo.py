"""manage.py seed_demo: a small demo city that keeps every rule of the directory and shows
every part of it (categories, districts, statuses, the seed's targets, the demo logins)."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.utils import timezone

from directory.demo.users import (
    ADMIN_USERNAME,
    ANCHOR_USERNAME,
    DEMO_PASSWORD,
    OFFICIAL_USERNAME,
    SME_USERNAME,
)
from directory.lcr.selectors import lcr_figures
from directory.models import (
    Certification,
    District,
    Enterprise,
    EnterpriseKind,
    ListingStatus,
    LocalContentShare,
    Membership,
    MembershipRole,
    Product,
    PurchaseLine,
    StatusChange,
    SupplyCategory,
)
from directory.validators import validate_uscc
from ssb_portal.roles import ANCHOR_GROUP, OFFICIAL_GROUP, SME_GROUP

pytestmark = pytest.mark.django_db

User = get_user_model()
SMALL_CITY = 30
LIST_URL = "/api/v1/enterprises/"


@pytest.fixture(autouse=True)
def development(settings):
    """seed_demo is a development tool; the test runner turns DEBUG off."""
    settings.DEBUG = True


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--enterprises", str(SMALL_CITY), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def city() -> str:
    return seed()


def row_counts() -> dict[str, int]:
    models = [Enterprise, Product, Certification, StatusChange, Membership, User]
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_logins_have_their_roles_and_are_printed(city):
    official = User.objects.get(username=OFFICIAL_USERNAME)
    assert official.is_staff and not official.is_superuser
    assert list(official.groups.values_list("name", flat=True)) == [OFFICIAL_GROUP]
    assert User.objects.get(username=ADMIN_USERNAME).is_superuser
    for username, group, kind in [
        (SME_USERNAME, SME_GROUP, EnterpriseKind.SME),
        (ANCHOR_USERNAME, ANCHOR_GROUP, EnterpriseKind.ANCHOR),
    ]:
        user = User.objects.get(username=username)
        assert not user.is_staff
        assert list(user.groups.values_list("name", flat=True)) == [group]
        membership = Membership.objects.select_related("enterprise__district").get(user=user)
        assert membership.role == MembershipRole.OWNER
        assert membership.enterprise.kind == kind
        assert membership.enterprise.status == ListingStatus.VERIFIED
        assert membership.enterprise.district.is_local
    for username in (OFFICIAL_USERNAME, SME_USERNAME, ANCHOR_USERNAME, ADMIN_USERNAME):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
        assert f"{username} / {DEMO_PASSWORD}" in city
    assert "Demo logins (" in city


def test_every_leaf_category_and_every_district_has_an_enterprise(city):
    assert Enterprise.objects.count() == SMALL_CITY
    leaves = SupplyCategory.objects.filter(parent__isnull=False, children__isnull=True)
    for leaf in leaves:
        assert Enterprise.objects.filter(categories=leaf).exists(), leaf.slug
        assert Product.objects.filter(category=leaf).exists(), leaf.slug
    for district in District.objects.all():
        assert Enterprise.objects.filter(district=district).exists(), district.code
    assert set(Enterprise.objects.values_list("kind", flat=True)) == set(EnterpriseKind.values)


def test_products_are_in_their_enterprises_categories(city):
    for product in Product.objects.select_related("enterprise"):
        assert product.enterprise.categories.filter(pk=product.category_id).exists()


def test_usccs_are_valid_and_reproducible_from_the_seed(city):
    codes = sorted(Enterprise.objects.values_list("uscc", flat=True))
    for code in codes:
        validate_uscc(code)
    assert len(set(codes)) == SMALL_CITY
    seed("--replace")
    assert sorted(Enterprise.objects.values_list("uscc", flat=True)) == codes
    seed("--replace", "--seed", "7")
    assert sorted(Enterprise.objects.values_list("uscc", flat=True)) != codes


def test_some_wait_some_were_returned_with_a_reason_and_the_rest_are_verified(city):
    assert Enterprise.objects.filter(status=ListingStatus.PENDING).exists()
    returned = Enterprise.objects.filter(status=ListingStatus.RETURNED)
    assert returned.exists()
    for enterprise in returned:
        decision = enterprise.status_changes.get(to_status=ListingStatus.RETURNED)
        assert decision.reason and decision.actor.username == OFFICIAL_USERNAME
    verified = Enterprise.objects.filter(status=ListingStatus.VERIFIED)
    assert verified.count() > SMALL_CITY * 0.8
    for enterprise in verified:
        assert enterprise.verified_at is not None
        decision = enterprise.status_changes.get(to_status=ListingStatus.VERIFIED, product=None)
        assert decision.from_status == ListingStatus.PENDING
        assert decision.actor.username == OFFICIAL_USERNAME
    assert not Product.objects.filter(enterprise__status=ListingStatus.PENDING).exclude(
        status=ListingStatus.PENDING
    )


def test_only_verified_local_enterprises_are_recommended(city):
    recommended = Enterprise.objects.filter(recommended=True)
    assert recommended.exists()
    assert not recommended.exclude(status=ListingStatus.VERIFIED, district__is_local=True)
    for enterprise in recommended:
        assert enterprise.status_changes.filter(to_status="recommended").exists()


def test_specs_are_in_canonical_units_and_plausible_ranges(city):
    def in_category(slug):
        return Product.objects.filter(category__slug=slug)

    for product in in_category("sulfide-electrolyte"):
        assert 1e-3 <= product.ionic_conductivity <= 2.5e-2
    for product in in_category("oxide-electrolyte"):
        assert 5 <= product.asr <= 60
    for product in in_category("li-rich-mn-cathode"):
        assert 220 <= product.specific_capacity <= 320
        assert 0.02 <= product.decay_rate <= 0.2
    for product in in_category("lithium-metal-anode"):
        assert 98.5 <= product.coulombic_efficiency <= 99.8
        assert 200 <= product.coulombic_efficiency_cycles <= 800
    for product in in_category("composite-current-collector"):
        assert 20 <= product.weight_reduction <= 60
    priced = Product.objects.exclude(price=None)
    assert priced.exists()
    for product in priced:
        assert product.price > 0
        assert product.price == product.price.quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    "query",
    [
        "category=sulfide-electrolyte&ionic_conductivity_min=0.01",
        "category=oxide-electrolyte&asr_max=10",
        "category=li-rich-mn-cathode&specific_capacity_min=300&decay_rate_max=0.05",
        "category=lithium-metal-anode&coulombic_efficiency_min=99.5",
        "category=composite-current-collector&weight_reduction_min=40",
    ],
)
def test_the_search_finds_suppliers_meeting_the_seeds_targets(city, api_client, query):
    body = api_client.get(f"{LIST_URL}?{query}").json()
    assert body["count"] >= 1
    assert body["count"] < Enterprise.objects.filter(status=ListingStatus.VERIFIED).count()


def test_most_products_miss_the_targets(city):
    sulfides = Product.objects.filter(category__slug="sulfide-electrolyte")
    meeting = sulfides.filter(ionic_conductivity__gte=1e-2)
    assert meeting.exists()
    assert sulfides.filter(~Q(pk__in=meeting)).exists()


def test_if_empty_loads_nothing_the_second_time_but_prints_the_logins(city):
    before = row_counts()
    output = seed("--if-empty")
    assert row_counts() == before
    assert "Demo logins (" in output


def test_if_empty_loads_an_empty_directory():
    output = seed("--if-empty")
    assert Enterprise.objects.count() == SMALL_CITY
    assert "Demo logins (" in output


def test_refuses_to_load_twice_without_being_told_what_to_do_with_the_first(city):
    with pytest.raises(CommandError, match="--if-empty"):
        seed()


def test_replace_starts_again_from_an_empty_directory(city):
    # The demo logins' two, and the clerks who declared the demo's bills of materials.
    memberships = Membership.objects.count()
    seed("--replace")
    assert row_counts()["Enterprise"] == SMALL_CITY
    assert Membership.objects.count() == memberships
    assert (
        Membership.objects.filter(user__username__in=[SME_USERNAME, ANCHOR_USERNAME]).count() == 2
    )
    assert User.objects.filter(username__in=[SME_USERNAME, ANCHOR_USERNAME]).count() == 2


def test_the_demo_anchor_firm_has_purchases_of_two_years_and_an_lcr_to_watch(city):
    anchor = Enterprise.objects.get(memberships__user__username=ANCHOR_USERNAME)
    lines = PurchaseLine.objects.filter(buyer=anchor)
    years = sorted({line.invoice_date.year for line in lines})
    assert len(years) == 2
    for year in years:
        figure = lcr_figures(lines, year=year)
        # Some bought locally, some not: a ratio strictly between 0 and 100 %.
        assert Decimal(0) < figure["lcr_percent"] < Decimal(100)
    # Only verified anchor firms record purchases.
    assert set(PurchaseLine.objects.values_list("buyer__kind", "buyer__status").distinct()) == {
        (EnterpriseKind.ANCHOR, ListingStatus.VERIFIED)
    }


def test_each_verified_share_of_the_demo_counts_from_the_products_verification(city):
    verified = Product.objects.filter(
        status=ListingStatus.VERIFIED, local_content_share__isnull=False
    )
    # (The shares computed from the demo's verified bills of materials have their own test.)
    shares = LocalContentShare.objects.select_related("product").filter(basis="declared")
    assert shares.count() == verified.count() > 0
    for share in shares:
        verification = share.product.status_changes.get(to_status=ListingStatus.VERIFIED)
        assert share.share == share.product.local_content_share
        assert share.valid_from == timezone.localdate(verification.created_at)


def test_no_purchases_when_asked_for_none():
    seed("--purchase-lines", "0")
    assert not PurchaseLine.objects.exists()


def test_refuses_to_create_its_published_logins_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published password"):
        seed()
    assert not User.objects.filter(username=ADMIN_USERNAME).exists()

    seed("--outside-development")
    assert User.objects.filter(username=ADMIN_USERNAME).exists()


def test_the_demo_city_shows_confirmed_unconfirmed_and_disputed_value(city):
    figure = lcr_figures(PurchaseLine.objects.all(), year=timezone.localdate().year)
    for key in ("confirmed_value", "unconfirmed_value", "disputed_value"):
        assert figure[key] > 0
    assert figure["confirmed_value"] > figure["unconfirmed_value"] > 0


def test_the_demo_chain_rolls_three_tiers_up_into_the_anchors_lcr(city):
    from directory.lcr.ledger import ledger_matches_lines
    from directory.models import BillOfMaterials
    from directory.purchases.selectors import purchase_lines_of_buyer

    bills = BillOfMaterials.objects.filter(status="verified").select_related(
        "product__category", "product__enterprise__district"
    )
    shares = sorted(bill.computed_share for bill in bills)
    # What the bills are of: a pack maker above a cell maker above a cathode trader, all local.
    tiers = {bill.computed_share: bill.product for bill in bills}
    assert [tiers[share].category.slug for share in sorted(tiers)] == [
        "high-nickel-cathode",
        "cell-manufacturing",
        "pack-bms",
    ]
    assert all(product.enterprise.district.is_local for product in tiers.values())
    # imported cathode resold: 0; cells 55 % cathode + 45 % local work: 45; packs 70 % cells
    # + 30 % work at 90 % local: 70 * 0.45 + 27 = 58.50
    assert shares == [Decimal("0.00"), Decimal("45.00"), Decimal("58.50")]
    pack = next(bill.product for bill in bills if bill.computed_share == Decimal("58.50"))
    assert pack.local_content_share != Decimal("58.50")
    anchor = Enterprise.objects.get(memberships__user__username=ANCHOR_USERNAME)
    official = User.objects.get(username="official")
    today_line = purchase_lines_of_buyer(official, anchor).get(invoice_no__startswith="DEMO-BOM-")
    assert today_line.local_share == Decimal("58.50")
    assert ledger_matches_lines()
