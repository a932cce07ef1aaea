"""The officials' workbench for the talent programme.

Officials set each year's scholarship fund, review and award the applications, and record the
overseas experts here; everything else (programmes, training bases, students, internships,
graduate reports) belongs to the universities and enterprises, which manage it on their
pages: officials read it here and change nothing. The record (TalentEvent) is written only
by the services; nobody adds, changes or deletes it.

Every write goes through `talent.services`, which checks the official's role again. The forms
that add or change a fund or an expert call their service while the form is validated, so a
refusal (contributions that do not cover n × A, a missing signing date) is shown on the form.
Decisions on applications are actions of the list (or buttons on an application's page): an
action first asks for its input or a confirmation, then calls the service; a refused row is
reported with the service's own words and changes nothing.
"""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import (
    FieldDoesNotExist,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db.models import Avg, Count, F, Model, Q, QuerySet
from django.forms.models import construct_instance
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import EMPTY, DecisionsAdmin, ReadOnlyAdmin, ReadOnlyInline
from ssb_portal.formulas import scholarship_fund_cny
from talent import selectors, services
from talent.models import (
    Graduate,
    Internship,
    OverseasExpert,
    ScholarshipApplication,
    ScholarshipFund,
    ScholarshipReview,
    ScholarshipStatus,
    Student,
    StudyProgramme,
    TalentEvent,
    TrainingBase,
)

#: A form of an action, shown between the list and the service (a generic admin page).
ACTION_FORM_TEMPLATE = "admin/action_form.html"


# --- showing values -----------------------------------------------------------------------


def cny(value: Decimal | None) -> str:
    return EMPTY if value is None else f"{value:,.2f}"


def _when(value) -> str:
    return EMPTY if value is None else formats.localize(timezone.localtime(value))


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return str(error) or gettext("You may not make this change.")


def _admin_link(obj: Model | None, text: Any = None) -> str:
    if obj is None:
        return EMPTY
    opts = obj._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return str(text if text is not None else obj)
    return format_html('<a href="{}">{}</a>', url, text if text is not None else obj)


def _table(headers: list[Any], rows: list[tuple]) -> str:
    if not rows:
        return EMPTY
    return format_html(
        "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        format_html_join("", "<th>{}</th>", ((header,) for header in headers)),
        format_html_join(
            "",
            "<tr>{}</tr>",
            ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows),
        ),
    )


def record_of(obj: Model) -> str:
    """The talent programme's record of one row: who did what, when."""
    events = TalentEvent.objects.filter(
        subject_type=obj._meta.model_name, subject_id=obj.pk
    ).select_related("actor")
    return _table(
        [gettext("At"), gettext("By"), gettext("What"), gettext("Note")],
        [
            (_when(event.created_at), event.actor or EMPTY, event.action, event.note or EMPTY)
            for event in events.order_by("created_at", "pk")
        ],
    )


def _score(value: Decimal | None) -> str:
    return EMPTY if value is None else f"{value:.1f}"


# --- actions with a form ------------------------------------------------------------------


class ConfirmForm(forms.Form):
    """Nothing to fill in: the page lists the rows and asks for the go-ahead."""


def run_with_form(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    action: str,
    title: str,
    form_class: type[forms.Form] = ConfirmForm,
    apply: Callable[[QuerySet, dict[str, Any]], None],
) -> HttpResponse | None:
    """Show the action's form (or a confirmation); once it is posted back valid, `apply`
    calls the service(s) and reports what happened with `modeladmin.message_user`."""
    bound = "post" in request.POST
    form = form_class(request.POST if bound else None)
    if bound and form.is_valid():
        apply(queryset, form.cleaned_data)
        return None
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": opts,
        "app_label": opts.app_label,
        "rows": [(obj, obj.get_status_display()) for obj in queryset],
        "form": form,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, ACTION_FORM_TEMPLATE, context)


