"""Open this year's support programmes with the seed's parameters, and a few demo applications.

    manage.py seed_programmes [--if-empty]

Every write goes through the services (these are few rows), so the demo applications carry
their history and the audit log's hash chain is whole. Run after `seed_demo`: the demo
applications belong to its "anchor" and "sme" logins and are decided by "official".
"""

import datetime
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from alliance.services.standards import (
    participation_decide,
    participation_declare,
    standard_register,
)
from directory.models import Enterprise, SupplyCategory
from subsidies.models import DocumentKind, Programme, ProgrammeKind
from subsidies.selectors.eligibility import application_eligibility, claimable_lines
from subsidies.services.drafting import (
    application_create,
    application_set_lines,
    application_set_plan,
    document_add,
)
from subsidies.services.programmes import programme_save, support_cap_set
from subsidies.services.reviews import application_start_review
from subsidies.services.submission import application_submit

SSB_CATEGORY_SLUGS = [
    "solid-electrolyte",
    "cathode",
    "anode",
    "auxiliary-materials",
    "cells-and-packs",
]
PACK_CATEGORY_SLUGS = ["cells-and-packs"]
REVIEW_CRITERIA = [
    {"key": "merit", "label": "Technical merit / 技术水平", "weight": 40},
    {"key": "impact", "label": "Impact on the local chain / 对本地产业链的带动", "weight": 35},
    {"key": "feasibility", "label": "Feasibility / 可行性", "weight": 25},
]


