"""Open this year's support programmes with the seed's parameters, and a few demo applications.

    manage.py seed_programmes [--if-empty]

Every write goes through the services (these are few rows), so the demo applications carry
their history and the audit log's hash chain is whole. Run after `seed_demo`: the demo
applications (subsidies/demo, one in each state of the workflow) belong to its "anchor" and
"sme" logins and are decided by "official" ("official2" opens the recovery). Prints the time.
"""

import datetime
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from directory.models import Enterprise, SupplyCategory
from subsidies.demo.applications import anchor_applications, sme_applications
from subsidies.models import DocumentKind, Programme, ProgrammeKind
from subsidies.services.programmes import programme_save, support_cap_set

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
            # Proposals are scored by an expert before an official approves them.
            "review_required": True,
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
        started = time.monotonic()
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
            self.style.SUCCESS(
                f"{len(programmes)} programmes opened, {made} demo applications in "
                f"{time.monotonic() - started:.1f} s."
            )
        )

    def _demo_applications(self, programmes, official) -> int:
        """One application in each state of the workflow, by the demo anchor and SME."""
        User = get_user_model()
        second = User.objects.filter(username="official2").first() or official
        anchor = Enterprise.objects.filter(memberships__user__username="anchor").first()
        sme = Enterprise.objects.filter(memberships__user__username="sme").first()
        made = 0
        anchor_user = anchor.memberships.get(user__username="anchor").user if anchor else None
        if anchor is not None:
            made += anchor_applications(
                programmes=programmes,
                official=official,
                second_official=second,
                owner=anchor_user,
                anchor=anchor,
            )
        if sme is not None:
            made += sme_applications(
                programmes=programmes,
                official=official,
                second_official=second,
                owner=sme.memberships.get(user__username="sme").user,
                sme=sme,
                objector=anchor_user or second,
            )
        return made