def each_row(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    call: Callable[[Model, dict[str, Any]], Any],
    done: str,
) -> Callable[[QuerySet, dict[str, Any]], None]:
    """Apply `call` (one service call) per row: a refused row is reported with the service's
    words, the rows that went through are named in `done` (with `%(names)s`)."""

    def apply(queryset: QuerySet, data: dict[str, Any]) -> None:
        names = []
        for obj in queryset:
            try:
                call(obj, data)
            except (ValidationError, PermissionDenied, ObjectDoesNotExist) as error:
                modeladmin.message_user(
                    request, format_html("{}: {}", obj, _error_text(error)), level=messages.ERROR
                )
            else:
                names.append(str(obj))
        if names:
            modeladmin.message_user(
                request, done % {"names": "; ".join(names)}, level=messages.SUCCESS
            )

    return apply


def close_funds(
    modeladmin: admin.ModelAdmin, request: HttpRequest, funds: list[ScholarshipFund]
) -> None:
    for fund in funds:
        try:
            count = services.scholarships_close(actor=request.user, fund=fund)
        except (ValidationError, PermissionDenied) as error:
            modeladmin.message_user(
                request, format_html("{}: {}", fund, _error_text(error)), level=messages.ERROR
            )
        else:
            modeladmin.message_user(
                request,
                ngettext(
                    "Fund %(year)s closed: %(count)s application not awarded.",
                    "Fund %(year)s closed: %(count)s applications not awarded.",
                    count,
                )
                % {"year": fund.year, "count": count},
                level=messages.SUCCESS,
            )


# --- forms that save through a service ----------------------------------------------------


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


class ServiceModelForm(forms.ModelForm):
    """A model form whose row is written by a service, called once the fields are valid.

    The service validates the row itself (its messages name the figures), so the model's own
    validation is not run first. `actor` is set per request by `ServiceFormAdmin.get_form`.
    """

    actor = None

    def call_service(self) -> Model:
        raise NotImplementedError

    def _post_clean(self) -> None:
        # The model's own validators (amounts ≥ 0, a year from 2000, 5+ years of experience)
        # are checked on each field first: the form fields do not carry them.
        opts = self._meta.model._meta
        for name, value in list(self.cleaned_data.items()):
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if not field.concrete or value in field.empty_values:
                continue
            try:
                field.run_validators(value)
            except ValidationError as error:
                self.add_error(name, error)
        if self._errors:
            return
        try:
            self.instance = self.call_service()
        except ValidationError as error:
            add_service_errors(self, error)
        except PermissionDenied as error:
            self.add_error(None, _error_text(error))


class ServiceFormAdmin(admin.ModelAdmin):
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        """Nothing to do: the form's service saved the row when the form was validated."""

    def has_delete_permission(self, request, obj=None):
        return False


# --- scholarship funds --------------------------------------------------------------------

FUND_FIELDS = (
    "year",
    "award_cny",
    "awards",
    "industry_contribution_cny",
    "government_contribution_cny",
    "opens_on",
    "closes_on",
)


class ScholarshipFundForm(ServiceModelForm):
    class Meta:
        model = ScholarshipFund
        fields = FUND_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", gettext("Applications cannot close before they open."))
        return data

    def call_service(self) -> ScholarshipFund:
        fund = construct_instance(self, self.instance, FUND_FIELDS)
        return services.fund_save(actor=self.actor, fund=fund)


