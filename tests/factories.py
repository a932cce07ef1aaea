"""Factories for tests and benchmarks; every enterprise gets a USCC with a valid check digit."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from directory.models import (
    Certification,
    District,
    Enterprise,
    ListingStatus,
    Membership,
    Product,
    SupplyCategory,
)
from directory.validators import uscc_check_character

_serial = itertools.count(1)


def make_uscc(serial: int | None = None) -> str:
    """A well-formed code: '91' (enterprise), a division code, a serial, its check digit."""
    number = next(_serial) if serial is None else serial
    body = f"91330100{number:09d}"
    return body + uscc_check_character(body)


def local_district() -> District:
    return District.objects.filter(is_local=True).order_by("sort_order").first()


def outside_district() -> District:
    return District.objects.filter(is_local=False).order_by("sort_order").first()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("correct horse battery staple")
    is_active = True


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    uscc = factory.LazyFunction(make_uscc)
    name_zh = factory.Sequence(lambda n: f"测试固态材料有限公司{n}")
    name_en = factory.Sequence(lambda n: f"Test Solid Materials Co. {n}")
    kind = "sme"
    district = factory.LazyFunction(local_district)
    contact_person = "张工"
    phone = "0571-88888888"
    email = factory.Sequence(lambda n: f"contact{n}@example.com")
    status = ListingStatus.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(
                SupplyCategory.objects.filter(slug__in=extracted)
                if isinstance(extracted[0], str)
                else extracted
            )


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"Li6PS5Cl electrolyte powder {n}")
    category = factory.LazyFunction(lambda: SupplyCategory.objects.get(slug="sulfide-electrolyte"))
    status = ListingStatus.VERIFIED


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    enterprise = factory.SubFactory(EnterpriseFactory)
    scheme = "ISO 9001"
    number = factory.Sequence(lambda n: f"CN-QMS-{n:05d}")
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    role = "member"
