"""Support programmes, the applications made to them and everything that guards public money.

One engine serves every programme kind of the seed: the kind decides which claim fields an
application uses and which rule computes its amount (see `subsidies.rules`). Amounts are in
CNY, Decimal, two places; quotas in tce per year.

The tables live in modules by concern (programmes, applications, reviews, notices, payments,
safeguards, milestones); every model and choice is imported here, so that
`subsidies.models.<Name>` is where Django, the migrations and the other apps find them.
"""

from subsidies.models.acceptances import UnconfirmedLineAcceptance
from subsidies.models.applications import (
    AWARDED_STATUSES,
    EDITABLE_STATUSES,
    RELEASED_STATUSES,
    RESERVED_STATUSES,
    Application,
    ApplicationStatus,
    ClaimedLine,
    Document,
    KpiTarget,
    Message,
    Milestone,
    Transition,
)
from subsidies.models.milestones import (
    DatasetKind,
    KpiValueSource,
    MilestoneKpiValue,
    MilestoneReport,
    TemperatureUnit,
    _dataset_stored_name,
)
from subsidies.models.notices import Notice, Objection, ObjectionStatus
from subsidies.models.payments import (
    DisbursementBatch,
    Recovery,
    RecoveryReason,
    RecoveryStatus,
    Repayment,
)
from subsidies.models.programmes import (
    LINE_KINDS,
    MONETARY_KINDS,
    DocumentKind,
    Kpi,
    Programme,
    ProgrammeKind,
    RdMaterial,
    StandardRole,
)
from subsidies.models.reviews import Appeal, AppealOutcome, Recommendation, Review
from subsidies.models.safeguards import ConflictDeclaration, SupportCap

__all__ = [
    "AWARDED_STATUSES",
    "EDITABLE_STATUSES",
    "LINE_KINDS",
    "MONETARY_KINDS",
    "RELEASED_STATUSES",
    "RESERVED_STATUSES",
    "Appeal",
    "AppealOutcome",
    "Application",
    "ApplicationStatus",
    "ClaimedLine",
    "ConflictDeclaration",
    "DatasetKind",
    "DisbursementBatch",
    "Document",
    "DocumentKind",
    "Kpi",
    "KpiTarget",
    "KpiValueSource",
    "Message",
    "Milestone",
    "MilestoneKpiValue",
    "MilestoneReport",
    "Notice",
    "Objection",
    "ObjectionStatus",
    "Programme",
    "ProgrammeKind",
    "RdMaterial",
    "Recommendation",
    "Recovery",
    "RecoveryReason",
    "RecoveryStatus",
    "Repayment",
    "Review",
    "StandardRole",
    "SupportCap",
    "TemperatureUnit",
    "Transition",
    "UnconfirmedLineAcceptance",
    # Migration 0005 names the dataset's upload_to as subsidies.models._dataset_stored_name.
    "_dataset_stored_name",
]
