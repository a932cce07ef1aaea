"""The API's viewsets: programmes (public) and applications (the applicant's members
and officials). Thin: parse input, call one service or selector, render the result.
"""

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from ssb_portal.api import INVALID
from ssb_portal.viewsets import SignedInViewSet
from subsidies.api.serializers import (
    CLAIM_FIELD_NAMES,
    AcceptUnconfirmedInSerializer,
    AppealInSerializer,
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationSerializer,
    ClaimableLineSerializer,
    ClaimSerializer,
    DocumentInSerializer,
    DocumentSerializer,
    EligibilitySerializer,
    KpiStatusSerializer,
    LinesInSerializer,
    MessageInSerializer,
    MessageSerializer,
    MilestoneReportInSerializer,
    MilestoneReportSerializer,
    PlanInSerializer,
    ProgrammeSerializer,
    UnconfirmedLineAcceptanceSerializer,
    WithdrawInSerializer,
)
from subsidies.filters import ApplicationFilter, ProgrammeFilter
from subsidies.models import Application
from subsidies.selectors import eligibility as eligibility_selectors
from subsidies.selectors.access import (
    applicant_line_for_official,
    application_detail,
    application_for,
    application_messages,
    applications_visible_to,
)
from subsidies.selectors.eligibility import application_eligibility
from subsidies.selectors.milestones import application_kpi_status
from subsidies.selectors.public import programmes_public
from subsidies.services.drafting import (
    application_create,
    application_set_lines,
    application_set_plan,
    application_update,
    document_add,
)
from subsidies.services.line_acceptance import purchase_line_accept_unconfirmed
from subsidies.services.milestones import milestone_report_file
from subsidies.services.submission import (
    appeal_file,
    application_submit,
    application_withdraw,
    message_post,
)

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
        return programmes_public()

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


@extend_schema(tags=["applications"])
class ApplicationViewSet(SignedInViewSet):
    """Applications to the programmes: the applicant's members draft and submit them."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter

    def get_queryset(self):
        return applications_visible_to(self.request.user)

    def visible(self, pk: int) -> Application:
        return application_for(self.request.user, pk)

    def detail_response(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        application = application_detail(self.request.user, pk)
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
        application = application_create(
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
        application_update(
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
        eligibility = application_eligibility(self.visible(pk))
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
        page = self.paginate_queryset(eligibility_selectors.claimable_lines(application))
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
        application_set_lines(
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
        application_set_plan(
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
        document = document_add(
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
        application_submit(actor=request.user, application=self.visible(pk))
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
        application_withdraw(
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
        appeal_file(
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
            thread = application_messages(request.user, application)
            return Response(MessageSerializer(thread, many=True).data)
        serializer = MessageInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = message_post(
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
        report = milestone_report_file(
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
            "target and the programme target."
        ),
        responses={200: KpiStatusSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def kpis(self, request: Request, pk: int) -> Response:
        application = self.visible(pk)
        statuses = application_kpi_status(application)
        return Response(KpiStatusSerializer(statuses, many=True).data)

    @extend_schema(
        summary=_("Accept a line its supplier has not confirmed (officials)"),
        description=_(
            "An official accepts a purchase line of the applicant that its supplier has not "
            "confirmed, with a reason, so that the local-procurement subsidy may count it at "
            "its amount now (recorded in the audit chain). A confirmed line needs no "
            "acceptance and a disputed one is settled with the supplier: both are refused "
            "under `line`; a missing reason under `reason`. Anyone but an official, and a "
            "line that is not the applicant's, gets 404."
        ),
        request=AcceptUnconfirmedInSerializer,
        responses={200: UnconfirmedLineAcceptanceSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="lines/<int:line_id>/accept-unconfirmed",
        filter_backends=[],
        pagination_class=None,
    )
    def accept_unconfirmed(self, request: Request, pk: int, line_id: int) -> Response:
        line = applicant_line_for_official(request.user, pk, line_id)
        serializer = AcceptUnconfirmedInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        acceptance = purchase_line_accept_unconfirmed(
            actor=request.user, line_id=line.pk, reason=serializer.validated_data["reason"]
        )
        return Response(UnconfirmedLineAcceptanceSerializer(acceptance).data)
