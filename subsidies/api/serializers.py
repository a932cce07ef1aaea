"""The API's serializers: what a client may send (input, refusing unknown fields) and
what it gets back. Amounts are CNY as decimal strings with two places, never floats.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from directory.api import EnterpriseCodeField, FiniteFloatField
from directory.models import PurchaseLine
from ssb_portal.api import RefuseUnknownFields
from ssb_portal.ids import MAX_ID
from subsidies.models import (
    Appeal,
    Application,
    ApplicationStatus,
    ClaimedLine,
    DatasetKind,
    Document,
    DocumentKind,
    Kpi,
    KpiTarget,
    Message,
    Milestone,
    Programme,
    ProgrammeKind,
    TemperatureUnit,
    Transition,
    UnconfirmedLineAcceptance,
)
from subsidies.services.drafting import CLAIM_FIELDS

#: Every field an applicant may set on some kind of programme; services.CLAIM_FIELDS says which
#: fields each kind uses, and the service refuses the others.
CLAIM_FIELD_NAMES: tuple[str, ...] = (
    "summary",
    *dict.fromkeys(name for names in CLAIM_FIELDS.values() for name in names),
)
MAX_LINES_PER_CALL = 10_000


def _claim_fields_of(kind: str) -> list[str]:
    return ["summary", *CLAIM_FIELDS.get(kind, ())]


def _person(user: Any) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


class ClaimSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    """The claim: the summary and the fields of the programme's kind (see `claim_fields`)."""

    class Meta:
        model = Application
        fields = CLAIM_FIELD_NAMES
        # The service reports a second claim of the same standard or project by its field.
        validators: list = []


class ApplicationCreateSerializer(ClaimSerializer):
    """A new draft: the programme, the applying enterprise and the claim fields it uses."""

    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(),
        help_text=_("The programme's id, see /api/v1/programmes/."),
        error_messages={"does_not_exist": _("There is no programme with this id.")},
    )
    applicant = EnterpriseCodeField(
        help_text=_("The unified social credit code of your enterprise, which applies."),
    )

    class Meta(ClaimSerializer.Meta):
        fields = ("programme", "applicant", *CLAIM_FIELD_NAMES)


class LinesInSerializer(RefuseUnknownFields, serializers.Serializer):
    line_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=True,
        max_length=MAX_LINES_PER_CALL,
        help_text=_(
            "The ids of the purchase lines to claim, see claimable-lines; they replace the "
            "lines claimed so far. An empty list claims none."
        ),
    )


class KpiInSerializer(RefuseUnknownFields, serializers.Serializer):
    kpi = serializers.ChoiceField(choices=Kpi.choices)
    baseline_value = FiniteFloatField(help_text=_("Where the KPI stands today, in its unit."))
    target_value = FiniteFloatField(help_text=_("Where the project will take it."))


