"""Public profiles in the directory API and their editing by the enterprise's members."""

import pytest

from directory.models import District, Enterprise, ListingStatus, SupplyCategory
from tests.directory.api_support import detail_url, member_of
from tests.factories import EnterpriseFactory, ProductFactory, make_uscc

pytestmark = pytest.mark.django_db


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
