"""The directory API's search: filters, ordering, caching, and query counts that do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.models import District, ListingStatus
from tests.directory.api_support import LIST_URL, search, usccs, yesterday
from tests.factories import (
    CertificationFactory,
    EnterpriseFactory,
    ProductFactory,
    outside_district,
)

pytestmark = pytest.mark.django_db


# --- the search ----------------------------------------------------------------------------


def test_only_verified_enterprises_are_listed_ordered_by_name(api_client):
    second = EnterpriseFactory(name_zh="B 乙材料")
    first = EnterpriseFactory(name_zh="A 甲材料")
    EnterpriseFactory(name_zh="0 丙待审", status=ListingStatus.PENDING, verified_at=None)
    EnterpriseFactory(name_zh="0 丁退回", status=ListingStatus.RETURNED, verified_at=None)

    response = api_client.get(LIST_URL)

    assert usccs(response) == [first.uscc, second.uscc]
    assert response.json()["count"] == 2


def test_listing_shows_the_public_profile(api_client):
    enterprise = EnterpriseFactory(
        name_zh="固锂科技",
        name_en="Guli Tech",
        website="https://guli.example.com",
        employees=120,
        annual_capacity="500.00",
        capacity_unit="t",
        categories=["sulfide-electrolyte", "lithium-metal-anode"],
        recommended=True,
    )
    product = ProductFactory(
        enterprise=enterprise,
        name="LPSC powder",
        ionic_conductivity=0.012,
        asr=8.5,
        coulombic_efficiency=99.6,
        coulombic_efficiency_cycles=500,
        price="1250.50",
    )
    ProductFactory(enterprise=enterprise, name="Unverified", status=ListingStatus.PENDING)
    valid = CertificationFactory(enterprise=enterprise, scheme="IATF 16949", number="IATF-1")
    CertificationFactory(enterprise=enterprise, scheme="ISO 9001", valid_until=yesterday())

    [item] = api_client.get(LIST_URL).json()["results"]

    assert item["uscc"] == enterprise.uscc
    assert item["name_zh"] == "固锂科技"
    assert item["name_en"] == "Guli Tech"
    assert item["kind"] == "sme"
    assert item["status"] == "verified"
    assert item["district"] == enterprise.district.code
    assert item["district_name_zh"] == enterprise.district.name_zh
    assert item["is_local"] is True
    assert item["recommended"] is True
    assert item["categories"] == ["sulfide-electrolyte", "lithium-metal-anode"]
    assert item["certifications"] == [
        {
            "id": valid.pk,
            "scheme": "IATF 16949",
            "number": "IATF-1",
            "issuer": "",
            "valid_until": valid.valid_until.isoformat(),
        }
    ]
    assert item["products"] == [
        {
            "id": product.pk,
            "name": "LPSC powder",
            "category": "sulfide-electrolyte",
            "description": "",
            "ionic_conductivity": 0.012,
            "asr": 8.5,
            "specific_capacity": None,
            "decay_rate": None,
            "coulombic_efficiency": 99.6,
            "coulombic_efficiency_cycles": 500,
            "weight_reduction": None,
            "local_content_share": None,
            "price": "1250.50",
        }
    ]
    assert item["contact_person"] == enterprise.contact_person
    assert item["phone"] == enterprise.phone
    assert item["email"] == enterprise.email
    assert item["website"] == "https://guli.example.com"
    assert item["employees"] == 120
    assert item["annual_capacity"] == "500.00"
    assert item["capacity_unit"] == "t"
    assert "pending_changes" not in item


def test_parent_category_includes_its_children(api_client):
    sulfide = EnterpriseFactory(categories=["sulfide-electrolyte"])
    parent_only = EnterpriseFactory(categories=["solid-electrolyte"])
    cathode = EnterpriseFactory(categories=["high-nickel-cathode"])

    assert set(search(api_client, category="solid-electrolyte")) == {
        sulfide.uscc,
        parent_only.uscc,
    }
    assert search(api_client, category="sulfide-electrolyte") == [sulfide.uscc]
    assert search(api_client, category="cathode") == [cathode.uscc]


def test_an_enterprise_in_several_matching_categories_is_listed_once(api_client):
    both = EnterpriseFactory(categories=["sulfide-electrolyte", "oxide-electrolyte"])

    response = api_client.get(LIST_URL, {"category": "solid-electrolyte"})

    assert usccs(response) == [both.uscc]
    assert response.json()["count"] == 1


def test_filter_by_district_and_local(api_client):
    hitech = EnterpriseFactory(district=District.objects.get(code="hitech"))
    donghu = EnterpriseFactory(district=District.objects.get(code="donghu"))
    outside = EnterpriseFactory(district=outside_district())

    assert search(api_client, district="hitech") == [hitech.uscc]
    assert set(search(api_client, is_local="true")) == {hitech.uscc, donghu.uscc}
    assert search(api_client, is_local="false") == [outside.uscc]
    assert len(search(api_client, is_local="")) == 3


def test_filter_recommended(api_client):
    recommended = EnterpriseFactory(recommended=True)
    EnterpriseFactory(recommended=False)

    assert search(api_client, recommended="true") == [recommended.uscc]
    assert recommended.uscc not in search(api_client, recommended="false")


def test_expired_certification_does_not_count(api_client):
    valid = EnterpriseFactory()
    CertificationFactory(enterprise=valid, scheme="IATF 16949")
    expired = EnterpriseFactory()
    CertificationFactory(enterprise=expired, scheme="IATF 16949", valid_until=yesterday())
    CertificationFactory(enterprise=expired, scheme="ISO 9001")

    assert search(api_client, certification="IATF 16949") == [valid.uscc]


def test_certification_valid_until_today_still_counts(api_client):
    enterprise = EnterpriseFactory()
    CertificationFactory(
        enterprise=enterprise, scheme="ISO 14001", valid_until=timezone.localdate()
    )

    assert search(api_client, certification="ISO 14001") == [enterprise.uscc]


def test_thresholds_must_be_met_by_one_product(api_client):
    split = EnterpriseFactory(name_zh="甲 split")
    # A conducts well but resists a lot; B resists little but conducts poorly.
    ProductFactory(enterprise=split, ionic_conductivity=0.02, asr=50)
    ProductFactory(enterprise=split, ionic_conductivity=0.0001, asr=5)
    whole = EnterpriseFactory(name_zh="乙 whole")
    ProductFactory(enterprise=whole, ionic_conductivity=0.015, asr=8)

    both = {"ionic_conductivity_min": "0.01", "asr_max": "10"}

    assert search(api_client, **both) == [whole.uscc]
    assert set(search(api_client, ionic_conductivity_min="0.01")) == {split.uscc, whole.uscc}
    assert set(search(api_client, asr_max="10")) == {split.uscc, whole.uscc}


def test_unverified_product_does_not_meet_a_threshold(api_client):
    enterprise = EnterpriseFactory()
    ProductFactory(enterprise=enterprise, ionic_conductivity=0.02, status=ListingStatus.PENDING)

    assert search(api_client, ionic_conductivity_min="0.01") == []


def test_a_product_without_the_spec_does_not_meet_its_threshold(api_client):
    enterprise = EnterpriseFactory()
    ProductFactory(enterprise=enterprise, ionic_conductivity=None, asr=5)

    assert search(api_client, ionic_conductivity_min="0") == []
    assert search(api_client, asr_max="5") == [enterprise.uscc]


@pytest.mark.parametrize(
    ("parameter", "field", "meets", "misses", "value"),
    [
        ("ionic_conductivity_min", "ionic_conductivity", 0.011, 0.009, "0.01"),
        ("asr_max", "asr", 9.9, 10.1, "10"),
        ("specific_capacity_min", "specific_capacity", 250, 249, "250"),
        ("decay_rate_max", "decay_rate", 0.05, 0.06, "0.05"),
        ("coulombic_efficiency_min", "coulombic_efficiency", 99.5, 99.4, "99.5"),
        ("weight_reduction_min", "weight_reduction", 60, 59, "60"),
    ],
)
def test_each_spec_threshold(api_client, parameter, field, meets, misses, value):
    meeting = EnterpriseFactory()
    ProductFactory(enterprise=meeting, **{field: meets})
    missing = EnterpriseFactory()
    ProductFactory(enterprise=missing, **{field: misses})

    assert search(api_client, **{parameter: value}) == [meeting.uscc]


def test_text_search_over_names_and_product_names(api_client):
    by_chinese = EnterpriseFactory(name_zh="华锂电解质有限公司", name_en="Hua Li")
    by_english = EnterpriseFactory(name_zh="某公司", name_en="Northern Halide Works")
    by_product = EnterpriseFactory(name_zh="另一家", name_en="Another")
    ProductFactory(enterprise=by_product, name="Li3InCl6 halide electrolyte")
    unverified_product = EnterpriseFactory(name_zh="第四家", name_en="Fourth")
    ProductFactory(
        enterprise=unverified_product, name="halide prototype", status=ListingStatus.PENDING
    )

    assert search(api_client, q="电解质") == [by_chinese.uscc]
    assert set(search(api_client, q="HALIDE")) == {by_english.uscc, by_product.uscc}
    assert search(api_client, q="Li3InCl6") == [by_product.uscc]
    assert search(api_client, q="nothing like this") == []


def test_filters_combine(api_client):
    match = EnterpriseFactory(categories=["sulfide-electrolyte"], recommended=True)
    ProductFactory(enterprise=match, ionic_conductivity=0.02)
    CertificationFactory(enterprise=match, scheme="IATF 16949")
    not_recommended = EnterpriseFactory(categories=["sulfide-electrolyte"])
    ProductFactory(enterprise=not_recommended, ionic_conductivity=0.02)
    CertificationFactory(enterprise=not_recommended, scheme="IATF 16949")

    assert search(
        api_client,
        category="solid-electrolyte",
        recommended="1",
        certification="IATF 16949",
        ionic_conductivity_min="0.01",
        is_local="yes",
    ) == [match.uscc]


def test_ordering(api_client):
    a = EnterpriseFactory(name_zh="A 公司", name_en="Zeta")
    b = EnterpriseFactory(name_zh="B 公司", name_en="Alpha")

    assert search(api_client) == [a.uscc, b.uscc]
    assert search(api_client, ordering="-name") == [b.uscc, a.uscc]
    assert search(api_client, ordering="name_en") == [b.uscc, a.uscc]


def test_pagination(api_client):
    EnterpriseFactory.create_batch(5)

    body = api_client.get(LIST_URL, {"page_size": 2, "page": 2}).json()

    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert "page=3" in body["next"]
    assert "page_size=2" in body["next"]
    assert len(api_client.get(LIST_URL).json()["results"]) == 5
    assert api_client.get(LIST_URL, {"page": 9}).status_code == 404


def test_page_size_is_capped_at_one_hundred(api_client):
    from ssb_portal.api import StandardPagination

    assert StandardPagination.max_page_size == 100
    EnterpriseFactory.create_batch(3)
    # A larger page size asks for the maximum; it is not an error.
    assert len(search(api_client, page_size=1000)) == 3


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"ionic_conductivity_min": "abc"}, "ionic_conductivity_min"),
        ({"ionic_conductivity_min": "-1"}, "ionic_conductivity_min"),
        ({"asr_max": "lots"}, "asr_max"),
        ({"specific_capacity_min": "-5"}, "specific_capacity_min"),
        ({"decay_rate_max": "101"}, "decay_rate_max"),
        ({"coulombic_efficiency_min": "150"}, "coulombic_efficiency_min"),
        ({"weight_reduction_min": "NaN"}, "weight_reduction_min"),
        ({"category": "no-such-category"}, "category"),
        ({"district": "atlantis"}, "district"),
        ({"is_local": "maybe"}, "is_local"),
        ({"recommended": "perhaps"}, "recommended"),
        ({"certification": "ISO 0000"}, "certification"),
        ({"kind": "pirate"}, "kind"),
        ({"ordering": "password"}, "ordering"),
    ],
)
def test_bad_filter_value_answers_400_under_the_parameter_name(api_client, params, key):
    EnterpriseFactory()

    response = api_client.get(LIST_URL, params)

    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == [key]
    assert isinstance(body[key], list)
    assert body[key] and all(isinstance(message, str) for message in body[key])


def test_several_bad_filter_values_are_all_reported(api_client):
    response = api_client.get(LIST_URL, {"is_local": "maybe", "category": "nope", "q": "ok"})

    assert response.status_code == 400
    assert set(response.json()) == {"is_local", "category"}


def _listing_queries(api_client, page_size: int, params: dict) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as context:
        response = api_client.get(LIST_URL, {"page_size": page_size, **params})
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size
    return context


@pytest.mark.parametrize(
    "params",
    [
        {},
        {
            "category": "solid-electrolyte",
            "certification": "ISO 9001",
            "ionic_conductivity_min": "0.001",
            "is_local": "true",
            "q": "Test",
        },
    ],
)
def test_listing_queries_do_not_grow_with_the_page_size(
    api_client, django_assert_max_num_queries, params
):
    for _ in range(55):
        enterprise = EnterpriseFactory(categories=["sulfide-electrolyte", "oxide-electrolyte"])
        ProductFactory.create_batch(3, enterprise=enterprise, ionic_conductivity=0.01)
        ProductFactory(enterprise=enterprise, status=ListingStatus.PENDING)
        CertificationFactory(enterprise=enterprise, scheme="ISO 9001")
        CertificationFactory(enterprise=enterprise, scheme="IATF 16949")
        CertificationFactory(enterprise=enterprise, scheme="ISO 14001", valid_until=yesterday())

    small = _listing_queries(api_client, 2, params)
    large = _listing_queries(api_client, 50, params)

    queries = "\n".join(query["sql"] for query in large.captured_queries)
    assert len(small.captured_queries) == len(large.captured_queries), queries
    # count, page, then one query each for categories, valid certifications and verified
    # products (with their category); the category filter looks its slug and its
    # subcategories up once each.
    with django_assert_max_num_queries(7):
        api_client.get(LIST_URL, {"page_size": 50, **params})
