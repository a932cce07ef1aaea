"""The bills of materials' API: members declare, officials verify; other firms get 404."""

import datetime

import pytest
from django.utils import timezone

from directory.models import BillOfMaterials, BomStatus
from tests.directory.bom_support import report
from tests.factories import MembershipFactory, ProductFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/bills-of-materials/"


@pytest.fixture
def product(sme):
    return ProductFactory(enterprise=sme)


def _body(product, **extra):
    return {
        "product": product.pk,
        "lines": [
            {"description": "cells", "origin": "local", "cost": "60"},
            {"description": "labour", "kind": "labour", "cost": "40", "local_share": "50"},
        ],
        **extra,
    }


def test_a_member_declares_and_an_official_verifies(api_client, sme, product, official):
    api_client.force_authenticate(sme.owner)
    created = api_client.post(URL, _body(product), format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == BomStatus.SUBMITTED
    api_client.force_authenticate(official)
    until = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    verified = api_client.post(
        f"{URL}{created.json()['id']}/verify/",
        {"valid_until": until, "evidence": report()},
        format="multipart",
    )
    assert verified.status_code == 200, verified.json()
    assert verified.json()["computed_share"] == "80.00"


def test_another_firms_user_gets_404_on_declaring_and_on_reading(api_client, product):
    stranger = MembershipFactory().user
    api_client.force_authenticate(stranger)
    assert api_client.post(URL, _body(product), format="json").status_code == 404
    assert not BillOfMaterials.objects.exists()
    api_client.force_authenticate(product.enterprise.owner)
    bom_id = api_client.post(URL, _body(product), format="json").json()["id"]
    api_client.force_authenticate(stranger)
    assert api_client.get(f"{URL}{bom_id}/").status_code == 404
    assert api_client.post(f"{URL}{bom_id}/return/", {"reason": "x"}).status_code == 404


def test_bad_lines_answer_400_naming_the_line(api_client, sme, product):
    api_client.force_authenticate(sme.owner)
    body = _body(product)
    body["lines"][1]["local_share"] = None
    answer = api_client.post(URL, body, format="json")
    assert answer.status_code == 400
    assert "Line 2" in str(answer.json())


def test_a_member_may_not_verify(api_client, sme, product):
    api_client.force_authenticate(sme.owner)
    bom_id = api_client.post(URL, _body(product), format="json").json()["id"]
    until = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    answer = api_client.post(
        f"{URL}{bom_id}/verify/", {"valid_until": until, "evidence": report()}, format="multipart"
    )
    assert answer.status_code == 403


def test_the_list_runs_a_fixed_number_of_queries(
    api_client, sme, official, django_assert_max_num_queries
):
    api_client.force_authenticate(sme.owner)
    for _n in range(4):
        api_client.post(URL, _body(ProductFactory(enterprise=sme)), format="json")
    api_client.force_authenticate(official)
    with django_assert_max_num_queries(8):
        answer = api_client.get(URL)
    assert answer.status_code == 200
