"""GET /api/v1/lcr/: the city's figure for everybody, a firm's for its members and officials."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from directory.lcr.services import lcr_year_publish
from directory.models import PurchaseLine, SupplyCategory
from tests.directory.test_lcr import YEAR, purchase, verified_share
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
    make_uscc,
    outside_district,
)

URL = "/api/v1/lcr/"


@pytest.fixture(autouse=True)
def _default_trajectory(settings):
    settings.LCR_DEFAULT_BASELINE_YEAR = 2025


@pytest.fixture
def bought(anchor):
    """The worked example: 1,000 local + 30 % of 1,000 local, of 3,900 in all."""
    local = EnterpriseFactory(name_zh="本地电解质")
    assembler = EnterpriseFactory(name_zh="本地电池包")
    remote = EnterpriseFactory(name_zh="外地正极", district=outside_district())
    pack = ProductFactory(
        enterprise=assembler, category=SupplyCategory.objects.get(slug="pack-bms")
    )
    verified_share(pack, "30")
    purchase(anchor, "1000.00", supplier=local, date=f"{YEAR}-02-10")
    purchase(anchor, "1000.00", supplier=assembler, product=pack, category="pack-bms")
    purchase(anchor, "1900.00", supplier=remote, category="cathode", date=f"{YEAR}-11-30")
    return anchor


def test_city_figure_is_public_and_names_no_firm(api_client, bought):
    response = api_client.get(URL, {"year": YEAR})

    assert response.status_code == 200
    assert response.json() == {
        "buyer": None,
        "year": YEAR,
        "local_value": "1300.00",
        "total_value": "3900.00",
        "lcr_percent": "33.33",
        "confirmed_value": "0.00",
        "unconfirmed_value": "1300.00",
        "disputed_value": "0.00",
        "target_percent": "46.00",
        "groups": [],
        "published": None,
        # Not published: provisional, with the share of its local value suppliers confirmed.
        "status": "provisional",
        "official_lcr_percent": None,
        "confirmed_share_percent": "0.00",
    }
    assert bought.uscc not in response.content.decode()


def test_firm_sees_its_own_figure_with_money_as_decimal_strings(api_client, bought):
    api_client.force_authenticate(bought.owner)

    body = api_client.get(URL, {"buyer": bought.uscc, "year": YEAR}).json()

    assert body["buyer"] == bought.uscc
    assert (body["local_value"], body["total_value"], body["lcr_percent"]) == (
        "1300.00",
        "3900.00",
        "33.33",
    )


def test_firm_code_is_accepted_in_lower_case_with_spaces(api_client, bought):
    api_client.force_authenticate(bought.owner)
    sloppy = f" {bought.uscc[:9].lower()} {bought.uscc[9:].lower()} "

    response = api_client.get(URL, {"buyer": sloppy, "year": YEAR})

    assert response.status_code == 200
    assert response.json()["buyer"] == bought.uscc


def test_firm_figure_by_category(api_client, bought):
    api_client.force_authenticate(bought.owner)

    groups = api_client.get(URL, {"buyer": bought.uscc, "year": YEAR, "group_by": "category"})
    groups = groups.json()["groups"]

    assert [(g["key"], g["lcr_percent"]) for g in groups] == [
        ("cathode", "0.00"),
        ("pack-bms", "30.00"),
        ("sulfide-electrolyte", "100.00"),
    ]
    assert groups[1]["name_en"] == "Pack and BMS"
    assert groups[1]["local_value"] == "300.00"


def test_firm_figure_by_quarter_and_by_supplier(api_client, bought):
    api_client.force_authenticate(bought.owner)

    quarters = api_client.get(URL, {"buyer": bought.uscc, "year": YEAR, "group_by": "quarter"})
    suppliers = api_client.get(URL, {"buyer": bought.uscc, "year": YEAR, "group_by": "supplier"})

    assert [g["key"] for g in quarters.json()["groups"]] == [f"{YEAR}-Q1", f"{YEAR}-Q4"]
    names = [g["supplier_name"] for g in suppliers.json()["groups"]]
    assert names[0] == "外地正极"  # the biggest spend first
    assert sorted(names[1:]) == sorted(["本地电解质", "本地电池包"])


def test_official_sees_any_firm_and_the_city_by_supplier(api_client, official, bought):
    api_client.force_authenticate(official)

    firm = api_client.get(URL, {"buyer": bought.uscc, "year": YEAR})
    city = api_client.get(URL, {"year": YEAR, "group_by": "supplier"})

    assert firm.status_code == 200
    assert city.status_code == 200
    assert len(city.json()["groups"]) == 3


def test_city_figure_by_supplier_is_refused_to_the_public(api_client, bought):
    response = api_client.get(URL, {"year": YEAR, "group_by": "supplier"})

    assert response.status_code == 400
    assert "officials" in response.json()["group_by"][0]


def test_city_figure_by_supplier_is_refused_to_a_firm_too(api_client, bought):
    api_client.force_authenticate(bought.owner)

    response = api_client.get(URL, {"year": YEAR, "group_by": "supplier"})

    assert response.status_code == 400
    assert list(response.json()) == ["group_by"]


def test_city_figure_by_category_is_public(api_client, bought):
    response = api_client.get(URL, {"year": YEAR, "group_by": "category"})

    assert response.status_code == 200
    assert len(response.json()["groups"]) == 3


def test_another_firms_figure_answers_404(api_client, bought):
    stranger = MembershipFactory(enterprise=EnterpriseFactory(kind="anchor")).user
    api_client.force_authenticate(stranger)

    response = api_client.get(URL, {"buyer": bought.uscc, "year": YEAR})

    assert response.status_code == 404


def test_anonymous_asking_for_a_firm_gets_404_like_for_a_firm_that_does_not_exist(
    api_client, bought
):
    known = api_client.get(URL, {"buyer": bought.uscc, "year": YEAR})
    unknown = api_client.get(URL, {"buyer": make_uscc(999_999), "year": YEAR})

    assert known.status_code == unknown.status_code == 404


def test_erp_reads_its_figure_with_a_token(api_client, bought):
    token = Token.objects.create(user=bought.owner)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api_client.get(URL, {"buyer": bought.uscc, "year": YEAR})

    assert response.status_code == 200
    assert response.json()["lcr_percent"] == "33.33"


def test_year_defaults_to_the_current_year(api_client, anchor):
    this_year = timezone.localdate().year
    purchase(anchor, "10.00", supplier=EnterpriseFactory(), date=f"{this_year}-01-01")

    body = api_client.get(URL).json()

    assert body["year"] == this_year
    assert body["total_value"] == "10.00"


def test_zero_total_gives_a_null_ratio(api_client, anchor):
    local = EnterpriseFactory()
    purchase(anchor, "250.00", supplier=local)
    purchase(anchor, "-250.00", supplier=local)

    body = api_client.get(URL, {"year": YEAR}).json()

    assert body["total_value"] == "0.00"
    assert body["lcr_percent"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "twenty"}, "year"),
        ({"year": "1899"}, "year"),
        ({"year": "2101"}, "year"),
        ({"year": "2026.5"}, "year"),
        ({"group_by": "district"}, "group_by"),
        ({"buyer": "12345"}, "buyer"),
        ({"buyer": "91330100000000001X"}, "buyer"),
    ],
)
def test_bad_parameter_answers_400_naming_it(api_client, official, params, field):
    api_client.force_authenticate(official)

    response = api_client.get(URL, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_published_year_shows_frozen_figures_beside_the_live_ones(api_client, official, bought):
    lcr_year_publish(actor=official, year=YEAR)
    PurchaseLine.objects.filter(category__slug="cathode").update(amount=Decimal("700.00"))
    api_client.force_authenticate(bought.owner)

    body = api_client.get(URL, {"buyer": bought.uscc, "year": YEAR}).json()
    city = api_client.get(URL, {"year": YEAR}).json()

    assert body["lcr_percent"] == "48.15"
    assert body["published"]["lcr_percent"] == "33.33"
    assert body["published"]["total_value"] == "3900.00"
    assert body["published"]["target_percent"] == "46.00"
    assert city["published"]["local_value"] == "1300.00"
    assert city["total_value"] == "2700.00"


def test_firm_figure_takes_a_fixed_number_of_queries(
    api_client, official, django_assert_max_num_queries
):
    suppliers = [EnterpriseFactory() for _ in range(4)]
    firms = [EnterpriseFactory(kind="anchor") for _ in range(3)]
    slugs = ["sulfide-electrolyte", "cathode", "anode", "pack-bms"]
    for firm in firms:
        for year in (YEAR - 1, YEAR):
            for supplier, slug in zip(suppliers, slugs, strict=True):
                purchase(firm, "100.00", supplier=supplier, category=slug, date=f"{year}-05-05")
    lcr_year_publish(actor=official, year=YEAR)
    member = UserFactory()
    MembershipFactory(user=member, enterprise=firms[0])
    api_client.force_authenticate(member)

    # Official check, membership, trajectory, total, groups, publication, frozen figure.
    with django_assert_max_num_queries(8):
        response = api_client.get(
            URL, {"buyer": firms[0].uscc, "year": YEAR, "group_by": "supplier"}
        )

    assert len(response.json()["groups"]) == 4
