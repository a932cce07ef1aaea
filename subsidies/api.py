"""The support programmes' REST API: thin views that parse input, call one service or selector,
and render the result.

Programmes are public. Applications are seen by the members of the applicant and by officials;
an application the user may not see answers 404, a move the user may not make answers 403, and
bad input answers 400 with the message under the field's name. Amounts are CNY as decimal
strings with two places ("19500.03"), never floats.
"""

from typing import Any

import django_filters
from django import forms
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from directory.api import EnterpriseCodeField, FiniteFloatField
from directory.filters import StrictBooleanFilter, YearFilter
from directory.models import PurchaseLine
from ssb_portal.api import RefuseUnknownFields
from subsidies import selectors, services
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
)

#: Every field an applicant may set on some kind of programme; services.CLAIM_FIELDS says which
#: fields each kind uses, and the service refuses the others.
CLAIM_FIELD_NAMES: tuple[str, ...] = (
    "summary",
    *dict.fromkeys(name for names in services.CLAIM_FIELDS.values() for name in names),
)
MAX_LINES_PER_CALL = 10_000
#: The largest id the database stores (a 64-bit integer).
MAX_ID = 2**63 - 1


def _claim_fields_of(kind: str) -> list[str]:
    return ["summary", *services.CLAIM_FIELDS.get(kind, ())]


def _person(user: Any) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


# --- input ---------------------------------------------------------------------------------


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


class MessageInSerializer(RefuseUnknownFields, serializers.Serializer):
    body = serializers.CharField()
    internal = serializers.BooleanField(
        required=False, default=False, help_text=_("An internal note; officials only.")
    )


# --- output --------------------------------------------------------------------------------


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


class AppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appeal
        fields = ("grounds", "filed_at", "outcome", "decided_at", "decision_note")
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSerializer):
    """Everything the applicant's page shows; expects selectors.application_detail."""

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


# --- filters -------------------------------------------------------------------------------


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ProgrammeFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ProgrammeKind.choices)
    year = YearFilter(min_value=2000, max_value=2100)
    open = StrictBooleanFilter(
        method="filter_open",
        help_text=_("true: programmes taking applications today; false: the others."),
    )

    class Meta:
        model = Programme
        fields = ("kind", "year", "open")

    def filter_open(self, queryset, name: str, value: bool | None):
        if value is None:
            return queryset
        today = timezone.localdate()
        taking = {"opens_on__lte": today, "closes_on__gte": today}
        return queryset.filter(**taking) if value else queryset.exclude(**taking)


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    programme = IdFilter(min_value=1, max_value=MAX_ID, help_text=_("A programme's id."))

    class Meta:
        model = Application
        fields = ("status", "programme")


# --- views ---------------------------------------------------------------------------------

INVALID = OpenApiResponse(description=_("Invalid data; the errors are listed under each field."))
NOT_FOUND = OpenApiResponse(description=_("No such application, or not yours to see."))
FORBIDDEN = OpenApiResponse(description=_("You may not do this to this application."))


@extend_schema(tags=["support programmes"])
class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The support programmes: subsidies, rewards, funds, quotas and land."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.programmes_public()

    @extend_schema(
        summary=_("Support programmes"),
        description=_(
            "Newest year first. Filter by kind, year and open=true for the programmes that "
            "take applications today."
        ),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("One programme"))
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)


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


