"""The directory API: search, public profiles, registration and members' own listing."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from directory.models import (
    Certification,
    District,
    Enterprise,
    ListingStatus,
    Membership,
    MembershipRole,
    Product,
    StatusChange,
    SupplyCategory,
)
from directory.validators import uscc_check_character
from tests.factories import (
    CertificationFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
    make_uscc,
    outside_district,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/enterprises/"


def detail_url(enterprise: Enterprise) -> str:
    return f"/api/v1/enterprises/{enterprise.uscc}/"


def products_url(enterprise: Enterprise) -> str:
    return f"/api/v1/enterprises/{enterprise.uscc}/products/"


def product_url(product: Product) -> str:
    return f"/api/v1/enterprises/{product.enterprise.uscc}/products/{product.pk}/"


def certifications_url(enterprise: Enterprise) -> str:
    return f"/api/v1/enterprises/{enterprise.uscc}/certifications/"


def member_of(enterprise: Enterprise, role: str = MembershipRole.MEMBER):
    user = UserFactory()
    MembershipFactory(user=user, enterprise=enterprise, role=role)
    return user


def usccs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["uscc"] for item in response.json()["results"]]


def search(api_client, **params) -> list[str]:
    return usccs(api_client.get(LIST_URL, params))


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def registration(**overrides) -> dict:
    return {
        "uscc": make_uscc(),
        "name_zh": "新锂固态材料有限公司",
        "name_en": "Xinli Solid-State Materials Co., Ltd.",
        "kind": "sme",
        "district": "hitech",
        "contact_person": "王工",
        "phone": "0571-12345678",
        "email": "sales@xinli.example.com",
        "categories": ["sulfide-electrolyte", "halide-electrolyte"],
        **overrides,
    }


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


# --- public profile ------------------------------------------------------------------------


def test_public_profile_of_a_verified_enterprise(api_client):
    enterprise = EnterpriseFactory(pending_changes={"name_zh": "未审核的新名字"})
    ProductFactory(enterprise=enterprise)

    response = api_client.get(detail_url(enterprise))

    assert response.status_code == 200
    body = response.json()
    assert body["uscc"] == enterprise.uscc
    assert body["name_zh"] == enterprise.name_zh
    assert len(body["products"]) == 1
    # The public sees the verified values only, not the edits waiting for verification.
    assert body["pending_changes"] is None


def test_profile_accepts_the_code_in_lower_case(api_client):
    enterprise = EnterpriseFactory()

    response = api_client.get(f"/api/v1/enterprises/{enterprise.uscc.lower()}/")

    assert response.status_code == 200
    assert response.json()["uscc"] == enterprise.uscc


@pytest.mark.parametrize("status", [ListingStatus.PENDING, ListingStatus.RETURNED])
def test_unverified_enterprise_is_not_public(api_client, status):
    enterprise = EnterpriseFactory(status=status, verified_at=None)
    outsider = member_of(EnterpriseFactory())

    assert api_client.get(detail_url(enterprise)).status_code == 404
    api_client.force_authenticate(outsider)
    assert api_client.get(detail_url(enterprise)).status_code == 404


def test_unknown_code_is_404(api_client):
    assert api_client.get(f"/api/v1/enterprises/{make_uscc()}/").status_code == 404


def test_members_see_their_own_pending_enterprise(api_client):
    enterprise = EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None)
    api_client.force_authenticate(member_of(enterprise))

    response = api_client.get(detail_url(enterprise))

    assert response.status_code == 200
    assert response.json()["status"] == "pending"


def test_members_see_the_changes_waiting_for_verification(api_client):
    enterprise = EnterpriseFactory(
        pending_changes={
            "phone": "0571-00000000",
            "district": District.objects.get(code="lingang").pk,
            "categories": [SupplyCategory.objects.get(slug="oxide-electrolyte").pk],
        }
    )
    api_client.force_authenticate(member_of(enterprise))

    body = api_client.get(detail_url(enterprise)).json()

    assert body["phone"] == enterprise.phone
    assert body["pending_changes"] == {
        "phone": "0571-00000000",
        "district": "lingang",
        "categories": ["oxide-electrolyte"],
    }


# --- registration --------------------------------------------------------------------------


def test_register_an_enterprise(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    data = registration()

    response = api_client.post(LIST_URL, data, format="json")

    assert response.status_code == 201, response.content
    enterprise = Enterprise.objects.get(uscc=data["uscc"])
    assert enterprise.status == ListingStatus.PENDING
    assert enterprise.district.code == "hitech"
    assert sorted(enterprise.categories.values_list("slug", flat=True)) == [
        "halide-electrolyte",
        "sulfide-electrolyte",
    ]
    assert Membership.objects.get(enterprise=enterprise).user == user
    assert Membership.objects.get(enterprise=enterprise).role == MembershipRole.OWNER
    assert StatusChange.objects.filter(enterprise=enterprise, to_status="pending").exists()
    body = response.json()
    assert body["uscc"] == data["uscc"]
    assert body["status"] == "pending"
    assert body["district"] == "hitech"
    assert body["categories"] == ["sulfide-electrolyte", "halide-electrolyte"]
    assert body["pending_changes"] is None
    assert response["Location"] == f"/api/v1/enterprises/{data['uscc']}/"
    # Pending: not in the directory yet.
    assert data["uscc"] not in search(api_client)


def test_register_accepts_the_code_as_pasted(api_client):
    api_client.force_authenticate(UserFactory())
    code = make_uscc()
    pasted = f" {code[:6].lower()} {code[6:12]} {code[12:].lower()} "

    response = api_client.post(LIST_URL, registration(uscc=pasted), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["uscc"] == code
    assert Enterprise.objects.filter(uscc=code).exists()


def _with_bad_character(code: str) -> str:
    return code[:4] + "I" + code[5:]


def _with_wrong_check_digit(code: str) -> str:
    wrong = "0" if code[17] != "0" else "1"
    return code[:17] + wrong


def test_register_names_the_invalid_character(api_client):
    api_client.force_authenticate(UserFactory())

    response = api_client.post(
        LIST_URL, registration(uscc=_with_bad_character(make_uscc())), format="json"
    )

    assert response.status_code == 400
    [message] = response.json()["uscc"]
    assert "Character 5" in message
    assert "I" in message
    assert Enterprise.objects.count() == 0


def test_register_says_the_check_digit_is_wrong(api_client):
    api_client.force_authenticate(UserFactory())
    code = make_uscc()

    response = api_client.post(
        LIST_URL, registration(uscc=_with_wrong_check_digit(code)), format="json"
    )

    assert response.status_code == 400
    [message] = response.json()["uscc"]
    assert "check digit" in message
    assert uscc_check_character(code[:17]) in message


def test_register_rejects_a_short_code(api_client):
    api_client.force_authenticate(UserFactory())

    response = api_client.post(LIST_URL, registration(uscc="91330100"), format="json")

    assert response.status_code == 400
    [message] = response.json()["uscc"]
    assert "18" in message


def test_register_rejects_a_code_registered_already(api_client):
    existing = EnterpriseFactory()
    api_client.force_authenticate(UserFactory())

    response = api_client.post(LIST_URL, registration(uscc=existing.uscc.lower()), format="json")

    assert response.status_code == 400
    assert "registered already" in response.json()["uscc"][0]


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"district": "atlantis"}, "district"),
        ({"categories": ["sulfide-electrolyte", "unobtainium"]}, "categories"),
        ({"kind": "pirate"}, "kind"),
        ({"name_zh": ""}, "name_zh"),
        ({"email": "not an address"}, "email"),
        ({"website": "nowhere"}, "website"),
        ({"annual_capacity": "-1"}, "annual_capacity"),
        ({"employees": -3}, "employees"),
    ],
)
def test_register_errors_are_keyed_by_field(api_client, overrides, key):
    api_client.force_authenticate(UserFactory())

    response = api_client.post(LIST_URL, registration(**overrides), format="json")

    assert response.status_code == 400
    assert key in response.json()
    assert Enterprise.objects.count() == 0


def test_register_requires_the_essentials(api_client):
    api_client.force_authenticate(UserFactory())

    response = api_client.post(LIST_URL, {}, format="json")

    assert response.status_code == 400
    assert {"uscc", "name_zh", "kind", "district"} <= set(response.json())


# --- tokens --------------------------------------------------------------------------------


def test_token_for_scripts_and_a_write_with_it(api_client):
    UserFactory(username="erp")

    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": "erp", "password": "correct horse battery staple"},
        format="json",
    )

    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user.username == "erp"
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    data = registration()
    assert api_client.post(LIST_URL, data, format="json").status_code == 201
    assert Membership.objects.get(enterprise__uscc=data["uscc"]).user.username == "erp"


def test_token_refused_for_a_wrong_password(api_client):
    UserFactory(username="erp")

    response = api_client.post(
        "/api/v1/auth/token/", {"username": "erp", "password": "guess"}, format="json"
    )

    assert response.status_code == 400
    assert not Token.objects.exists()


def test_password_guessing_is_slowed_down(api_client):
    cache.clear()
    UserFactory(username="erp")
    guess = {"username": "erp", "password": "guess"}

    answers = [
        api_client.post("/api/v1/auth/token/", guess, format="json").status_code for _ in range(21)
    ]

    assert answers[:20] == [400] * 20
    assert answers[20] == 429
    cache.clear()


def test_an_invalid_token_is_refused(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.post(LIST_URL, registration(), format="json")

    assert response.status_code == 401
    assert Enterprise.objects.count() == 0


def test_a_session_works_too(api_client):
    user = UserFactory()
    api_client.force_login(user)

    response = api_client.post(LIST_URL, registration(), format="json")

    assert response.status_code == 201


# --- profile editing -----------------------------------------------------------------------


def test_editing_a_pending_enterprise_is_live(api_client):
    enterprise = EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None)
    api_client.force_authenticate(member_of(enterprise))

    response = api_client.patch(
        detail_url(enterprise),
        {"name_en": "Renamed Ltd.", "categories": ["oxide-electrolyte"]},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name_en"] == "Renamed Ltd."
    assert body["categories"] == ["oxide-electrolyte"]
    assert body["status"] == "pending"
    assert body["pending_changes"] is None
    enterprise.refresh_from_db()
    assert enterprise.name_en == "Renamed Ltd."


def test_editing_a_verified_enterprise_waits_for_verification(api_client):
    enterprise = EnterpriseFactory(categories=["sulfide-electrolyte"])
    old_name = enterprise.name_zh
    api_client.force_authenticate(member_of(enterprise))

    response = api_client.patch(
        detail_url(enterprise),
        {
            "name_zh": "新名字有限公司",
            "district": "lingang",
            "categories": ["oxide-electrolyte", "cathode", "solid-electrolyte"],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "verified"
    assert body["name_zh"] == old_name
    assert body["district"] == enterprise.district.code
    assert body["categories"] == ["sulfide-electrolyte"]
    assert body["pending_changes"] == {
        "name_zh": "新名字有限公司",
        "district": "lingang",
        "categories": ["solid-electrolyte", "oxide-electrolyte", "cathode"],
    }
    enterprise.refresh_from_db()
    assert enterprise.name_zh == old_name
    # The public still sees the verified values.
    api_client.force_authenticate(None)
    assert api_client.get(detail_url(enterprise)).json()["name_zh"] == old_name


def test_editing_a_returned_enterprise_resubmits_it(api_client):
    enterprise = EnterpriseFactory(status=ListingStatus.RETURNED, verified_at=None)
    api_client.force_authenticate(member_of(enterprise))

    response = api_client.patch(detail_url(enterprise), {"phone": "110"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    enterprise.refresh_from_db()
    assert enterprise.status == ListingStatus.PENDING


def test_the_code_cannot_be_edited(api_client):
    enterprise = EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None)
    api_client.force_authenticate(member_of(enterprise))

    response = api_client.patch(detail_url(enterprise), {"uscc": make_uscc()}, format="json")

    assert response.status_code == 200
    assert Enterprise.objects.get(pk=enterprise.pk).uscc == enterprise.uscc


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"district": "atlantis"}, "district"),
        ({"categories": ["unobtainium"]}, "categories"),
        ({"email": "broken"}, "email"),
        ({"annual_capacity": "-5"}, "annual_capacity"),
        ({"name_zh": ""}, "name_zh"),
    ],
)
def test_edit_errors_are_keyed_by_field(api_client, data, key):
    enterprise = EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None)
    api_client.force_authenticate(member_of(enterprise))

    response = api_client.patch(detail_url(enterprise), data, format="json")

    assert response.status_code == 400
    assert key in response.json()


# --- products ------------------------------------------------------------------------------


def test_public_product_list_shows_verified_products(api_client):
    enterprise = EnterpriseFactory()
    verified = ProductFactory(enterprise=enterprise, pending_changes={"name": "secret"})
    ProductFactory(enterprise=enterprise, status=ListingStatus.PENDING)

    response = api_client.get(products_url(enterprise))

    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == verified.pk
    assert item["status"] == "verified"
    assert item["pending_changes"] is None
    assert api_client.get(product_url(verified)).json()["name"] == verified.name


def test_unverified_products_and_enterprises_are_not_public(api_client):
    enterprise = EnterpriseFactory()
    pending = ProductFactory(enterprise=enterprise, status=ListingStatus.PENDING)
    unlisted = EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None)
    product_of_unlisted = ProductFactory(enterprise=unlisted)

    assert api_client.get(product_url(pending)).status_code == 404
    assert api_client.get(products_url(unlisted)).status_code == 404
    assert api_client.get(product_url(product_of_unlisted)).status_code == 404


def test_members_see_all_their_products(api_client):
    enterprise = EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None)
    pending = ProductFactory(enterprise=enterprise, status=ListingStatus.PENDING)
    api_client.force_authenticate(member_of(enterprise))

    [item] = api_client.get(products_url(enterprise)).json()

    assert item["id"] == pending.pk
    assert item["status"] == "pending"
    assert api_client.get(product_url(pending)).status_code == 200


def test_add_a_product(api_client):
    enterprise = EnterpriseFactory()
    api_client.force_authenticate(member_of(enterprise))

    response = api_client.post(
        products_url(enterprise),
        {
            "name": "Li6PS5Cl",
            "category": "sulfide-electrolyte",
            "ionic_conductivity": 0.012,
            "asr": 9,
            "coulombic_efficiency": 99.7,
            "coulombic_efficiency_cycles": 300,
            "price": "980.5",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["category"] == "sulfide-electrolyte"
    assert body["price"] == "980.50"
    assert body["specific_capacity"] is None
    product = Product.objects.get(pk=body["id"])
    assert product.enterprise == enterprise
    assert product.status == ListingStatus.PENDING
    # Not public until verified.
    api_client.force_authenticate(None)
    assert api_client.get(products_url(enterprise)).json() == []
    assert search(api_client, ionic_conductivity_min="0.01") == []


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"ionic_conductivity": -0.1}, "ionic_conductivity"),
        ({"asr": -1}, "asr"),
        ({"specific_capacity": -1}, "specific_capacity"),
        ({"decay_rate": 100.5}, "decay_rate"),
        ({"coulombic_efficiency": 101}, "coulombic_efficiency"),
        ({"weight_reduction": 120}, "weight_reduction"),
        ({"weight_reduction": -1}, "weight_reduction"),
        ({"price": "-3"}, "price"),
        ({"ionic_conductivity": "NaN"}, "ionic_conductivity"),
        ({"asr": "Infinity"}, "asr"),
        ({"coulombic_efficiency_cycles": -1}, "coulombic_efficiency_cycles"),
        ({"category": "unobtainium"}, "category"),
        ({"name": ""}, "name"),
    ],
)
def test_product_errors_are_keyed_by_field(api_client, data, key):
    enterprise = EnterpriseFactory()
    api_client.force_authenticate(member_of(enterprise))
    valid = {"name": "Powder", "category": "sulfide-electrolyte"}

    response = api_client.post(products_url(enterprise), {**valid, **data}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [key]
    assert not Product.objects.exists()


def test_product_edit_errors_are_keyed_by_field(api_client):
    product = ProductFactory(status=ListingStatus.PENDING)
    api_client.force_authenticate(member_of(product.enterprise))

    response = api_client.patch(product_url(product), {"coulombic_efficiency": 100.1})

    assert response.status_code == 400
    assert list(response.json()) == ["coulombic_efficiency"]


def test_editing_a_verified_product_waits_for_verification(api_client):
    product = ProductFactory(ionic_conductivity=0.01)
    api_client.force_authenticate(member_of(product.enterprise))

    response = api_client.patch(
        product_url(product),
        {"ionic_conductivity": 0.02, "category": "oxide-electrolyte", "price": "10.5"},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ionic_conductivity"] == 0.01
    assert body["pending_changes"] == {
        "ionic_conductivity": 0.02,
        "category": "oxide-electrolyte",
        "price": "10.50",
    }
    product.refresh_from_db()
    assert product.ionic_conductivity == 0.01


def test_editing_a_pending_product_is_live(api_client):
    product = ProductFactory(status=ListingStatus.PENDING, asr=20)
    api_client.force_authenticate(member_of(product.enterprise))

    response = api_client.patch(product_url(product), {"asr": 12.5}, format="json")

    assert response.status_code == 200
    assert response.json()["asr"] == 12.5
    assert response.json()["pending_changes"] is None
    product.refresh_from_db()
    assert product.asr == 12.5


def test_remove_a_product(api_client):
    product = ProductFactory()
    api_client.force_authenticate(member_of(product.enterprise))

    response = api_client.delete(product_url(product))

    assert response.status_code == 204
    assert not Product.objects.filter(pk=product.pk).exists()
    assert StatusChange.objects.filter(enterprise=product.enterprise, to_status="deleted").exists()


# --- certifications ------------------------------------------------------------------------


def test_add_and_remove_a_certification(api_client):
    enterprise = EnterpriseFactory()
    api_client.force_authenticate(member_of(enterprise))
    valid_until = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()

    response = api_client.post(
        certifications_url(enterprise),
        {"scheme": "IATF 16949", "number": "0412345", "issuer": "TÜV", "valid_until": valid_until},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["scheme"] == "IATF 16949"
    assert body["is_valid"] is True
    assert search(api_client, certification="IATF 16949") == [enterprise.uscc]

    response = api_client.delete(f"{certifications_url(enterprise)}{body['id']}/")

    assert response.status_code == 204
    assert not Certification.objects.exists()
    assert search(api_client, certification="IATF 16949") == []


def test_members_see_expired_certifications_the_public_does_not(api_client):
    enterprise = EnterpriseFactory()
    expired = CertificationFactory(enterprise=enterprise, valid_until=yesterday())
    valid = CertificationFactory(enterprise=enterprise, scheme="ISO 14001")

    public = api_client.get(certifications_url(enterprise)).json()
    api_client.force_authenticate(member_of(enterprise))
    own = api_client.get(certifications_url(enterprise)).json()

    assert [item["id"] for item in public] == [valid.pk]
    assert {item["id"]: item["is_valid"] for item in own} == {expired.pk: False, valid.pk: True}


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"scheme": "ISO 0000"}, "scheme"),
        ({"number": ""}, "number"),
        ({"valid_until": "someday"}, "valid_until"),
    ],
)
def test_certification_errors_are_keyed_by_field(api_client, data, key):
    enterprise = EnterpriseFactory()
    api_client.force_authenticate(member_of(enterprise))
    valid = {"scheme": "ISO 9001", "number": "Q-1", "valid_until": "2030-01-01"}

    response = api_client.post(certifications_url(enterprise), {**valid, **data}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [key]


def test_the_same_certificate_cannot_be_added_twice(api_client):
    enterprise = EnterpriseFactory()
    CertificationFactory(enterprise=enterprise, scheme="ISO 9001", number="Q-1")
    api_client.force_authenticate(member_of(enterprise))

    response = api_client.post(
        certifications_url(enterprise),
        {"scheme": "ISO 9001", "number": "Q-1", "valid_until": "2030-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert Certification.objects.count() == 1


# --- reference data ------------------------------------------------------------------------


def test_categories_are_a_two_level_tree(api_client):
    response = api_client.get("/api/v1/categories/")

    assert response.status_code == 200
    tree = response.json()
    top = {node["slug"]: node for node in tree}
    assert len(top) == SupplyCategory.objects.filter(parent__isnull=True).count()
    electrolytes = top["solid-electrolyte"]
    assert electrolytes["name_zh"] == "固态电解质"
    assert electrolytes["name_en"] == "Solid electrolytes"
    assert [child["slug"] for child in electrolytes["children"]] == [
        "sulfide-electrolyte",
        "oxide-electrolyte",
        "polymer-electrolyte",
        "halide-electrolyte",
    ]
    assert all(set(child) == {"slug", "name_zh", "name_en"} for child in electrolytes["children"])


def test_districts(api_client):
    response = api_client.get("/api/v1/districts/")

    assert response.status_code == 200
    districts = {item["code"]: item for item in response.json()}
    assert len(districts) == District.objects.count()
    assert districts["hitech"]["is_local"] is True
    assert districts["abroad"]["is_local"] is False
    assert districts["donghu"]["name_zh"] == "东湖区"
    assert districts["donghu"]["name_en"] == "Donghu District"


@pytest.mark.django_db
def test_members_declare_a_local_content_share_that_waits_for_verification(
    api_client, sme, official
):
    product = ProductFactory(enterprise=sme)
    api_client.force_authenticate(sme.owner)
    url = product_url(product)

    refused = api_client.patch(url, {"local_content_share": "130"}, format="json")
    assert refused.status_code == 400
    assert "local_content_share" in refused.json()

    accepted = api_client.patch(url, {"local_content_share": "30"}, format="json")
    assert accepted.status_code == 200
    product.refresh_from_db()
    # A verified product keeps its verified share until an official accepts the change.
    assert product.local_content_share is None
    assert product.pending_changes == {"local_content_share": "30.00"}
