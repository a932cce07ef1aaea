"""Applications: the queues and each application's file, read-only, with the decisions that
apply to it now as buttons (see `application_actions`); officials write to the applicant
here, and a reviewer fills in the programme's scoring form for their own review."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ssb_portal.admin_kit import (
    DecisionsAdmin,
    ReadOnlyInline,
    add_service_errors,
    admin_link,
    cny,
    error_text,
    form_page,
)
from ssb_portal.roles import is_official
from subsidies.admin.application_actions import ACTIONS_BY_STATUS, APPLICATION_ACTIONS
from subsidies.admin.application_file import ApplicationFile
from subsidies.admin.claimed_lines import ClaimedLineDecisions, PendingCorrectionFilter
from subsidies.admin.forms import MessageForm, ScoringForm
from subsidies.admin.next_steps import SECOND_OFFICIAL, next_step_notes, publish_notice_url
from subsidies.models import Application, Message, ProgrammeKind, Review, Transition
from subsidies.models import ApplicationStatus as S
from subsidies.rules import SCORE_MAX
from subsidies.selectors.workbench import applications_workbench
from subsidies.services.drafting import CLAIM_FIELDS
from subsidies.services.reviews import review_submit
from subsidies.services.submission import message_post


class TransitionInline(ReadOnlyInline):
    model = Transition
    verbose_name_plural = _("history")
    fields = ("created_at", "actor", "from_status", "to_status", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class MessageInline(ReadOnlyInline):
    model = Message
    verbose_name_plural = _("messages and internal notes")
    fields = ("created_at", "author", "internal", "body")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class NearDuplicateFilter(admin.SimpleListFilter):
    title = _("near-duplicate claims")
    parameter_name = "near_duplicate"

    def lookups(self, request, model_admin):
        return [("yes", _("Flagged")), ("no", _("Not flagged"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(has_near_duplicates=True)
        if self.value() == "no":
            return queryset.filter(has_near_duplicates=False)
        return queryset


class OpenObjectionFilter(admin.SimpleListFilter):
    title = _("open objections")
    parameter_name = "open_objections"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(open_objection_count__gt=0)
        if self.value() == "no":
            return queryset.filter(open_objection_count=0)
        return queryset


CLAIM_DISPLAY: dict[str, tuple[str, ...]] = {
    ProgrammeKind.STANDARDS_REWARD: (
        "standard_number",
        "standard_title",
        "standard_role",
        "standard_is_international",
    ),
    ProgrammeKind.LOCAL_PROCUREMENT: (
        "claimed_lines_table",
        "pending_corrections_table",
        "unconfirmed_lines_table",
    ),
    ProgrammeKind.DEMONSTRATION_PROCUREMENT: (
        "claimed_lines_table",
        "pending_corrections_table",
        "unconfirmed_lines_table",
    ),
    ProgrammeKind.RD_FUND: ("kpi_table", "milestones_table"),
    ProgrammeKind.ENERGY_QUOTA: ("granted_quota_tce",),
    ProgrammeKind.LAND_PRIORITY: ("land_rank",),
}


@admin.register(Application)
class ApplicationAdmin(ApplicationFile, ClaimedLineDecisions, DecisionsAdmin):
    """The queues of applications and each application's file, read-only; decisions through
    the actions. Reviewers who are not officials see the applications they were assigned."""

    change_form_template = "admin/subsidies/application_change_form.html"
    list_display = (
        "number",
        "applicant",
        "programme",
        "status",
        "computed_amount",
        "awarded_amount",
        "submitted_at",
        "open_objections",
        "near_duplicates_flag",
        "pending_corrections_flag",
    )
    list_display_links = ("number",)
    list_filter = (
        "status",
        "programme",
        "kind",
        OpenObjectionFilter,
        NearDuplicateFilter,
        PendingCorrectionFilter,
    )
    search_fields = ("applicant__name_zh", "applicant__name_en", "applicant__uscc")
    search_help_text = _("Search by applicant name (Chinese or English) or credit code.")
    # Newest submissions first; drafts (never submitted) last on every database.
    ordering = (F("submitted_at").desc(nulls_last=True), "-pk")
    actions = APPLICATION_ACTIONS
    readonly_fields = (
        "number",
        "applicant_link",
        "programme_link",
        "kind",
        "status",
        "summary",
        "created_by",
        "created_at",
        "submitted_at",
        "standard_participation",
        "standard_body",
        "standard_number",
        "standard_title",
        "standard_is_international",
        "standard_role",
        "project_name",
        "approving_ministry",
        "document_number",
        "total_investment_cny",
        "requested_amount_cny",
        "standard_quota_tce",
        "granted_quota_tce",
        "land_area_m2",
        "land_use",
        "planned_investment_cny",
        "planned_jobs",
        "land_rank",
        "scenario",
        "scenario_site",
        "claimed_lines_table",
        "pending_corrections_table",
        "unconfirmed_lines_table",
        "kpi_table",
        "milestones_table",
        "eligibility_checklist",
        "near_duplicates",
        "computed_amount",
        "awarded_amount",
        "budget_figures",
        "reviews_table",
        "first_approved_by",
        "decided_at",
        "appeals_table",
        "notice",
        "objections_table",
        "disbursement_batch",
        "disbursed_at",
        "recoveries_table",
        "documents_list",
    )

    # --- who sees what

    def _reviews_of(self, request, obj=None) -> bool:
        reviews = Review.objects.filter(reviewer_id=request.user.pk)
        if obj is not None:
            reviews = reviews.filter(application=obj)
        return reviews.exists()

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._reviews_of(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._reviews_of(request, obj)

    def get_queryset(self, request):
        applications = applications_workbench()
        if not request.user.has_perm("subsidies.view_application"):
            applications = applications.filter(reviews__reviewer_id=request.user.pk)
        return applications

    def get_inlines(self, request, obj):
        if is_official(request.user):
            return (TransitionInline, MessageInline)
        return (TransitionInline,)

    def get_fieldsets(self, request, obj=None):
        kind = obj.kind if obj is not None else ""
        claim = (*CLAIM_FIELDS.get(kind, ()), *CLAIM_DISPLAY.get(kind, ()))
        return [
            (
                None,
                {
                    "fields": (
                        "number",
                        "applicant_link",
                        "programme_link",
                        "status",
                        "summary",
                        ("created_by", "created_at", "submitted_at"),
                    )
                },
            ),
            (_("Claim"), {"fields": claim}),
            (
                _("Checks for the reviewer"),
                {"fields": ("eligibility_checklist", "near_duplicates")},
            ),
            (
                _("Decision"),
                {
                    "fields": (
                        "computed_amount",
                        "awarded_amount",
                        "budget_figures",
                        "reviews_table",
                        ("first_approved_by", "decided_at"),
                        "appeals_table",
                    )
                },
            ),
            (
                _("Public notice, payment and recovery"),
                {
                    "fields": (
                        "notice",
                        "objections_table",
                        ("disbursement_batch", "disbursed_at"),
                        "recoveries_table",
                    )
                },
            ),
            (_("Documents"), {"fields": ("documents_list",)}),
        ]

    # --- the list's columns

    @admin.display(description="#", ordering="pk")
    def number(self, application: Application) -> str:
        return f"#{application.pk}"

    @admin.display(description=_("computed amount (CNY)"), ordering="computed_amount_cny")
    def computed_amount(self, application: Application) -> str:
        return cny(application.computed_amount_cny)

    @admin.display(description=_("awarded amount (CNY)"), ordering="awarded_amount_cny")
    def awarded_amount(self, application: Application) -> str:
        return cny(application.awarded_amount_cny)

    @admin.display(description=_("open objections"), ordering="open_objection_count")
    def open_objections(self, application: Application) -> int:
        return application.open_objection_count

    @admin.display(description=_("near-duplicate"), boolean=True)
    def near_duplicates_flag(self, application: Application) -> bool:
        return application.has_near_duplicates

    @admin.display(description=_("purchase line corrected"), boolean=True)
    def pending_corrections_flag(self, application: Application) -> bool:
        return application.has_pending_corrections

    # --- extra pages: decisions, the message form, the reviewer's scoring form

    def get_urls(self):
        return [
            path(
                "<path:object_id>/message/",
                self.admin_site.admin_view(self.message_view),
                name="subsidies_application_message",
            ),
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="subsidies_application_review",
            ),
            *self.claimed_line_urls(),
            *super().get_urls(),
        ]

    def applicable_actions(self, application: Application) -> list[str]:
        return ACTIONS_BY_STATUS.get(application.status, [])

    def decision_actions_for(self, request, application: Application) -> list[tuple[str, str]]:
        """The first approver is not offered the second official's decisions at all (their
        services would refuse them only after the form)."""
        actions = super().decision_actions_for(request, application)
        if application.first_approved_by_id == request.user.pk:
            return [(name, label) for name, label in actions if name not in SECOND_OFFICIAL]
        return actions

    def decision_context(self, request, application: Application) -> dict:
        """The decisions, the reviewer's own scoring form, the message form, and what to do
        next where the decision is made elsewhere or by someone else."""
        context = super().decision_context(request, application)
        context["message_form"] = MessageForm() if is_official(request.user) else None
        links = []
        if Review.objects.filter(application=application, reviewer_id=request.user.pk).exists():
            url = reverse("admin:subsidies_application_review", args=[application.pk])
            links.append((url, gettext("Fill in my review")))
        context["decision_notes"] = next_step_notes(request.user, application)
        if application.status == S.APPROVED and is_official(request.user):
            links.append(
                (publish_notice_url(application.programme), gettext("Publish the public notice"))
            )
        context["decision_links"] = links
        return context

    @staticmethod
    def _change_url(application: Application) -> str:
        return reverse("admin:subsidies_application_change", args=[application.pk])

    def message_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return require_POST(self._post_message)(request, object_id)

    def _post_message(self, request: HttpRequest, object_id: str) -> HttpResponse:
        application = self.get_object(request, unquote(object_id))
        if application is None:
            raise Http404
        if not is_official(request.user):
            raise PermissionDenied
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                message_post(
                    actor=request.user,
                    application=application,
                    body=form.cleaned_data["body"],
                    internal=form.cleaned_data["internal"],
                )
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, error_text(error), level=messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Internal note saved.")
                    if form.cleaned_data["internal"]
                    else gettext("Message sent to the applicant."),
                    level=messages.SUCCESS,
                )
        else:
            self.message_user(request, gettext("Write a message."), level=messages.ERROR)
        return HttpResponseRedirect(self._change_url(application) + "#messages")

    def review_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        application = self.get_object(request, unquote(object_id))
        if application is None:
            raise Http404
        review = Review.objects.filter(application=application, reviewer_id=request.user.pk).first()
        if review is None:
            raise PermissionDenied
        criteria = application.programme.scoring_criteria or []
        initial = {"recommendation": review.recommendation, "comment": review.comment}
        for criterion in criteria:
            key = str(criterion["key"])
            if key in review.scores:
                initial[ScoringForm.field_name(criterion)] = review.scores[key]
        form = ScoringForm(
            request.POST if request.method == "POST" else None,
            criteria=criteria,
            initial=initial,
        )
        if form.is_bound and form.is_valid():
            try:
                review = review_submit(
                    actor=request.user,
                    review=review,
                    scores=form.scores(),
                    recommendation=form.cleaned_data["recommendation"],
                    comment=form.cleaned_data["comment"],
                )
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(error, form)
            else:
                self.message_user(
                    request,
                    gettext("Your review of #%(pk)s is saved: %(score)s of 100.")
                    % {"pk": application.pk, "score": review.total_score},
                    level=messages.SUCCESS,
                )
                return HttpResponseRedirect(self._change_url(application))
        intro = format_html(
            "<p>{}</p><p>{}</p>",
            admin_link(application, str(application)),
            gettext("Score each criterion from 0 to %(max)s; the weighted total is out of 100.")
            % {"max": SCORE_MAX},
        )
        return form_page(
            self,
            request,
            title=gettext("Review application #%(pk)s") % {"pk": application.pk},
            form=form,
            intro=intro,
            back_url=self._change_url(application),
        )
