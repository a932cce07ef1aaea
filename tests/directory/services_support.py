"""What the directory's service tests share: statuses, a category, registration data, counts."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from directory.models import (
    Enterprise,
    ListingStatus,
    Membership,
    Product,
    StatusChange,
    SupplyCategory,
)
from tests.factories import local_district, make_uscc

User = get_user_model()


PENDING = ListingStatus.PENDING


VERIFIED = ListingStatus.VERIFIED


def category(slug: str) -> SupplyCategory:
    return SupplyCategory.objects.get(slug=slug)


def registration_data(**overrides) -> dict:
    return {
        "uscc": make_uscc(),
        "name_zh": "东湖固态电解质材料有限公司",
        "name_en": "Donghu Solid Electrolyte Materials Co., Ltd.",
        "kind": "sme",
        "district": local_district(),
        "contact_person": "李工",
        "phone": "027-87654321",
        "email": "sales@donghu-sse.example.com",
        "employees": 85,
        "annual_capacity": Decimal("120.00"),
        "capacity_unit": "t",
        **overrides,
    }


def counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Enterprise.objects.count(),
        Membership.objects.count(),
        StatusChange.objects.count(),
        Product.objects.count(),
    )
