"""What the directory API tests share: endpoint addresses, a member's client, a search, a
registration payload.
"""

import datetime

from django.utils import timezone

from directory.models import Enterprise, MembershipRole, Product
from tests.factories import MembershipFactory, UserFactory, make_uscc

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
