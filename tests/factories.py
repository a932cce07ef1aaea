"""Factories for tests and benchmarks; every enterprise gets a USCC with a valid check digit."""

import datetime
import itertools
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from alliance.models import AllianceMember, Demand, Standard, StandardParticipation
from directory.models import (
    Certification,
    District,
    Enterprise,
    ListingStatus,
    Membership,
    Product,
    PurchaseLine,
    PurchaseLineConfirmation,
    SupplyCategory,
)
from directory.validators import uscc_check_character
from subsidies.models import Application, Programme
from talent.models import ScholarshipFund, Student

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


class PurchaseLineFactory(factory.django.DjangoModelFactory):
    """A line bought from a verified local supplier of sulfide electrolyte, this year."""

    class Meta:
        model = PurchaseLine
        skip_postgeneration_save = True

    buyer = factory.SubFactory(EnterpriseFactory, kind="anchor")
    supplier = factory.SubFactory(EnterpriseFactory)
    supplier_name = factory.LazyAttribute(lambda line: line.supplier.name_zh)
    invoice_no = factory.Sequence(lambda n: f"INV-{n:06d}")
    line_no = 1
    invoice_date = factory.LazyFunction(lambda: timezone.localdate().replace(month=3, day=15))
    category = factory.LazyFunction(lambda: SupplyCategory.objects.get(slug="sulfide-electrolyte"))
    amount = Decimal("100000.00")

    @factory.post_generation
    def confirmation(self, create, extracted, **kwargs):
        """`confirmation="confirmed"` (or "disputed"): the supplier's word on the line as it is."""
        if create and extracted:
            reason = "" if extracted == "confirmed" else "Not our invoice."
            PurchaseLineConfirmation.of_line(self, extracted, reason).save()


def _programme_defaults(kind: str) -> dict:
    money = {
        "local_procurement": {"budget_cny": Decimal("10000000.00"), "rate_percent": Decimal("5")},
        "demonstration_procurement": {
            "budget_cny": Decimal("10000000.00"),
            "rate_percent": Decimal("10"),
        },
        "standards_reward": {
            "budget_cny": Decimal("10000000.00"),
            "lead_reward_cny": Decimal("1000000.00"),
            "participate_reward_cny": Decimal("500000.00"),
        },
        "national_matching": {
            "budget_cny": Decimal("100000000.00"),
            "rate_percent": Decimal("15"),
        },
        "rd_fund": {
            "budget_cny": Decimal("20000000.00"),
            "max_award_cny": Decimal("5000000.00"),
            "rd_material": "sulfide_electrolyte",
        },
    }
    return money.get(kind, {})


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """An open programme of this year; money parameters follow the seed for its kind."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    kind = "local_procurement"
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    name_zh = factory.Sequence(lambda n: f"支持计划{n}")
    name_en = factory.Sequence(lambda n: f"Support programme {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    scoring_criteria = factory.LazyFunction(
        lambda: [
            {"key": "merit", "label": "Technical merit", "weight": 60},
            {"key": "impact", "label": "Impact on the local chain", "weight": 40},
        ]
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        for name, value in _programme_defaults(kwargs["kind"]).items():
            kwargs.setdefault(name, value)
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def eligible_categories(self, create, extracted, **kwargs):
        if not create:
            return
        slugs = extracted if extracted is not None else ["solid-electrolyte", "cells-and-packs"]
        self.eligible_categories.set(SupplyCategory.objects.filter(slug__in=slugs))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft; pass status and amounts to start further along (tests of later steps)."""

    class Meta:
        model = Application

    programme = factory.SubFactory(ProgrammeFactory)
    kind = factory.LazyAttribute(lambda application: application.programme.kind)
    applicant = factory.SubFactory(EnterpriseFactory, kind="anchor")
    status = "draft"


class AllianceMemberFactory(factory.django.DjangoModelFactory):
    """An approved alliance member."""

    class Meta:
        model = AllianceMember
        django_get_or_create = ("enterprise",)

    enterprise = factory.SubFactory(EnterpriseFactory)
    status = "approved"
    decided_at = factory.LazyFunction(timezone.now)


class DemandFactory(factory.django.DjangoModelFactory):
    """An open demand of an anchor member for sulfide electrolyte, open to all members."""

    class Meta:
        model = Demand
        skip_postgeneration_save = True

    owner = factory.SubFactory(EnterpriseFactory, kind="anchor")
    title = factory.Sequence(lambda n: f"Sulfide electrolyte supply {n}")
    category = factory.LazyFunction(lambda: SupplyCategory.objects.get(slug="sulfide-electrolyte"))
    preferred_model = "supply"
    visibility = "members"
    status = "open"

    @factory.post_generation
    def owner_is_member(self, create, extracted, **kwargs):
        if create:
            AllianceMemberFactory(enterprise=self.owner)


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard

    body = "IEC"
    number = factory.Sequence(lambda n: f"6266{n}")
    key = factory.LazyAttribute(lambda standard: f"IEC{standard.number}")
    title = "Secondary lithium cells: solid-state test methods"
    is_international = True
    stage = "working_draft"


class StandardParticipationFactory(factory.django.DjangoModelFactory):
    """A confirmed participation."""

    class Meta:
        model = StandardParticipation

    standard = factory.SubFactory(StandardFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    role = "participant"
    joined_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=200))
    evidence = "Working-group nomination letter"
    status = "confirmed"


class UniversityFactory(EnterpriseFactory):
    kind = "university"
    name_zh = factory.Sequence(lambda n: f"测试大学{n}")
    name_en = factory.Sequence(lambda n: f"Test University {n}")


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    university = factory.SubFactory(UniversityFactory)
    student_number = factory.Sequence(lambda n: f"S{n:07d}")
    name = factory.Sequence(lambda n: f"学生{n}")
    degree = "master"
    field = "Materials science"
    expected_graduation_year = factory.LazyFunction(lambda: timezone.localdate().year)


class ScholarshipFundFactory(factory.django.DjangoModelFactory):
    """This year's fund, open now: 50 awards of 20,000 CNY, industry and government halves."""

    class Meta:
        model = ScholarshipFund

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    award_cny = Decimal("20000.00")
    awards = 50
    industry_contribution_cny = Decimal("500000.00")
    government_contribution_cny = Decimal("500000.00")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