class MilestoneInSerializer(RefuseUnknownFields, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    deliverable = serializers.CharField(max_length=255, required=False, allow_blank=True)


class PlanInSerializer(RefuseUnknownFields, serializers.Serializer):
    kpis = KpiInSerializer(many=True, max_length=50)
    milestones = MilestoneInSerializer(many=True, max_length=100)


@extend_schema_field({"type": "string", "format": "binary"})
class UploadField(serializers.FileField):
    """A file sent in a multipart form (the schema lets the docs offer a file picker)."""


class DocumentInSerializer(RefuseUnknownFields, serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = UploadField(help_text=_("A PDF, JPEG or PNG file of at most 10 MB."))


class WithdrawInSerializer(RefuseUnknownFields, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AppealInSerializer(RefuseUnknownFields, serializers.Serializer):
    grounds = serializers.CharField(help_text=_("Why the rejection should be reconsidered."))


class AcceptUnconfirmedInSerializer(RefuseUnknownFields, serializers.Serializer):
    reason = serializers.CharField(
        help_text=_("Why the line may count for the subsidy without its supplier's confirmation.")
    )


class MessageInSerializer(RefuseUnknownFields, serializers.Serializer):
    body = serializers.CharField()
    internal = serializers.BooleanField(
        required=False, default=False, help_text=_("An internal note; officials only.")
    )


class MilestoneReportInSerializer(RefuseUnknownFields, serializers.Serializer):
    reported_on = serializers.DateField()
    summary = serializers.CharField(max_length=5000)
    evidence = UploadField(help_text=_("The evidence: a PDF of at most 10 MB."))
    dataset = UploadField(
        required=False, help_text=_("The measurement dataset: CSV or XLSX of at most 10 MB.")
    )
    dataset_kind = serializers.ChoiceField(
        choices=DatasetKind.choices, required=False, default="", allow_blank=True
    )
    temperature_unit = serializers.ChoiceField(
        choices=TemperatureUnit.choices, required=False, default="", allow_blank=True
    )
    values = serializers.JSONField(
        binary=True,
        required=False,
        default=list,
        help_text=_('A JSON list of {"kpi": ..., "value": ..., "source": "fitted" or "reported"}.'),
    )

    def validate_values(self, value: Any) -> list:
        if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
            raise serializers.ValidationError(
                gettext('Give a list of {"kpi": ..., "value": ..., "source": ...} objects.')
            )
        return value


class RequiredDocumentSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()


class ProgrammeSerializer(serializers.ModelSerializer):
    """A programme and the parameters of the rule that computes its awards."""

    kind = serializers.ChoiceField(choices=ProgrammeKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    eligible_categories = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text=_("Procurement subsidies: purchase lines in these categories may be claimed."),
    )
    is_open = serializers.SerializerMethodField(
        help_text=_("Whether the programme takes applications today.")
    )
    required_documents = serializers.SerializerMethodField(
        help_text=_("Document kinds an application must attach before it can be submitted.")
    )
    claim_fields = serializers.SerializerMethodField(
        help_text=_("The fields an application to this programme fills in.")
    )

    class Meta:
        model = Programme
        fields = (
            "id",
            "kind",
            "kind_label",
            "year",
            "name_zh",
            "name_en",
            "description",
            "opens_on",
            "closes_on",
            "is_open",
            "budget_cny",
            "rate_percent",
            "lead_reward_cny",
            "participate_reward_cny",
            "max_award_cny",
            "rd_material",
            "eligible_categories",
            "required_documents",
            "claim_fields",
            "notice_days",
        )
        read_only_fields = fields

    def get_is_open(self, programme: Programme) -> bool:
        return programme.is_open_on(timezone.localdate())

    @extend_schema_field(RequiredDocumentSerializer(many=True))
    def get_required_documents(self, programme: Programme) -> list[dict[str, str]]:
        return [
            {"kind": kind, "label": str(DocumentKind(kind).label)}
            for kind in programme.required_documents
            if kind in DocumentKind.values
        ]

    def get_claim_fields(self, programme: Programme) -> list[str]:
        return _claim_fields_of(programme.kind)


class ApplicationSerializer(serializers.ModelSerializer):
    """An application as its list shows it."""

    kind = serializers.ChoiceField(choices=ProgrammeKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, read_only=True)
    programme_name_zh = serializers.CharField(source="programme.name_zh", read_only=True)
    programme_name_en = serializers.CharField(source="programme.name_en", read_only=True)
    applicant = serializers.CharField(source="applicant.uscc", read_only=True)
    applicant_name_zh = serializers.CharField(source="applicant.name_zh", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Application
        fields = (
            "id",
            "programme",
            "programme_name_zh",
            "programme_name_en",
            "kind",
            "applicant",
            "applicant_name_zh",
            "status",
            "status_label",
            "computed_amount_cny",
            "awarded_amount_cny",
            "created_at",
            "submitted_at",
            "updated_at",
        )
        read_only_fields = fields


class ClaimedLineSerializer(serializers.ModelSerializer):
    invoice_no = serializers.CharField(source="purchase_line.invoice_no", read_only=True)
    supplier_name = serializers.CharField(source="purchase_line.supplier_name", read_only=True)
    category = serializers.CharField(source="purchase_line.category.slug", read_only=True)

    class Meta:
        model = ClaimedLine
        fields = (
            "purchase_line",
            "invoice_no",
            "line_no",
            "invoice_date",
            "supplier_uscc",
            "supplier_name",
            "category",
            "amount_cny",
        )
        read_only_fields = fields


class ClaimableLineSerializer(serializers.ModelSerializer):
    supplier_uscc = serializers.CharField(source="supplier_id", read_only=True)
    category = serializers.CharField(source="category.slug", read_only=True)

    class Meta:
        model = PurchaseLine
        fields = (
            "id",
            "invoice_no",
            "line_no",
            "invoice_date",
            "supplier_uscc",
            "supplier_name",
            "category",
            "amount",
            "description",
        )
        read_only_fields = fields


class KpiTargetSerializer(serializers.ModelSerializer):
    kpi_label = serializers.CharField(source="get_kpi_display", read_only=True)

    class Meta:
        model = KpiTarget
        fields = ("kpi", "kpi_label", "baseline_value", "target_value")
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ("title", "due_on", "deliverable")
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    """A document's record; the file itself is downloaded from the application's page."""

    kind = serializers.ChoiceField(choices=DocumentKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Document
        fields = (
            "id",
            "kind",
            "kind_label",
            "original_name",
            "content_type",
            "size_bytes",
            "sha256",
            "uploaded_at",
        )
        read_only_fields = fields


class TransitionSerializer(serializers.ModelSerializer):
    from_status = serializers.ChoiceField(choices=ApplicationStatus.choices, read_only=True)
    to_status = serializers.ChoiceField(choices=ApplicationStatus.choices, read_only=True)
    by = serializers.SerializerMethodField()
    at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Transition
        fields = ("from_status", "to_status", "note", "by", "at")
        read_only_fields = fields

    def get_by(self, transition: Transition) -> str | None:
        return _person(transition.actor)


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ("id", "author", "body", "internal", "created_at")
        read_only_fields = fields

    def get_author(self, message: Message) -> str | None:
        return _person(message.author)


class UnconfirmedLineAcceptanceSerializer(serializers.ModelSerializer):
    accepted_by = serializers.SerializerMethodField()

    class Meta:
        model = UnconfirmedLineAcceptance
        fields = ("purchase_line", "amount_cny", "reason", "accepted_by", "accepted_at")
        read_only_fields = fields

    def get_accepted_by(self, acceptance: UnconfirmedLineAcceptance) -> str | None:
        return _person(acceptance.accepted_by)


class AppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appeal
        fields = ("grounds", "filed_at", "outcome", "decided_at", "decision_note")
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSerializer):
    """Everything the applicant's page shows; expects application_detail."""

    is_editable = serializers.BooleanField(read_only=True)
    claim_fields = serializers.SerializerMethodField(
        help_text=_("The claim fields this programme uses; the others stay empty.")
    )
    return_note = serializers.SerializerMethodField(
        help_text=_("While the application is returned: what the officials asked to change.")
    )
    claimed_lines = ClaimedLineSerializer(many=True, read_only=True)
    kpi_targets = KpiTargetSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True)
    messages = MessageSerializer(
        many=True, read_only=True, help_text=_("Internal notes are shown to officials only.")
    )
    appeals = AppealSerializer(many=True, read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = (
            *ApplicationSerializer.Meta.fields,
            "granted_quota_tce",
            "land_rank",
            "decided_at",
            "disbursed_at",
            "is_editable",
            "return_note",
            "claim_fields",
            *CLAIM_FIELD_NAMES,
            # Copied from the standards participation the claim points to.
            "standard_body",
            "standard_number",
            "standard_title",
            "standard_is_international",
            "standard_role",
            "claimed_lines",
            "kpi_targets",
            "milestones",
            "documents",
            "transitions",
            "messages",
            "appeals",
        )
        read_only_fields = fields

    def get_claim_fields(self, application: Application) -> list[str]:
        return _claim_fields_of(application.kind)

    def get_return_note(self, application: Application) -> str:
        if application.status != ApplicationStatus.RETURNED:
            return ""
        returns = [
            t for t in application.transitions.all() if t.to_status == ApplicationStatus.RETURNED
        ]
        return returns[-1].note if returns else ""


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


class EligibilitySerializer(serializers.Serializer):
    ok = serializers.BooleanField(help_text=_("Whether the application may be submitted now."))
    checks = CheckSerializer(many=True)
    amount_cny = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        help_text=_("The award the programme's rule gives the claim as it stands (CNY)."),
    )
    granted_quota_tce = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        allow_null=True,
        help_text=_("Energy quota uplift: the annual quota granted (tce)."),
    )


class MilestoneKpiValueSerializer(serializers.Serializer):
    kpi = serializers.CharField(source="kpi_target.kpi")
    value = serializers.FloatField()
    source = serializers.CharField()


class MilestoneReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    milestone = serializers.IntegerField(source="milestone_id")
    reported_on = serializers.DateField()
    summary = serializers.CharField()
    evidence_name = serializers.CharField(source="original_name")
    evidence_sha256 = serializers.CharField(source="sha256")
    dataset_name = serializers.CharField()
    dataset_sha256 = serializers.CharField()
    dataset_kind = serializers.CharField()
    fit = serializers.JSONField()
    values = MilestoneKpiValueSerializer(source="kpi_values.all", many=True)


class KpiStatusSerializer(serializers.Serializer):
    kpi = serializers.CharField()
    label = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    baseline = serializers.FloatField()
    target = serializers.FloatField()
    seed_target = serializers.FloatField(allow_null=True)
    seed_comparison = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    source = serializers.CharField(allow_null=True)
    reported_on = serializers.DateField(allow_null=True)
    meets_target = serializers.BooleanField(allow_null=True)
    meets_seed = serializers.BooleanField(allow_null=True)