@admin.register(ScholarshipFund)
class ScholarshipFundAdmin(ServiceFormAdmin):
    form = ScholarshipFundForm
    list_display = (
        "year",
        "award",
        "awards",
        "fund_total",
        "industry",
        "government",
        "awarded",
        "opens_on",
        "closes_on",
        "applications_link",
    )
    ordering = ("-year",)
    actions = ("close_fund",)

    def get_queryset(self, request):
        awarded = Count("applications", filter=Q(applications__status=ScholarshipStatus.AWARDED))
        return super().get_queryset(request).annotate(awarded_count=awarded)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ("year", "opens_on", "closes_on")}),
            (
                _("Money: F = n × A"),
                {
                    "fields": (
                        "award_cny",
                        "awards",
                        "industry_contribution_cny",
                        "government_contribution_cny",
                    ),
                    "description": _(
                        "Industry and government together must cover the number of awards "
                        "times the award."
                    ),
                },
            ),
        ]
        if obj is not None:
            fieldsets.append((_("Applications awaiting a decision"), {"fields": ("ranking",)}))
            fieldsets.append((_("Record"), {"fields": ("record",)}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ("ranking", "record") if obj is not None else ()

    @admin.display(description=_("award (CNY)"), ordering="award_cny")
    def award(self, fund: ScholarshipFund) -> str:
        return cny(fund.award_cny)

    @admin.display(description=_("F = n × A (CNY)"))
    def fund_total(self, fund: ScholarshipFund) -> str:
        return cny(scholarship_fund_cny(fund.awards, fund.award_cny))

    @admin.display(description=_("industry (CNY)"))
    def industry(self, fund: ScholarshipFund) -> str:
        return cny(fund.industry_contribution_cny)

    @admin.display(description=_("government (CNY)"))
    def government(self, fund: ScholarshipFund) -> str:
        return cny(fund.government_contribution_cny)

    @admin.display(description=_("awards made"), ordering="awarded_count")
    def awarded(self, fund: ScholarshipFund) -> int:
        return fund.awarded_count

    @admin.display(description=_("applications"))
    def applications_link(self, fund: ScholarshipFund) -> str:
        url = reverse("admin:talent_scholarshipapplication_changelist")
        return format_html(
            '<a href="{}?{}">{}</a>',
            url,
            urlencode({"fund__id__exact": fund.pk}),
            gettext("Ranking"),
        )

    @admin.display(description=_("ranking by average review score"))
    def ranking(self, fund: ScholarshipFund) -> str:
        return _table(
            [
                gettext("Rank"),
                gettext("Student"),
                gettext("University"),
                gettext("Degree"),
                gettext("Grade average"),
                gettext("Average score"),
                gettext("Reviews"),
                gettext("Renewal"),
            ],
            [
                (
                    rank,
                    _admin_link(application, application.student),
                    application.student.university.name_zh,
                    application.get_degree_display(),
                    application.grade_average,
                    _score(application.average_score),
                    len(application.reviews.all()),
                    gettext("Yes") if application.renewal_of_id else gettext("No"),
                )
                for rank, application in enumerate(selectors.scholarship_ranking(fund), start=1)
            ],
        )

    @admin.display(description=_("record"))
    def record(self, fund: ScholarshipFund) -> str:
        return record_of(fund)

    @admin.action(
        description=_("Close the fund (the rest are not awarded)"), permissions=("change",)
    )
    def close_fund(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            action="close_fund",
            title=gettext("Close the fund: every application still waiting is not awarded"),
            apply=lambda funds, data: close_funds(self, request, list(funds)),
        )


# --- scholarship applications -------------------------------------------------------------

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
    actions = ("review", "award", "close_fund")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("fund", "student__university", "decided_by", "renewal_of__fund")
            .annotate(average=Avg("reviews__score"), review_count=Count("reviews"))
        )

    def get_ordering(self, request):
        return ["-fund__year", F("average").desc(nulls_last=True), "pk"]

    def has_delete_permission(self, request, obj=None):
        return False

    def applicable_actions(self, application: ScholarshipApplication) -> list[str]:
        if application.status == ScholarshipStatus.SUBMITTED:
            return ["review", "award"]
        return []

    @admin.display(description=_("university"), ordering="student__university__name_zh")
    def university(self, application: ScholarshipApplication) -> str:
        return application.student.university.name_zh

    @admin.display(description=_("renewal"), boolean=True)
    def is_renewal(self, application: ScholarshipApplication) -> bool:
        return application.renewal_of_id is not None

    @admin.display(description=_("average score"), ordering="average")
    def average_score(self, application: ScholarshipApplication) -> str:
        return _score(application.average)

    @admin.display(description=_("reviews"), ordering="review_count")
    def review_count(self, application: ScholarshipApplication) -> int:
        return application.review_count

    @admin.display(description=_("record"))
    def record(self, application: ScholarshipApplication) -> str:
        return record_of(application)

    @admin.action(description=_("Review"), permissions=("change",))
    def review(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            action="review",
            title=gettext("Review the application"),
            form_class=ReviewForm,
            apply=each_row(
                self,
                request,
                lambda application, data: services.scholarship_review(
                    actor=request.user, application=application, **data
                ),
                gettext("Reviewed: %(names)s."),
            ),
        )

    @admin.action(description=_("Award the selected applications"), permissions=("change",))
    def award(self, request, queryset):
        def apply(chosen: QuerySet, data: dict[str, Any]) -> None:
            funds = {application.fund for application in chosen}
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
                    application_ids=[application.pk for application in chosen],
                )
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, _error_text(error), level=messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Awarded: %(names)s.")
                    % {"names": "; ".join(str(application) for application in awarded)},
                    level=messages.SUCCESS,
                )

        return run_with_form(
            self,
            request,
            queryset,
            action="award",
            title=gettext("Award the scholarships"),
            apply=apply,
        )

    @admin.action(
        description=_("Close their fund (the rest are not awarded)"), permissions=("change",)
    )
    def close_fund(self, request, queryset):
        def apply(chosen: QuerySet, data: dict[str, Any]) -> None:
            funds = {application.fund_id: application.fund for application in chosen}
            close_funds(self, request, list(funds.values()))

        return run_with_form(
            self,
            request,
            queryset,
            action="close_fund",
            title=gettext("Close the fund: every application still waiting is not awarded"),
            apply=apply,
        )


