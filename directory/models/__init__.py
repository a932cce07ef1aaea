"""The directory's tables, one module per sub-domain; every model is imported here so that
`directory.models.X` names it (Django, the migrations and the other apps rely on that)."""

# Migration 0008 names the datasets' upload_to functions as directory.models.<name>.
from directory.models.composition import (
    BillOfMaterials,
    BomLine,
    BomLineKind,
    BomStatus,
    BomStatusChange,
    CostUnit,
    Origin,
    SafeHarbourClass,
    SafeHarbourTable,
)
from directory.models.confirmations import (
    ConfirmationStatus,
    PurchaseLineConfirmation,
    PurchaseLineConfirmationChange,
)
from directory.models.evidence import (
    DatasetKind,
    DatasetStatus,
    MeasurementDataset,
    TemperatureUnit,
    _dataset_file_name,
    _dataset_report_name,
)
from directory.models.holds import CorrectionStatus, PurchaseLineCorrection, PurchaseLineHold
from directory.models.lcr import LcrPublication, LcrPublishedFigure, LcrTrajectory
from directory.models.lcr_ledger import LcrBasis, LcrLedgerRow
from directory.models.lcr_rollup import LcrRollupRow, LcrYearRow
from directory.models.listings import (
    THRESHOLD_SPECS,
    CapacityUnit,
    Certification,
    CertificationScheme,
    District,
    Enterprise,
    EnterpriseGroup,
    EnterpriseKind,
    ListingStatus,
    Product,
    StatusChange,
    SupplyCategory,
)
from directory.models.mappings import PurchaseColumnMapping, PurchaseItemCategory
from directory.models.members import Invitation, Membership, MembershipRole
from directory.models.passport import (
    METALS,
    BatteryCategory,
    BatteryPassport,
    PassportDocument,
    PassportDocumentKind,
    PassportLevel,
    PassportVersion,
)
from directory.models.purchases import (
    PurchaseImport,
    PurchaseImportReview,
    PurchaseImportSource,
    PurchaseImportStatus,
    PurchaseLine,
    PurchaseLineRevision,
)
from directory.models.reviews import PurchaseImportReviewChange, PurchaseReviewPolicy
from directory.models.shares import LocalContentShare, ShareBasis

__all__ = [
    "METALS",
    "BatteryCategory",
    "BatteryPassport",
    "PassportDocument",
    "PassportDocumentKind",
    "PassportLevel",
    "PassportVersion",
    "BillOfMaterials",
    "BomLine",
    "BomLineKind",
    "BomStatus",
    "BomStatusChange",
    "CostUnit",
    "Origin",
    "SafeHarbourClass",
    "SafeHarbourTable",
    "ShareBasis",
    "_dataset_file_name",
    "_dataset_report_name",
    "CapacityUnit",
    "Certification",
    "CertificationScheme",
    "ConfirmationStatus",
    "CorrectionStatus",
    "DatasetKind",
    "DatasetStatus",
    "District",
    "Enterprise",
    "EnterpriseGroup",
    "EnterpriseKind",
    "Invitation",
    "LcrBasis",
    "LcrLedgerRow",
    "LcrPublication",
    "LcrPublishedFigure",
    "LcrRollupRow",
    "LcrTrajectory",
    "LcrYearRow",
    "ListingStatus",
    "LocalContentShare",
    "MeasurementDataset",
    "Membership",
    "MembershipRole",
    "Product",
    "PurchaseColumnMapping",
    "PurchaseImport",
    "PurchaseImportReview",
    "PurchaseImportReviewChange",
    "PurchaseImportSource",
    "PurchaseImportStatus",
    "PurchaseLine",
    "PurchaseLineConfirmation",
    "PurchaseLineConfirmationChange",
    "PurchaseLineCorrection",
    "PurchaseLineHold",
    "PurchaseLineRevision",
    "PurchaseItemCategory",
    "PurchaseReviewPolicy",
    "StatusChange",
    "SupplyCategory",
    "THRESHOLD_SPECS",
    "TemperatureUnit",
]
