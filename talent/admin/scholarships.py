"""Scholarship applications: ranked by their average review score, reviewed, awarded and
closed through the actions (or the buttons of an application's page)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, F
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import (
    DecisionsAdmin,
    ReadOnlyInline,
    RowAction,
    admin_actions,
    apply_to_rows,
    done_named,
    error_text,
    with_action_form,
)
from talent import services
from talent.admin.funds import CLOSE_FUND, score_text
from talent.admin.records import record_of
from talent.models import ScholarshipApplication, ScholarshipReview, ScholarshipStatus
from talent.workflow import OFFICIAL, SCHOLARSHIP_WORKFLOW

PROGRESS_CHOICES = [
    ("", _("Not a renewal")),
    ("yes", _("Satisfactory")),
    ("no", _("Not satisfactory")),
]


class ReviewForm(forms.Form):
    required_css_class = "required"

    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 70})
    )
    progress_satisfactory = forms.TypedChoiceField(
        label=_("Progress since the last award"),
        choices=PROGRESS_CHOICES,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        help_text=_("For a renewal: whether the student's progress justifies another year."),
    )


class ReviewInline(ReadOnlyInline):
    model = ScholarshipReview
    fields = ("reviewer", "score", "progress_satisfactory", "comment", "reviewed_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")


class ScoreFilter(admin.SimpleListFilter):
    title = _("reviews")
    parameter_name = "reviewed"

    def lookups(self, request, model_admin):
        return [("yes", _("Reviewed")), ("no", _("Not reviewed yet"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(review_count__gt=0)
        if self.value() == "no":
            return queryset.filter(review_count=0)
        return queryset


REVIEW = RowAction(
    name="review",
    label=_("Review"),
    title=_("Review the application"),
    form=ReviewForm,
    call=lambda actor, application, data: services.scholarship_review(
        actor=actor, application=application, **data
    ),
    done=done_named(_("Reviewed: %(names)s.")),
)


@admin.register(ScholarshipApplication)
class ScholarshipApplicationAdmin(DecisionsAdmin):
    """Read-only pages; review, award and close through the actions (or the page's buttons).

    The list is ranked by the average review score, best first, as
    `selectors.scholarship_ranking` ranks a fund's applications (shown on the fund's page).
    """

    list_display = (
        "student",
        "university",
        "fund",
        "degree",
        "grade_average",
        "is_renewal",
        "average_score",
        "review_count",
        "status",
        "submitted_at",
    )
    list_filter = ("fund", "status", "degree", ScoreFilter)
    search_fields = (
        "student__name",
        "student__student_number",
        "student__university__name_zh",
        "student__university__uscc",
    )
    search_help_text = _("Search by the student's name or number, or the university.")
    fields = (
        "student",
        "university",
        "fund",
        "degree",
        "field",
        "grade_average",
        "statement",
        "renewal_of",
        "progress_report",
        "status",
        "submitted_at",
        "decided_at",
        "decided_by",
        "average_score",
        "record",
    )
    readonly_fields = fields
    inlines = (ReviewInline,)
    actions = (*admin_actions(REVIEW), "award", "close_fund")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("fund", "student__university", "decided_by", "renewal_of__fund")
            .annotate(average=Avg("reviews__score"), review_count=Count("reviews"))
        )

    def get_ordering(self, request):
        return ["-fund__year", F("average").desc(nulls_last=True), "pk"]

    def applicable_actions(self, application: ScholarshipApplication) -> list[str]:
        # Reviewed and awarded while the workflow lets an official still award it.
        awardable = SCHOLARSHIP_WORKFLOW.next_statuses(application.status, role=OFFICIAL)
        return ["review", "award"] if ScholarshipStatus.AWARDED in awardable else []

    @admin.display(description=_("university"), ordering="student__university__name_zh")
    def university(self, application: ScholarshipApplication) -> str:
        return application.student.university.name_zh

    @admin.display(description=_("renewal"), boolean=True)
    def is_renewal(self, application: ScholarshipApplication) -> bool:
        return application.renewal_of_id is not None

    @admin.display(description=_("average score"), ordering="average")
    def average_score(self, application: ScholarshipApplication) -> str:
        return score_text(application.average)

    @admin.display(description=_("reviews"), ordering="review_count")
    def review_count(self, application: ScholarshipApplication) -> int:
        return application.review_count

    @admin.display(description=_("record"))
    def record(self, application: ScholarshipApplication) -> str:
        return record_of(application)

    @admin.action(description=_("Award the selected applications"), permissions=("change",))
    def award(self, request, queryset):
        """Award the selection at once: the service awards within the fund's remaining number
        of awards, all or none, so this is one call for the whole selection."""

        def award_all(data: dict[str, Any]) -> None:
            funds = {application.fund for application in queryset}
            if len(funds) != 1:
                self.message_user(
                    request,
                    gettext("Choose the applications of one fund at a time."),
                    level=messages.ERROR,
                )
                return
            try:
                awarded = services.scholarships_award(
                    actor=request.user,
                    fund=funds.pop(),
                    application_ids=[application.pk for application in queryset],
                )
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, error_text(error), level=messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Awarded: %(names)s.")
                    % {"names": "; ".join(str(application) for application in awarded)},
                    level=messages.SUCCESS,
                )

        return with_action_form(
            self,
            request,
            queryset,
            action="award",
            title=gettext("Award the scholarships"),
            then=award_all,
        )

    @admin.action(
        description=_("Close their fund (the rest are not awarded)"), permissions=("change",)
    )
    def close_fund(self, request, queryset):
        """Close the funds of the selected applications, each fund on its own."""

        def close_their_funds(data: dict[str, Any]) -> None:
            funds = {application.fund_id: application.fund for application in queryset}
            apply_to_rows(self, request, funds.values(), CLOSE_FUND, data)

        return with_action_form(
            self,
            request,
            queryset,
            action="close_fund",
            title=CLOSE_FUND.title,
            then=close_their_funds,
        )
