"""Who may write through the API: members of the enterprise only.

Everybody else gets 404 for what they may not change (another organisation's members and
officials alike), anonymous callers 401; and nothing changes in the database.
"""

import pytest
from django.contrib.auth.models import Group
from django.forms.models import model_to_dict

from directory.models import (
    Certification,
    Enterprise,
    ListingStatus,
    Membership,
    Product,
    StatusChange,
)
from ssb_portal.roles import OFFICIAL_GROUP
from tests.factories import (
    CertificationFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def target():
    """A verified enterprise with a product and a certification, and one member."""
    enterprise = EnterpriseFactory()
    enterprise.product = ProductFactory(enterprise=enterprise)
    enterprise.certification = CertificationFactory(enterprise=enterprise)
    enterprise.member = UserFactory(username="target-member")
    MembershipFactory(user=enterprise.member, enterprise=enterprise, role="owner")
    return enterprise


def _requests(enterprise):
    base = f"/api/v1/enterprises/{enterprise.uscc}/"
    product = f"{base}products/{enterprise.product.pk}/"
    certification = f"{base}certifications/{enterprise.certification.pk}/"
    return {
        "edit the profile": ("patch", base, {"name_zh": "被篡改", "phone": "000"}),
        "add a product": ("post", f"{base}products/", {"name": "X", "category": "anode"}),
        "edit a product": ("patch", product, {"name": "Hijacked", "asr": 1}),
        "remove a product": ("delete", product, None),
        "add a certification": (
            "post",
            f"{base}certifications/",
            {"scheme": "ISO 9001", "number": "FAKE", "valid_until": "2099-01-01"},
        ),
        "remove a certification": ("delete", certification, None),
    }


WRITES = [
    "edit the profile",
    "add a product",
    "edit a product",
    "remove a product",
    "add a certification",
    "remove a certification",
]


def _snapshot():
    return {
        "enterprises": [model_to_dict(e) for e in Enterprise.objects.order_by("pk")],
        "products": [model_to_dict(p) for p in Product.objects.order_by("pk")],
        "certifications": [model_to_dict(c) for c in Certification.objects.order_by("pk")],
        "memberships": list(Membership.objects.order_by("pk").values()),
        "status changes": StatusChange.objects.count(),
    }


def _send(api_client, enterprise, write):
    method, url, data = _requests(enterprise)[write]
    return getattr(api_client, method)(url, data, format="json")


def _another_organisations_member():
    user = UserFactory(username="rival")
    MembershipFactory(user=user, enterprise=EnterpriseFactory(), role="owner")
    return user


def _official():
    user = UserFactory(username="official", is_staff=True)
    user.groups.add(Group.objects.get(name=OFFICIAL_GROUP))
    return user


def _superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize(
    "outsider", [_another_organisations_member, _official, _superuser, UserFactory]
)
def test_outsiders_get_404_and_change_nothing(api_client, target, write, outsider):
    api_client.force_authenticate(outsider())
    before = _snapshot()

    response = _send(api_client, target, write)

    assert response.status_code == 404, response.content
    assert _snapshot() == before


@pytest.mark.parametrize("write", WRITES)
def test_anonymous_callers_must_authenticate(api_client, target, write):
    before = _snapshot()

    response = _send(api_client, target, write)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert _snapshot() == before


def test_anonymous_callers_cannot_register(api_client):
    before = _snapshot()

    response = api_client.post(
        "/api/v1/enterprises/",
        {"uscc": make_uscc(), "name_zh": "匿名", "kind": "sme", "district": "hitech"},
        format="json",
    )

    assert response.status_code == 401
    assert _snapshot() == before


@pytest.mark.parametrize("write", WRITES)
def test_members_may_write(api_client, target, write):
    api_client.force_authenticate(target.member)

    response = _send(api_client, target, write)

    assert response.status_code in {200, 201, 204}, response.content


@pytest.mark.parametrize("write", ["edit a product", "remove a product", "remove a certification"])
def test_a_member_cannot_reach_another_enterprises_rows_through_its_own_code(
    api_client, target, write
):
    """The product or certification id must belong to the enterprise named in the URL."""
    rival = _another_organisations_member()
    own = rival.memberships.get().enterprise
    api_client.force_authenticate(rival)
    before = _snapshot()
    method, url, data = _requests(target)[write]

    response = getattr(api_client, method)(url.replace(target.uscc, own.uscc), data, format="json")

    assert response.status_code == 404
    assert _snapshot() == before


def test_members_cannot_verify_or_recommend_their_own_listing(api_client):
    enterprise = EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None)
    product = ProductFactory(enterprise=enterprise, status=ListingStatus.PENDING)
    member = UserFactory()
    MembershipFactory(user=member, enterprise=enterprise, role="owner")
    api_client.force_authenticate(member)
    promotion = {"status": "verified", "recommended": True, "verified_at": "2020-01-01T00:00Z"}

    api_client.patch(f"/api/v1/enterprises/{enterprise.uscc}/", promotion, format="json")
    api_client.patch(
        f"/api/v1/enterprises/{enterprise.uscc}/products/{product.pk}/",
        {"status": "verified"},
        format="json",
    )

    enterprise.refresh_from_db()
    product.refresh_from_db()
    assert enterprise.status == ListingStatus.PENDING
    assert enterprise.recommended is False
    assert enterprise.verified_at is None
    assert product.status == ListingStatus.PENDING


def test_registering_cannot_skip_verification(api_client):
    api_client.force_authenticate(UserFactory())
    uscc = make_uscc()

    response = api_client.post(
        "/api/v1/enterprises/",
        {
            "uscc": uscc,
            "name_zh": "捷径公司",
            "kind": "sme",
            "district": "hitech",
            "status": "verified",
            "recommended": True,
        },
        format="json",
    )

    assert response.status_code == 201
    enterprise = Enterprise.objects.get(uscc=uscc)
    assert enterprise.status == ListingStatus.PENDING
    assert enterprise.recommended is False


@pytest.mark.parametrize("method", ["put", "delete"])
def test_enterprises_cannot_be_replaced_or_deleted(api_client, target, method):
    api_client.force_authenticate(target.member)
    before = _snapshot()

    response = getattr(api_client, method)(
        f"/api/v1/enterprises/{target.uscc}/", {"name_zh": "x"}, format="json"
    )

    assert response.status_code == 405
    assert _snapshot() == before


def test_outsiders_cannot_read_a_pending_listing(api_client):
    pending = EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None)
    product = ProductFactory(enterprise=pending, status=ListingStatus.PENDING)
    base = f"/api/v1/enterprises/{pending.uscc}/"
    api_client.force_authenticate(_another_organisations_member())

    for url in (base, f"{base}products/", f"{base}products/{product.pk}/"):
        assert api_client.get(url).status_code == 404, url
    assert pending.uscc not in [
        item["uscc"] for item in api_client.get("/api/v1/enterprises/").json()["results"]
    ]


def test_outsiders_do_not_see_pending_changes(api_client, target):
    Enterprise.objects.filter(pk=target.pk).update(pending_changes={"phone": "123"})
    api_client.force_authenticate(_another_organisations_member())

    body = api_client.get(f"/api/v1/enterprises/{target.uscc}/").json()

    assert body["pending_changes"] is None
