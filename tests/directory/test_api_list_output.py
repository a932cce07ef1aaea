"""Issue 17: the directory list renders from `values()` rows (directory.api_list); its JSON must
be byte for byte what `EnterpriseSerializer` over the search's `results()` answers."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from directory import selectors
from directory.api import EnterpriseSerializer
from directory.models import ListingStatus, SupplyCategory
from ssb_portal.output_plans import OutputPlan
from tests.directory.api_support import LIST_URL, yesterday
from tests.factories import (
    CertificationFactory,
    EnterpriseFactory,
    ProductFactory,
    local_district,
    outside_district,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_directory():
    """Enterprises whose fields take every awkward form a listing can show."""
    for number in range(7):
        enterprise = EnterpriseFactory(
            name_zh=f'固态"电解质"\\公司{number}',
            name_en="" if number % 2 else f"Solid <Electrolyte> & Co. {number}",
            kind="anchor" if number % 3 == 0 else "sme",
            recommended=number % 2 == 0,
            district=outside_district() if number == 3 else local_district(),
            website="" if number % 2 else "https://example.com/固态",
            employees=None if number % 2 else 120 * number,
            annual_capacity=None if number % 3 else Decimal("1234.5") * number,
            capacity_unit="t/年",
            # Microseconds, a whole second and no time at all.
            verified_at=(
                None
                if number == 5
                else timezone.now().replace(microsecond=0 if number == 1 else 123456)
            ),
            categories=(
                []
                if number == 4
                else list(SupplyCategory.objects.order_by("-slug")[: 1 + number % 3])
            ),
        )
        ProductFactory(
            enterprise=enterprise,
            name="Li6PS5Cl 粉体 \u2028 line",
            description="换行\n和\t制表",
            ionic_conductivity=1e-05 * (number + 1),
            asr=None if number % 2 else 7.25,
            specific_capacity=300.0 + number,
            decay_rate=0.05,
            coulombic_efficiency=99.9,
            coulombic_efficiency_cycles=500,
            weight_reduction=None,
            local_content_share=Decimal("0.35") if number % 2 else None,
            price=Decimal("12.50") if number % 2 else None,
        )
        ProductFactory(enterprise=enterprise, name="A first product", price=Decimal("0.10"))
        ProductFactory(enterprise=enterprise, status=ListingStatus.PENDING)
        if number != 2:
            CertificationFactory(
                enterprise=enterprise, scheme="ISO 9001", issuer="中国质量认证中心"
            )
            CertificationFactory(enterprise=enterprise, scheme="IATF 16949", number="X-1")
        CertificationFactory(enterprise=enterprise, scheme="ISO 14001", valid_until=yesterday())
    EnterpriseFactory(status=ListingStatus.PENDING)


def serializer_page(params: dict, response_json: dict) -> bytes:
    """The answer as the serializer renders it: the same page of the same search, through the
    search's `results()` (with_public_details, products narrowed by the thresholds asked) and
    `EnterpriseSerializer`, the other keys taken from the answer."""
    from directory.filters import EnterpriseFilter

    request = APIRequestFactory().get(LIST_URL, params)
    search = EnterpriseFilter(data=params, queryset=selectors.enterprises_public())
    assert search.is_valid()
    filtered = search.results()
    size = int(params.get("page_size", 20))
    start = (int(params.get("page", 1)) - 1) * size
    results = EnterpriseSerializer(
        list(filtered[start : start + size]), many=True, context={"request": request}
    ).data
    return JSONRenderer().render({**response_json, "results": results})


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page_size": "3", "page": "2"},
        {"q": "电解质"},
        {"q": "electrolyte"},
        {"category": "solid-electrolyte"},
        {"certification": "ISO 9001", "recommended": "true"},
        {"is_local": "false"},
        {"ionic_conductivity_min": "0.00003"},
        {"ordering": "-name", "kind": "sme"},
    ],
)
def test_the_list_answers_the_serializers_json_byte_for_byte(api_client, varied_directory, params):
    response = api_client.get(LIST_URL, params, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["results"], "the search must find something to compare"
    assert response.content == serializer_page(params, response.json())


def test_a_page_past_the_matches_is_still_a_404(api_client, varied_directory):
    assert api_client.get(LIST_URL, {"page": "9"}).status_code == 404


def test_a_plan_names_the_columns_of_the_serializer():
    plan = OutputPlan.of(EnterpriseSerializer)
    assert plan.columns[:3] == ("uscc", "name_zh", "name_en")
    assert "district__code" in plan.columns and "district__name_zh" in plan.columns
    assert plan.attached == ("categories", "certifications", "products")
    assert OutputPlan.of(EnterpriseSerializer) is plan  # made once per process


def test_a_field_that_needs_the_request_cannot_be_planned():
    from directory.api import EnterpriseDetailSerializer

    with pytest.raises(TypeError, match="pending_changes"):
        OutputPlan(EnterpriseDetailSerializer)


def test_times_follow_the_active_time_zone_as_the_serializer_does(api_client, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    EnterpriseFactory(verified_at=datetime.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=datetime.UTC))
    response = api_client.get(LIST_URL)
    assert response.json()["results"][0]["verified_at"] == "2026-01-02T11:04:05.000006+08:00"
    assert response.content == serializer_page({}, response.json())
