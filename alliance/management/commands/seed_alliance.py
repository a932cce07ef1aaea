"""Open the demo Industry Alliance: members, two demands and an expression of interest.

    manage.py seed_alliance [--if-empty]

Run after `seed_demo`. The demo logins act through the services, so the alliance's record
shows who did what: "official" approves their applications, "anchor" posts the demands,
runs the three demonstration projects, meets the SME and agrees a collaboration in each of
the seed's three models; "sme" answers. Other members of the demo city have no logins; they
are written as approved members directly. Prints the time it took.
"""

import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from alliance.demo.collaborations import seed_collaborations
from alliance.demo.demonstrations import seed_demonstrations
from alliance.models import AllianceMember, MemberStatus
from alliance.services import demands as demand_services
from alliance.services import membership as membership_services
from alliance.services import responses as response_services
from directory.models import Enterprise, EnterpriseKind, ListingStatus, SupplyCategory

#: Verified enterprises of the demo city that join, besides the demo logins' own.
MEMBERS_PER_KIND = {
    EnterpriseKind.ANCHOR: 6,
    EnterpriseKind.SME: 40,
    EnterpriseKind.UNIVERSITY: 3,
    EnterpriseKind.RESEARCH_INSTITUTE: 3,
}


class Command(BaseCommand):
    help = "Open the demo Industry Alliance (members, demands) through the services."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the alliance has members."
        )

    def handle(self, *args, **options):
        if options["if_empty"] and AllianceMember.objects.exists():
            self.stdout.write("The alliance has members already; nothing to do.")
            return
        User = get_user_model()
        official = User.objects.filter(username="official").first()
        if official is None:
            raise CommandError("Run seed_demo first: the alliance is run by its 'official' login.")
        started = time.monotonic()
        with transaction.atomic():
            joined = self._members(official)
            demands = self._demands()
            counts = self._city()
        demands = counts.get("demands", demands)
        self.stdout.write(
            self.style.SUCCESS(
                f"{joined} members, {demands} demands, {counts.get('collaborations', 0)} "
                f"collaborations ({counts.get('deliveries', 0)} deliveries), "
                f"{counts.get('projects', 0)} demonstration projects with "
                f"{counts.get('reports', 0)} field reports in {time.monotonic() - started:.1f} s."
            )
        )

    def _city(self) -> dict[str, int]:
        """Demonstrations, collaborations and meetings of the demo anchor and SME."""
        anchor = Enterprise.objects.filter(memberships__user__username="anchor").first()
        sme = Enterprise.objects.filter(memberships__user__username="sme").first()
        if anchor is None or sme is None or anchor.pk == sme.pk:
            return {}
        owner = anchor.memberships.get(user__username="anchor").user
        sme_user = sme.memberships.get(user__username="sme").user
        projects, reports = seed_demonstrations(
            actor=owner, operator=anchor, suppliers=[sme], today=timezone.localdate()
        )
        counts = seed_collaborations(owner_user=owner, anchor=anchor, sme_user=sme_user, sme=sme)
        return counts | {"projects": projects, "reports": reports}

    def _members(self, official) -> int:
        """The demo logins' enterprises join through the services; the rest of the demo
        city's members (who have no logins) are written directly, as seed_demo writes them."""
        joined = 0
        own = list(Enterprise.objects.filter(memberships__user__username__in=["anchor", "sme"]))
        for enterprise in own:
            applicant = enterprise.memberships.select_related("user").first().user
            member = membership_services.member_apply(
                actor=applicant, enterprise=enterprise, motivation="Demo city member"
            )
            membership_services.member_approve(actor=official, member=member)
            joined += 1
        others = []
        for kind, count in MEMBERS_PER_KIND.items():
            others += list(
                Enterprise.objects.filter(kind=kind, status=ListingStatus.VERIFIED)
                .exclude(pk__in=[e.pk for e in own])
                .order_by("pk")[:count]
            )
        now = timezone.now()
        AllianceMember.objects.bulk_create(
            AllianceMember(
                enterprise=enterprise,
                status=MemberStatus.APPROVED,
                motivation="Demo city member",
                decided_by=official,
                decided_at=now,
            )
            for enterprise in others
        )
        return joined + len(others)

    def _demands(self) -> int:
        anchor = Enterprise.objects.filter(memberships__user__username="anchor").first()
        if anchor is None:
            return 0
        owner = anchor.memberships.get(user__username="anchor").user
        sulfide = demand_services.demand_create(
            actor=owner,
            owner=anchor,
            data={
                "title": "硫化物固态电解质长期供货 / Sulfide electrolyte, long-term supply",
                "description": "Li6PS5Cl powder for the 2027 pilot line.",
                "category": SupplyCategory.objects.get(slug="sulfide-electrolyte"),
                "ionic_conductivity_min": 5e-3,
                "required_certifications": ["ISO 9001"],
                "annual_volume": Decimal("50"),
                "volume_unit": "t",
                "preferred_model": "supply",
                "visibility": "members",
            },
        )
        demand_services.demand_create(
            actor=owner,
            owner=anchor,
            data={
                "title": "富锂锰基正极联合开发 / Li-rich Mn cathode, joint development",
                "category": SupplyCategory.objects.get(slug="cathode"),
                "specific_capacity_min": 280,
                "decay_rate_max": 0.08,
                "preferred_model": "licensing",
                "visibility": "members",
            },
        )
        sme = Enterprise.objects.filter(memberships__user__username="sme").first()
        if sme is not None and sme.pk != anchor.pk:
            user = sme.memberships.get(user__username="sme").user
            response_services.interest_express(
                actor=user,
                demand=sulfide,
                supplier=sme,
                message="We make Li6PS5Cl at 8e-3 S/cm; 60 t a year from 2027.",
            )
        return 2
