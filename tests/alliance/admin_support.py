"""What the alliance workbench tests share: changelist addresses, statuses, rows built for the
workbench to show, and (from tests.admin_support) posting an action and reading messages.

Officials approve or decline membership applications and confirm standards participations
through actions: the action's POST shows a reason form, the form's POST calls the service
once per selected row.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from alliance.models import (
    AllianceEvent,
    AllianceMember,
    Collaboration,
    CollaborationMilestone,
    CollaborationParty,
    DemandResponse,
    Meeting,
    MemberStatus,
    ParticipationStatus,
    StandardParticipation,
)
from alliance.services import membership as membership_services
from alliance.services import standards as standard_services
from tests.factories import (
    DemandFactory,
    EnterpriseFactory,
    MembershipFactory,
    StandardFactory,
    UserFactory,
)

MEMBERS = reverse("admin:alliance_alliancemember_changelist")


PARTICIPATIONS = reverse("admin:alliance_standardparticipation_changelist")


STANDARDS = reverse("admin:alliance_standard_changelist")


DEMANDS = reverse("admin:alliance_demand_changelist")


RESPONSES = reverse("admin:alliance_demandresponse_changelist")


COLLABORATIONS = reverse("admin:alliance_collaboration_changelist")


EVENTS = reverse("admin:alliance_allianceevent_changelist")


APPLIED = MemberStatus.APPLIED


APPROVED = MemberStatus.APPROVED


DECLINED = MemberStatus.DECLINED


PENDING = ParticipationStatus.PENDING


def applicant(**kwargs) -> AllianceMember:
    """An organisation that applied through the portal, with its own administrator."""
    enterprise = EnterpriseFactory(**kwargs)
    user = UserFactory()
    MembershipFactory(user=user, enterprise=enterprise, role="owner")
    enterprise.owner = user
    return membership_services.member_apply(
        actor=user, enterprise=enterprise, motivation="We make halide electrolytes."
    )


def declared(**kwargs) -> StandardParticipation:
    """A participation an organisation declared, awaiting an official."""
    enterprise = EnterpriseFactory(**kwargs)
    user = UserFactory()
    MembershipFactory(user=user, enterprise=enterprise, role="owner")
    return standard_services.participation_declare(
        actor=user,
        standard=StandardFactory(),
        enterprise=enterprise,
        role="participant",
        joined_on=timezone.localdate() - datetime.timedelta(days=90),
        evidence="Nomination letter of IEC TC21 WG7, ref. 2026-041",
    )


def events_of(obj) -> list[tuple[str, str]]:
    return list(
        AllianceEvent.objects.filter(subject_type=obj._meta.model_name, subject_id=obj.pk)
        .order_by("created_at", "pk")
        .values_list("action", "note")
    )


def make_collaboration(anchor_enterprise=None, supplier=None) -> Collaboration:
    demand = DemandFactory(**({"owner": anchor_enterprise} if anchor_enterprise else {}))
    supplier = supplier or EnterpriseFactory()
    response = DemandResponse.objects.create(
        demand=demand, supplier=supplier, status="accepted", message="We can supply 20 t."
    )
    Meeting.objects.create(
        response=response,
        proposed_by=demand.owner,
        slots=["2026-05-06T09:00:00+08:00"],
        location="Room 301",
    )
    collaboration = Collaboration.objects.create(
        title=demand.title,
        demand=demand,
        model="supply",
        starts_on=datetime.date(2026, 1, 1),
        committed_annual_volume=20,
        volume_unit="t",
    )
    CollaborationParty.objects.bulk_create(
        [
            CollaborationParty(collaboration=collaboration, enterprise=demand.owner, role="anchor"),
            CollaborationParty(collaboration=collaboration, enterprise=supplier, role="supplier"),
        ]
    )
    CollaborationMilestone.objects.create(
        collaboration=collaboration, title="First pilot batch", due_on=datetime.date(2026, 6, 30)
    )
    return collaboration