# --- overseas experts ---------------------------------------------------------------------


def _parse_benefits(text: str) -> list[dict[str, Any]]:
    """One benefit a line, "what: amount" (a full-width colon too); every bad line named."""
    benefits, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        label, colon, amount = line.replace("：", ":").rpartition(":")
        label = label.strip()
        try:
            value = Decimal(amount.strip().replace(",", ""))
        except InvalidOperation:
            value = None
        if not colon or not label or value is None or not value.is_finite():
            problems.append(
                gettext("Line %(line)s: write the benefit, a colon and the amount in CNY.")
                % {"line": number}
            )
        elif value < 0 or value >= Decimal("1e14") or value != value.quantize(Decimal("0.01")):
            problems.append(
                gettext(
                    "Line %(line)s: the amount is in CNY a year, at least 0, with two decimals "
                    "at most."
                )
                % {"line": number}
            )
        elif len(label) > 120:
            problems.append(
                gettext("Line %(line)s: at most 120 characters for the benefit.") % {"line": number}
            )
        else:
            benefits.append({"label": label, "amount_cny": value})
    if problems:
        raise ValidationError(problems)
    return benefits


class OverseasExpertForm(ServiceModelForm):
    benefits = forms.CharField(
        label=_("Other benefits"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_(
            "One a line: the benefit, a colon, the amount in CNY a year (“Flights: 30000”)."
        ),
    )

    class Meta:
        model = OverseasExpert
        fields = ("host", *services.EXPERT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["benefits"].initial = "\n".join(
                f"{benefit.label}: {benefit.amount_cny}" for benefit in self.instance.benefits.all()
            )

    def clean_benefits(self) -> list[dict[str, Any]]:
        return _parse_benefits(self.cleaned_data.get("benefits") or "")

    def call_service(self) -> OverseasExpert:
        existing = self.instance if self.instance.pk else None
        host = existing.host if existing else self.cleaned_data["host"]
        return services.expert_save(
            actor=self.actor,
            host=host,
            data={name: self.cleaned_data[name] for name in services.EXPERT_FIELDS},
            benefits=self.cleaned_data["benefits"],
            expert=existing,
        )


@admin.register(OverseasExpert)
class OverseasExpertAdmin(ServiceFormAdmin):
    form = OverseasExpertForm
    list_display = (
        "name",
        "host",
        "country",
        "field",
        "years_experience",
        "status",
        "signed_on",
        "total",
        "school_priority",
        "relocation_support",
    )
    list_filter = ("status", "school_priority", "relocation_support")
    list_select_related = ("host",)
    search_fields = ("name", "country", "field", "host__name_zh", "host__uscc")
    search_help_text = _("Search by name, country, field or the host enterprise.")
    autocomplete_fields = ("host",)

    def get_fieldsets(self, request, obj=None):
        package = ["base_salary_cny", "housing_benefit_cny", "benefits"]
        if obj is not None:
            package.append("total")
        fieldsets = [
            (None, {"fields": ("host", "name", "country", "field", "years_experience")}),
            (_("Recruitment"), {"fields": ("status", "signed_on")}),
            (
                _("Package: C_total = base salary + housing benefit + other benefits"),
                {"fields": (*package, "school_priority", "relocation_support")},
            ),
        ]
        if obj is not None:
            fieldsets.append((_("Record"), {"fields": ("created_at", "record")}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        # The host is who recorded the expert; it does not change afterwards.
        return ("host", "total", "created_at", "record") if obj is not None else ()

    @admin.display(description=_("total package (CNY a year)"), ordering="total_package_cny")
    def total(self, expert: OverseasExpert) -> str:
        return cny(expert.total_package_cny)

    @admin.display(description=_("record"))
    def record(self, expert: OverseasExpert) -> str:
        return record_of(expert)


# --- what the universities and enterprises manage (read-only here) -------------------------


@admin.register(StudyProgramme)
class StudyProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("name", "university", "degree", "field")
    list_filter = ("degree",)
    list_select_related = ("university",)
    search_fields = ("name", "field", "university__name_zh", "university__uscc")


@admin.register(TrainingBase)
class TrainingBaseAdmin(ReadOnlyAdmin):
    list_display = ("name", "university", "enterprise", "capacity", "started_on", "status")
    list_filter = ("status",)
    list_select_related = ("university", "enterprise")
    search_fields = ("name", "university__name_zh", "enterprise__name_zh")


@admin.register(Student)
class StudentAdmin(ReadOnlyAdmin):
    list_display = (
        "student_number",
        "name",
        "university",
        "degree",
        "field",
        "expected_graduation_year",
        "has_login",
    )
    list_filter = ("degree", "expected_graduation_year")
    list_select_related = ("university",)
    search_fields = ("name", "student_number", "university__name_zh", "university__uscc")
    search_help_text = _("Search by the student's name or number, or the university.")

    @admin.display(description=_("login linked"), boolean=True)
    def has_login(self, student: Student) -> bool:
        return student.user_id is not None


@admin.register(Internship)
class InternshipAdmin(ReadOnlyAdmin):
    list_display = (
        "student",
        "university",
        "host",
        "training_base",
        "starts_on",
        "ends_on",
        "status",
        "outcome",
    )
    list_filter = ("status", "outcome")
    list_select_related = ("student__university", "host", "training_base")
    search_fields = ("student__name", "student__student_number", "host__name_zh", "host__uscc")

    @admin.display(description=_("university"), ordering="student__university__name_zh")
    def university(self, internship: Internship) -> str:
        return internship.student.university.name_zh


@admin.register(Graduate)
class GraduateAdmin(ReadOnlyAdmin):
    list_display = (
        "student_number",
        "year",
        "university",
        "degree",
        "field",
        "destination",
        "employer",
        "employer_confirmed_at",
    )
    list_filter = ("year", "destination", "degree")
    list_select_related = ("university", "employer")
    search_fields = ("student_number", "university__name_zh", "employer__name_zh")


@admin.register(TalentEvent)
class TalentEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "subject_type", "subject_id", "note")
    list_filter = ("action", "subject_type")
    list_select_related = ("actor",)
    search_fields = ("action", "note")
    ordering = ("-created_at", "-pk")