@extend_schema(tags=["applications"])
class ApplicationViewSet(viewsets.GenericViewSet):
    """Applications to the programmes: the applicant's members draft and submit them."""

    # Token first, so that a request without credentials is told to bring a token (401).
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.applications_visible_to(self.request.user)

    def visible(self, pk: int) -> Application:
        return selectors.application_for(self.request.user, pk)

    def detail_response(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        application = selectors.application_detail(self.request.user, pk)
        return Response(ApplicationDetailSerializer(application).data, status=code)

    @staticmethod
    def claim_data(serializer: serializers.Serializer) -> dict[str, Any]:
        """Only the claim fields the request names (form data would add empty booleans)."""
        sent = set(serializer.initial_data)
        return {
            name: value
            for name, value in serializer.validated_data.items()
            if name in CLAIM_FIELD_NAMES and name in sent
        }

    @extend_schema(
        summary=_("Your applications"),
        description=_(
            "Your enterprises' applications, newest first; officials see every application."
        ),
        responses={200: ApplicationSerializer(many=True), 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ApplicationSerializer(page, many=True).data)

    @extend_schema(
        summary=_("Start an application"),
        description=_(
            "Creates a draft for one of your enterprises. Send the programme, the applicant's "
            "code and the claim fields the programme uses (see its claim_fields); the others "
            "are refused. Eligibility is checked when you submit."
        ),
        request=ApplicationCreateSerializer,
        responses={201: ApplicationDetailSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_create(
            actor=request.user,
            programme=serializer.validated_data["programme"],
            applicant=serializer.validated_data["applicant"],
            data=self.claim_data(serializer),
        )
        return self.detail_response(application.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("One application"),
        description=_(
            "Its state, amounts, claim, history, documents (their records) and messages."
        ),
        responses={200: ApplicationDetailSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Change the claim"),
        description=_("While the application is a draft or returned for changes."),
        request=ClaimSerializer,
        responses={200: ApplicationDetailSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        application = self.visible(pk)
        serializer = ClaimSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.application_update(
            actor=request.user, application=application, data=self.claim_data(serializer)
        )
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Eligibility checklist"),
        description=_(
            "Every condition for submitting, each with what to do when it fails, and the "
            "amount the programme's rule gives the claim as it stands."
        ),
        responses={200: EligibilitySerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def eligibility(self, request: Request, pk: int) -> Response:
        eligibility = selectors.application_eligibility(self.visible(pk))
        return Response(EligibilitySerializer(eligibility).data)

    @extend_schema(
        summary=_("Purchase lines you may claim"),
        description=_(
            "Procurement subsidies: the applicant's lines of the programme year bought from "
            "verified local suppliers in an eligible category that no other application holds."
        ),
        responses={200: ClaimableLineSerializer(many=True), 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="claimable-lines", filter_backends=[])
    def claimable_lines(self, request: Request, pk: int) -> Response:
        application = self.visible(pk)
        if not application.programme.claims_lines:
            raise ValidationError(gettext("This programme does not pay for purchase lines."))
        page = self.paginate_queryset(selectors.claimable_lines(application))
        return self.get_paginated_response(ClaimableLineSerializer(page, many=True).data)

    @extend_schema(
        summary=_("Set the claimed purchase lines"),
        description=_(
            "Replaces the lines claimed so far. A line that cannot be claimed here (not yours, "
            "not eligible, or claimed in another application) refuses the whole request."
        ),
        request=LinesInSerializer,
        responses={200: ApplicationDetailSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["put"], filter_backends=[], pagination_class=None)
    def lines(self, request: Request, pk: int) -> Response:
        application = self.visible(pk)
        serializer = LinesInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.application_set_lines(
            actor=request.user,
            application=application,
            line_ids=serializer.validated_data["line_ids"],
        )
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Set the KPIs and milestones"),
        description=_("R&D proposals: replaces the KPI targets and the milestones."),
        request=PlanInSerializer,
        responses={200: ApplicationDetailSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["put"], filter_backends=[], pagination_class=None)
    def plan(self, request: Request, pk: int) -> Response:
        application = self.visible(pk)
        serializer = PlanInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.application_set_plan(
            actor=request.user,
            application=application,
            kpis=serializer.validated_data["kpis"],
            milestones=serializer.validated_data["milestones"],
        )
        return self.detail_response(pk)

    @extend_schema(
        methods=["get"],
        summary=_("The application's documents"),
        description=_("Their records only; the files are downloaded from the application's page."),
        responses={200: DocumentSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["post"],
        summary=_("Attach a document"),
        description=_(
            "Multipart form with the document's kind and the file: a PDF, JPEG or PNG of at "
            "most 10 MB, recognised by its content; its name must agree with it."
        ),
        request={"multipart/form-data": DocumentInSerializer},
        responses={201: DocumentSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def documents(self, request: Request, pk: int) -> Response:
        application = self.visible(pk)
        if request.method == "GET":
            return Response(DocumentSerializer(application.documents.all(), many=True).data)
        serializer = DocumentInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.document_add(
            actor=request.user,
            application=application,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Submit"),
        description=_(
            "Checks eligibility and computes the amount by the programme's rule; every "
            "problem that stands in the way is listed."
        ),
        request=None,
        responses={200: ApplicationDetailSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def submit(self, request: Request, pk: int) -> Response:
        services.application_submit(actor=request.user, application=self.visible(pk))
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Withdraw"),
        description=_("Before a decision; a withdrawn application releases what it claimed."),
        request=WithdrawInSerializer,
        responses={200: ApplicationDetailSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def withdraw(self, request: Request, pk: int) -> Response:
        application = self.visible(pk)
        serializer = WithdrawInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.application_withdraw(
            actor=request.user, application=application, note=serializer.validated_data["note"]
        )
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Appeal a rejection"),
        description=_("Once per rejection; another official decides."),
        request=AppealInSerializer,
        responses={201: ApplicationDetailSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def appeal(self, request: Request, pk: int) -> Response:
        application = self.visible(pk)
        serializer = AppealInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.appeal_file(
            actor=request.user,
            application=application,
            grounds=serializer.validated_data["grounds"],
        )
        return self.detail_response(pk, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["get"],
        summary=_("The application's messages"),
        description=_("Oldest first; internal notes are shown to officials only."),
        responses={200: MessageSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["post"],
        summary=_("Write to the officials (or, for officials, to the applicant)"),
        request=MessageInSerializer,
        responses={201: MessageSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def messages(self, request: Request, pk: int) -> Response:
        application = self.visible(pk)
        if request.method == "GET":
            thread = selectors.application_messages(request.user, application)
            return Response(MessageSerializer(thread, many=True).data)
        serializer = MessageInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.message_post(
            actor=request.user,
            application=application,
            body=serializer.validated_data["body"],
            internal=serializer.validated_data["internal"],
        )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    # --- R&D fund milestone reports (issue 6) ---------------------------------------------

    @extend_schema(
        summary=_("Report a milestone"),
        description=_(
            "Awarded R&D projects (approved, in public notice or paid): multipart form with the "
            "date, the summary, the evidence PDF, an optional measurement dataset (CSV or XLSX) "
            'and `values`, a JSON list of {kpi, value, source} where source is "fitted" or '
            '"reported". All or nothing; a bad value is refused under the KPI\'s name.'
        ),
        request={"multipart/form-data": MilestoneReportInSerializer},
        responses={201: MilestoneReportSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="milestones/<int:milestone_id>/reports",
        filter_backends=[],
        pagination_class=None,
    )
    def milestone_reports(self, request: Request, pk: int, milestone_id: int) -> Response:
        application = self.visible(pk)
        milestone = get_object_or_404(application.milestones.all(), pk=milestone_id)
        serializer = MilestoneReportInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.milestone_report_file(
            actor=request.user,
            application=application,
            milestone=milestone,
            reported_on=data["reported_on"],
            summary=data["summary"],
            evidence=data["evidence"],
            dataset=data.get("dataset"),
            dataset_kind=data["dataset_kind"],
            temperature_unit=data["temperature_unit"],
            values=data["values"],
        )
        return Response(MilestoneReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("KPI status"),
        description=_(
            "Each KPI of an R&D proposal: baseline, target, the latest value reported at a "
            "milestone (fitted preferred over reported), and whether it meets the proposal's "
            "target and the seed's."
        ),
        responses={200: KpiStatusSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def kpis(self, request: Request, pk: int) -> Response:
        application = self.visible(pk)
        statuses = selectors.application_kpi_status(application)
        return Response(KpiStatusSerializer(statuses, many=True).data)
