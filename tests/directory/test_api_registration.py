"""Registering an enterprise through the directory API, and the tokens its members use."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from directory.models import Enterprise, ListingStatus, Membership, MembershipRole, StatusChange
from directory.validators import uscc_check_character
from tests.directory.api_support import LIST_URL, registration, search
from tests.factories import EnterpriseFactory, UserFactory, make_uscc

pytestmark = pytest.mark.django_db


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


def test_token_requests_are_limited_per_minute(api_client):
    # Wrong passwords lock out sooner (tests/test_login_throttling.py); this is the rate limit.
    cache.clear()
    UserFactory(username="erp")
    right = {"username": "erp", "password": "correct horse battery staple"}

    answers = [
        api_client.post("/api/v1/auth/token/", right, format="json").status_code for _ in range(21)
    ]

    assert answers[:20] == [200] * 20
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
