"""The Industry Alliance: members, demands and their matchmaking, collaborations, standards.

Suggestion 2 of the seed: anchor firms and SMEs meet through "order + technology"
collaborations (licensing and joint development, long-term supply, standard co-creation).

One module per sub-domain; every model and choice set is imported here, so that
`alliance.models.<Name>` names each of them (Django, the migrations and the other apps read
them so).
"""

from alliance.demonstrations.models import (
    DemonstrationProject,
    DemonstrationScenario,
    DemonstrationStatus,
    FieldReport,
)
from alliance.models.collaborations import (
    Collaboration,
    CollaborationDocument,
    CollaborationMilestone,
    CollaborationParty,
    CollaborationStatus,
    PartyRole,
)
from alliance.models.demands import (
    DEMAND_THRESHOLDS,
    CollaborationModel,
    Demand,
    DemandResponse,
    DemandStatus,
    DemandVisibility,
    Meeting,
    MeetingStatus,
    ResponseStatus,
)
from alliance.models.events import AllianceEvent
from alliance.models.members import AllianceMember, MemberStatus
from alliance.models.standards import (
    ParticipationStatus,
    Standard,
    StandardParticipation,
    StandardRole,
    StandardStage,
)

__all__ = [
    "DEMAND_THRESHOLDS",
    "AllianceEvent",
    "AllianceMember",
    "Collaboration",
    "CollaborationDocument",
    "CollaborationMilestone",
    "CollaborationModel",
    "CollaborationParty",
    "CollaborationStatus",
    "Demand",
    "DemandResponse",
    "DemandStatus",
    "DemandVisibility",
    "DemonstrationProject",
    "DemonstrationScenario",
    "DemonstrationStatus",
    "FieldReport",
    "Meeting",
    "MeetingStatus",
    "MemberStatus",
    "ParticipationStatus",
    "PartyRole",
    "ResponseStatus",
    "Standard",
    "StandardParticipation",
    "StandardRole",
    "StandardStage",
]