def _demo_pdf() -> bytes:
    """A one-page blank PDF, well formed (uploads are read with pypdf and checked)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


DEMO_PDF = _demo_pdf()


def programme_specs(year: int, today: datetime.date) -> list[dict]:
    opens = today - datetime.timedelta(days=30)
    closes = today + datetime.timedelta(days=60)
    common = {
        "year": year,
        "opens_on": opens,
        "closes_on": closes,
        "scoring_criteria": REVIEW_CRITERIA,
    }
    return [
        {
            **common,
            "kind": ProgrammeKind.LOCAL_PROCUREMENT,
            "name_zh": f"{year}年本地采购补贴",
            "name_en": f"Local procurement subsidy {year}",
            "budget_cny": Decimal("50000000.00"),
            "rate_percent": Decimal("5.00"),
            "second_approval_above_cny": Decimal("1000000.00"),
            "required_documents": [DocumentKind.INVOICES],
            "categories": SSB_CATEGORY_SLUGS,
        },
        {
            **common,
            "kind": ProgrammeKind.DEMONSTRATION_PROCUREMENT,
            "name_zh": f"{year}年示范场景采购补贴",
            "name_en": f"Demonstration procurement subsidy {year}",
            "budget_cny": Decimal("30000000.00"),
            "rate_percent": Decimal("10.00"),
            "required_documents": [DocumentKind.INVOICES, DocumentKind.SCENARIO_EVIDENCE],
            "categories": PACK_CATEGORY_SLUGS,
        },
        {
            **common,
            "kind": ProgrammeKind.STANDARDS_REWARD,
            "name_zh": f"{year}年国际标准奖励",
            "name_en": f"International standards reward {year}",
            "budget_cny": Decimal("10000000.00"),
            "lead_reward_cny": Decimal("1000000.00"),
            "participate_reward_cny": Decimal("500000.00"),
            "required_documents": [DocumentKind.STANDARD_EVIDENCE],
        },
        {
            **common,
            "kind": ProgrammeKind.NATIONAL_MATCHING,
            "name_zh": f"{year}年国家重大项目配套",
            "name_en": f"National major project matching {year}",
            "budget_cny": Decimal("150000000.00"),
            "rate_percent": Decimal("15.00"),
            "second_approval_above_cny": Decimal("5000000.00"),
            "required_documents": [DocumentKind.PROJECT_APPROVAL],
        },
        {
            **common,
            "kind": ProgrammeKind.RD_FUND,
            "name_zh": f"{year}年硫化物电解质研发专项",
            "name_en": f"R&D special fund {year}: sulfide electrolytes",
            "budget_cny": Decimal("60000000.00"),
            "max_award_cny": Decimal("8000000.00"),
            "rd_material": "sulfide_electrolyte",
            "second_approval_above_cny": Decimal("3000000.00"),
            "required_documents": [DocumentKind.PROPOSAL],
        },
        {
            **common,
            "kind": ProgrammeKind.ENERGY_QUOTA,
            "name_zh": f"{year}年绿色产业用能指标",
            "name_en": f"Green-industry energy quota {year}",
            "required_documents": [DocumentKind.ENERGY_ASSESSMENT],
        },
        {
            **common,
            "kind": ProgrammeKind.LAND_PRIORITY,
            "name_zh": f"{year}年产业用地优先保障（第一轮）",
            "name_en": f"Industrial land priority {year}, round 1",
            "required_documents": [DocumentKind.INVESTMENT_PLAN],
        },
    ]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


class Command(BaseCommand):
    help = "Open this year's support programmes with the seed's parameters and demo applications."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when programmes exist already."
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Programme.objects.exists():
            self.stdout.write("Programmes exist already; nothing to do.")
            return
        User = get_user_model()
        official = User.objects.filter(username="official").first()
        if official is None:
            raise CommandError(
                "Run seed_demo first: the programmes are run by its 'official' login."
            )
        today = timezone.localdate()
        with transaction.atomic():
            programmes = {}
            for spec in programme_specs(today.year, today):
                slugs = spec.pop("categories", [])
                programme = programme_save(actor=official, programme=Programme(**spec))
                programme.eligible_categories.set(SupplyCategory.objects.filter(slug__in=slugs))
                programmes[programme.kind] = programme
            support_cap_set(
                actor=official,
                amount_cny=Decimal("20000000.00"),
                years=3,
                effective_from=today.replace(month=1, day=1),
            )
            made = self._demo_applications(programmes, official)
        self.stdout.write(
            self.style.SUCCESS(f"{len(programmes)} programmes opened, {made} demo applications.")
        )

    def _demo_applications(self, programmes, official) -> int:
        anchor = Enterprise.objects.filter(memberships__user__username="anchor").first()
        sme = Enterprise.objects.filter(memberships__user__username="sme").first()
        made = 0
        if anchor is not None:
            owner = anchor.memberships.get(user__username="anchor").user
            application = application_create(
                actor=owner,
                programme=programmes[ProgrammeKind.LOCAL_PROCUREMENT],
                applicant=anchor,
                data={"summary": "Sulfide electrolyte and packs bought from local suppliers."},
            )
            lines = list(claimable_lines(application).values_list("pk", flat=True)[:12])
            if lines:
                application_set_lines(actor=owner, application=application, line_ids=lines)
                document_add(
                    actor=owner,
                    application=application,
                    kind=DocumentKind.INVOICES,
                    upload=_pdf("invoices.pdf"),
                )
                if application_eligibility(application).ok:
                    application_submit(actor=owner, application=application)
            made += 1
        if sme is not None:
            owner = sme.memberships.get(user__username="sme").user
            iec = standard_register(
                actor=owner,
                data={
                    "body": "IEC",
                    "number": "IEC 62660-4",
                    "title": "Secondary lithium-ion cells for EV propulsion — Part 4",
                    "is_international": True,
                    "stage": "committee_draft",
                },
            )
            participation = participation_declare(
                actor=owner,
                standard=iec,
                enterprise=sme,
                role="participant",
                joined_on=today_plus(-400),
                evidence="Nomination letter of the national committee, working group 4.",
            )
            participation_decide(actor=official, participation=participation, confirm=True)
            standard = application_create(
                actor=owner,
                programme=programmes[ProgrammeKind.STANDARDS_REWARD],
                applicant=sme,
                data={
                    "summary": "Working-group member for the sulfide electrolyte test method.",
                    "standard_participation": participation,
                },
            )
            document_add(
                actor=owner,
                application=standard,
                kind=DocumentKind.STANDARD_EVIDENCE,
                upload=_pdf("iec-working-group-letter.pdf"),
            )
            if application_eligibility(standard).ok:
                application_submit(actor=owner, application=standard)
                application_start_review(actor=official, application=standard)
            proposal = application_create(
                actor=owner,
                programme=programmes[ProgrammeKind.RD_FUND],
                applicant=sme,
                data={
                    "summary": "Halide-doped Li6PS5Cl with σ above 1e-2 S/cm at 25 °C.",
                    "requested_amount_cny": Decimal("4500000.00"),
                },
            )
            application_set_plan(
                actor=owner,
                application=proposal,
                kpis=[
                    {"kpi": "ionic_conductivity", "baseline_value": 0.004, "target_value": 0.012},
                    {"kpi": "cost", "baseline_value": 2400, "target_value": 1200},
                ],
                milestones=[
                    {"title": "Kilogram batch", "due_on": today_plus(180)},
                    {"title": "Pilot line, 10 t/year", "due_on": today_plus(540)},
                ],
            )
            made += 2
        return made


def today_plus(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)
