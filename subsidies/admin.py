"""The officials' workbench for the support programmes.

Every change of state goes through `subsidies.services`. Applications, notices, batches,
recoveries and the audit log are read-only pages; officials decide through the actions of a
list (or the buttons on a change page, which run the same actions). An action that needs
input first shows a form (a reason, an amount, a reviewer, a payment reference), then calls
the service once per selected row: a refused row is reported with the service's own words
and changes nothing, the others still go through.

Forms that add or change a row (programmes, conflicts of interest, support caps) call their
service while the form is validated, so a refusal is shown on the form, never as an error
page; the admin's own save then has nothing left to do.
"""

import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count, F, Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ssb_portal.roles import is_official
from subsidies import exports, selectors, services
from subsidies.audit import audit_chain_verify
from subsidies.models import (
    AppealOutcome,
    Application,
    ApplicationStatus,
    AuditEntry,
    ConflictDeclaration,
    DisbursementBatch,
    DocumentKind,
    Message,
    MilestoneKpiValue,
    MilestoneReport,
    Notice,
    Objection,
    Programme,
    ProgrammeKind,
    Recommendation,
    Recovery,
    RecoveryReason,
    Repayment,
    Review,
    SupportCap,
    Transition,
)
from subsidies.rules import SCORE_MAX

S = ApplicationStatus
EMPTY = "—"


# --- showing values -----------------------------------------------------------------------


def cny(value: Decimal | None) -> str:
    return EMPTY if value is None else f"{value:,.2f}"


def when(value: datetime.datetime | None) -> str:
    """A moment in the city's time, as the admin shows dates elsewhere."""
    return EMPTY if value is None else formats.localize(timezone.localtime(value))


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return str(error) or gettext("You may not make this change.")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _admin_link(obj: Model | None, text: Any = None) -> str:
    if obj is None:
        return EMPTY
    opts = obj._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return str(text if text is not None else obj)
    return format_html('<a href="{}">{}</a>', url, text if text is not None else obj)


def _table(headers: list[Any], rows: list[tuple], empty: str | None = None) -> str:
    if not rows:
        return empty if empty is not None else EMPTY
    return format_html(
        '<table class="workbench-table"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        format_html_join("", "<th>{}</th>", ((header,) for header in headers)),
        format_html_join(
            "",
            "<tr>{}</tr>",
            ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows),
        ),
    )


# --- actions with a form ------------------------------------------------------------------


class NoteForm(forms.Form):
    required_css_class = "required"

    note = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text=_("Kept in the application's history; decisions are sent to the applicant."),
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = required
        if not required:
            self.fields["note"].label = _("Note")
            self.fields["note"].help_text = _(
                "Optional. Kept in the application's history; decisions are sent to the applicant."
            )


class ApproveForm(NoteForm):
    amount_cny = forms.DecimalField(
        label=_("Approved amount (CNY)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=16,
        decimal_places=2,
        help_text=_(
            "R&D proposals only: at most the requested amount; empty approves the requested "
            "amount. Other programmes award the amount their rule computed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, required=False, **kwargs)


class AssignReviewerForm(forms.Form):
    required_css_class = "required"

    reviewer = forms.ModelChoiceField(
        label=_("Reviewer"),
        queryset=get_user_model().objects.none(),
        help_text=_(
            "A staff user; they are emailed and fill in the programme's scoring form in the "
            "admin. Reviewers with a conflict of interest are refused."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = (
            get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
        )


class AppealDecisionForm(forms.Form):
    required_css_class = "required"

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=AppealOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Reasons for the decision"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text=_("Sent to the applicant and kept in the application's history."),
    )


class RecoveryOpenForm(forms.Form):
    required_css_class = "required"

    reason = forms.ChoiceField(label=_("Reason"), choices=RecoveryReason.choices)
    amount_cny = forms.DecimalField(
        label=_("Amount to recover (CNY)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=16,
        decimal_places=2,
        help_text=_("Empty recovers the whole award."),
    )
    basis = forms.CharField(
        label=_("How the amount was set"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text=_("Full amount, or the pro-rata rule and its figures. Sent to the applicant."),
    )


class RepaymentForm(forms.Form):
    required_css_class = "required"

    amount_cny = forms.DecimalField(
        label=_("Amount received (CNY)"), min_value=Decimal("0.01"), max_digits=16, decimal_places=2
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_received_on(self) -> datetime.date:
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise ValidationError(gettext("A repayment cannot be received in the future."))
        return received_on


class PaymentReferenceForm(forms.Form):
    required_css_class = "required"

    payment_reference = forms.CharField(
        label=_("Bank payment reference"),
        max_length=64,
        help_text=_("Every award of the batch becomes disbursed; the applicants are told."),
    )


class ResolutionForm(forms.Form):
    required_css_class = "required"

    resolution = forms.CharField(
        label=_("Resolution"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text=_("Published with the objection."),
    )


def run_with_form(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    action: str,
    title: str,
    form_class: type[forms.Form],
    apply: Callable[[Model, dict[str, Any]], str],
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse | None:
    """Ask for the action's input, then call `apply` (one service call) per selected row.

    The changelist's action POST shows the form; the form posts back with `post` set. Each
    row is its own transaction inside the service, so a refused row changes nothing and is
    reported with the service's message; `apply` returns what happened to a row that went
    through, reported as a success.
    """
    bound = "post" in request.POST
    form = form_class(request.POST if bound else None, **(form_kwargs or {}))
    if bound and form.is_valid():
        for obj in queryset:
            try:
                done = apply(obj, form.cleaned_data)
            except (ValidationError, PermissionDenied, ObjectDoesNotExist) as error:
                modeladmin.message_user(
                    request, format_html("{}: {}", obj, _error_text(error)), level=messages.ERROR
                )
            else:
                modeladmin.message_user(
                    request, format_html("{}: {}", obj, done), level=messages.SUCCESS
                )
        return None

    opts = modeladmin.model._meta
    rows = [
        (obj, obj.get_status_display() if hasattr(obj, "get_status_display") else "")
        for obj in queryset
    ]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": opts,
        "app_label": opts.app_label,
        "rows": rows,
        "form": form,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/action_form.html", context)


def form_page(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    title: str,
    form: forms.BaseForm,
    intro: str = "",
    back_url: str = "",
) -> TemplateResponse:
    """A page of the admin with one form (a review's scores, an enterprise's group ...)."""
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": opts,
        "app_label": opts.app_label,
        "form": form,
        "intro": intro,
        "back_url": back_url or reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        "media": modeladmin.media + form.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/subsidies/form_page.html", context)


# --- forms that save through a service ----------------------------------------------------


class ServiceModelForm(forms.ModelForm):
    """A model form whose row is written by a service, called once the form itself is valid.

    `actor` is set per request by `ServiceFormAdmin.get_form`. A refusal of the service lands
    on the form's fields, so the official corrects it instead of meeting an error page.
    """

    actor = None

    def call_service(self) -> Model:
        raise NotImplementedError

    def _post_clean(self) -> None:
        super()._post_clean()
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


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordAdmin(admin.ModelAdmin):
    """Rows only services write: listed and viewed; changed only through the actions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return False  # the page of one row is read-only for everybody
        return super().has_change_permission(request)  # may the user run the actions?

    def has_delete_permission(self, request, obj=None):
        return False


# --- programmes ---------------------------------------------------------------------------


def _criteria_problems(criteria: Any) -> list[str]:
    if not isinstance(criteria, list):
        return [gettext("Give a list of criteria.")]
    problems = []
    keys = set()
    for index, criterion in enumerate(criteria, start=1):
        if not isinstance(criterion, dict):
            problems.append(
                gettext("Criterion %(n)d: give a key, a label and a weight.") % {"n": index}
            )
            continue
        key = criterion.get("key")
        weight = criterion.get("weight")
        if not isinstance(key, str) or not key.strip():
            problems.append(gettext("Criterion %(n)d: give a key.") % {"n": index})
        elif key in keys:
            problems.append(gettext("Criterion %(n)d: its key is used twice.") % {"n": index})
        else:
            keys.add(key)
        if not str(criterion.get("label") or "").strip():
            problems.append(gettext("Criterion %(n)d: give a label.") % {"n": index})
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            problems.append(
                gettext("Criterion %(n)d: the weight must be a number above 0.") % {"n": index}
            )
    return problems


class ProgrammeForm(ServiceModelForm):
    required_documents = forms.MultipleChoiceField(
        label=_("required documents"),
        choices=DocumentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Document kinds an application must attach before it can be submitted."),
    )

    class Meta:
        model = Programme
        fields = (
            "kind",
            "year",
            "name_zh",
            "name_en",
            "description",
            "opens_on",
            "closes_on",
            "budget_cny",
            "rate_percent",
            "lead_reward_cny",
            "participate_reward_cny",
            "max_award_cny",
            "second_approval_above_cny",
            "notice_days",
            "rd_material",
            "eligible_categories",
            "required_documents",
            "scoring_criteria",
        )
        widgets = {
            "scoring_criteria": forms.Textarea(attrs={"rows": 6, "cols": 80}),
        }
        help_texts = {
            "scoring_criteria": _(
                'A JSON list, for example [{"key": "merit", "label": "Technical merit", '
                '"weight": 60}, {"key": "impact", "label": "Impact", "weight": 40}]; reviewers '
                "score each criterion from 0 to 10."
            ),
        }

    def clean_scoring_criteria(self) -> list:
        criteria = self.cleaned_data.get("scoring_criteria")
        if criteria in (None, ""):
            return []
        problems = _criteria_problems(criteria)
        if problems:
            raise ValidationError(problems)
        return criteria

    def call_service(self) -> Programme:
        return services.programme_save(
            actor=self.actor,
            programme=self.instance,
            changed=self.changed_data,
            categories=self.cleaned_data.get("eligible_categories"),
        )


class LandRankForm(forms.Form):
    """One rank per request of the round; 1 is the first served."""

    def __init__(self, *args, requests: list[Application], **kwargs):
        super().__init__(*args, **kwargs)
        self.requests = requests
        for position, application in enumerate(requests, start=1):
            self.fields[f"rank_{application.pk}"] = forms.IntegerField(
                label=format_html("#{}", application.pk),
                min_value=1,
                max_value=max(len(requests), 1),
                initial=application.land_rank or position,
                widget=forms.NumberInput(attrs={"style": "width: 5em"}),
            )

    def clean(self):
        cleaned = super().clean()
        ranks = [cleaned.get(f"rank_{application.pk}") for application in self.requests]
        given = [rank for rank in ranks if rank is not None]
        if len(set(given)) != len(given):
            raise ValidationError(gettext("Give each request a different rank."))
        return cleaned

    def ordered_ids(self) -> list[int]:
        ranked = sorted(self.requests, key=lambda a: self.cleaned_data[f"rank_{a.pk}"])
        return [application.pk for application in ranked]


@admin.register(Programme)
class ProgrammeAdmin(ServiceFormAdmin):
    form = ProgrammeForm
    list_display = (
        "__str__",
        "kind",
        "year",
        "opens_on",
        "closes_on",
        "budget",
        "held",
        "repaid",
        "committed",
        "remaining",
        "rank_link",
    )
    list_filter = ("kind", "year")
    search_fields = ("name_zh", "name_en")
    search_help_text = _("Search by name (Chinese or English).")
    filter_horizontal = ("eligible_categories",)
    actions = ("publish_notice",)
    readonly_fields = ("money_figures", "rank_link")

    def get_queryset(self, request):
        return selectors.programmes_with_money()

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                None,
                {
                    "fields": (
                        "kind",
                        "year",
                        "name_zh",
                        "name_en",
                        "description",
                        ("opens_on", "closes_on"),
                    )
                },
            ),
            (
                _("Money and the programme's rule"),
                {
                    "fields": (
                        "budget_cny",
                        "rate_percent",
                        ("lead_reward_cny", "participate_reward_cny"),
                        "max_award_cny",
                        "second_approval_above_cny",
                        "notice_days",
                    )
                },
            ),
            (
                _("Claims and reviews"),
                {
                    "fields": (
                        "rd_material",
                        "eligible_categories",
                        "required_documents",
                        "scoring_criteria",
                    )
                },
            ),
        ]
        if obj is not None:
            fieldsets.insert(1, (_("Budget used"), {"fields": ("money_figures", "rank_link")}))
        return fieldsets

    def has_delete_permission(self, request, obj=None):
        return False  # applications and the audit record refer to programmes

    def get_urls(self):
        return [
            path(
                "<path:object_id>/rank/",
                self.admin_site.admin_view(self.rank_view),
                name="subsidies_programme_rank",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("budget (CNY)"), ordering="budget_cny")
    def budget(self, programme: Programme) -> str:
        return cny(programme.budget_cny)

    @admin.display(description=_("awards held (CNY)"), ordering="held_cny")
    def held(self, programme: Programme) -> str:
        return cny(programme.held_cny) if programme.is_monetary else EMPTY

    @admin.display(description=_("recovered (CNY)"), ordering="repaid_cny")
    def repaid(self, programme: Programme) -> str:
        return cny(programme.repaid_cny) if programme.is_monetary else EMPTY

    @admin.display(description=_("committed (CNY)"), ordering="committed_cny")
    def committed(self, programme: Programme) -> str:
        return cny(programme.committed_cny) if programme.is_monetary else EMPTY

    @admin.display(description=_("remaining (CNY)"), ordering="remaining_cny")
    def remaining(self, programme: Programme) -> str:
        return cny(programme.remaining_cny)

    @admin.display(description=_("budget used"))
    def money_figures(self, programme: Programme) -> str:
        if not programme.is_monetary:
            return gettext("This programme pays no money.")
        return _table(
            [
                gettext("Budget (CNY)"),
                gettext("Awards held (CNY)"),
                gettext("Recovered (CNY)"),
                gettext("Committed (CNY)"),
                gettext("Remaining (CNY)"),
            ],
            [
                (
                    cny(programme.budget_cny),
                    cny(programme.held_cny),
                    cny(programme.repaid_cny),
                    cny(programme.committed_cny),
                    cny(programme.remaining_cny),
                )
            ],
        )

    @admin.display(description=_("land round"))
    def rank_link(self, programme: Programme) -> str:
        if programme.pk is None or programme.kind != ProgrammeKind.LAND_PRIORITY:
            return EMPTY
        url = reverse("admin:subsidies_programme_rank", args=[programme.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Rank the requests"))

    @admin.action(
        description=_("Publish public notice of the approved awards"), permissions=("change",)
    )
    def publish_notice(self, request, queryset):
        for programme in queryset:
            try:
                notice = services.notice_publish(actor=request.user, programme=programme)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request,
                    format_html("{}: {}", programme, _error_text(error)),
                    level=messages.ERROR,
                )
            else:
                count = notice.applications.count()
                self.message_user(
                    request,
                    format_html(
                        "{}: {}",
                        programme,
                        ngettext(
                            "%(count)d award on public notice until %(end)s.",
                            "%(count)d awards on public notice until %(end)s.",
                            count,
                        )
                        % {
                            "count": count,
                            "end": f"{timezone.localtime(notice.ends_at):%Y-%m-%d %H:%M}",
                        },
                    ),
                    level=messages.SUCCESS,
                )

    def rank_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        programme = self.get_object(request, unquote(object_id))
        if programme is None:
            raise Http404
        if not self.has_change_permission(request, programme):
            raise PermissionDenied
        change_url = reverse("admin:subsidies_programme_change", args=[programme.pk])
        if programme.kind != ProgrammeKind.LAND_PRIORITY:
            self.message_user(
                request, gettext("Only land priority rounds are ranked."), level=messages.ERROR
            )
            return HttpResponseRedirect(change_url)
        requests = list(selectors.land_round_requests(programme))
        form = LandRankForm(request.POST if request.method == "POST" else None, requests=requests)
        if form.is_bound and form.is_valid():
            try:
                services.land_round_rank(
                    actor=request.user, programme=programme, ordered_ids=form.ordered_ids()
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, _error_text(error))
            else:
                self.message_user(
                    request, gettext("The requests are ranked."), level=messages.SUCCESS
                )
                return HttpResponseRedirect(request.path)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Rank the requests of %(programme)s") % {"programme": programme},
            "subtitle": None,
            "opts": opts,
            "app_label": opts.app_label,
            "original": programme,
            "form": form,
            "rows": [(application, form[f"rank_{application.pk}"]) for application in requests],
            "change_url": change_url,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/subsidies/land_rank.html", context)


# --- applications -------------------------------------------------------------------------


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3, "cols": 70}))
    internal = forms.BooleanField(label=_("Internal note (seen by officials only)"), required=False)


class ScoringForm(forms.Form):
    """The programme's scoring form: a score per criterion, a recommendation, a comment."""

    required_css_class = "required"

    def __init__(self, *args, criteria: list[dict[str, Any]], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[self.field_name(criterion)] = forms.DecimalField(
                label=criterion.get("label") or criterion["key"],
                min_value=0,
                max_value=SCORE_MAX,
                max_digits=4,
                decimal_places=1,
                help_text=_("Weight %(weight)s; score from 0 to %(max)s.")
                % {"weight": criterion.get("weight"), "max": SCORE_MAX},
            )
        self.fields["recommendation"] = forms.ChoiceField(
            label=_("Recommendation"), choices=Recommendation.choices
        )
        self.fields["comment"] = forms.CharField(
            label=_("Comment"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 5, "cols": 70}),
        )

    @staticmethod
    def field_name(criterion: dict[str, Any]) -> str:
        return f"score_{criterion['key']}"

    def scores(self) -> dict[str, Decimal]:
        return {
            str(criterion["key"]): self.cleaned_data[self.field_name(criterion)]
            for criterion in self.criteria
        }


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


#: The decisions offered on an application's page, by its state.
ACTIONS_BY_STATUS: dict[str, list[str]] = {
    S.SUBMITTED: ["start_review", "assign_reviewer", "return_application", "reject"],
    S.UNDER_REVIEW: ["approve", "assign_reviewer", "return_application", "reject"],
    S.AWAITING_CONFIRMATION: ["confirm", "decline_confirmation"],
    S.APPEALED: ["decide_appeal"],
    S.IN_NOTICE: ["prepare_disbursement_batch"],
    S.DISBURSED: ["open_recovery"],
}

CLAIM_DISPLAY: dict[str, tuple[str, ...]] = {
    ProgrammeKind.STANDARDS_REWARD: (
        "standard_number",
        "standard_title",
        "standard_role",
        "standard_is_international",
    ),
    ProgrammeKind.LOCAL_PROCUREMENT: ("claimed_lines_table",),
    ProgrammeKind.DEMONSTRATION_PROCUREMENT: ("claimed_lines_table",),
    ProgrammeKind.RD_FUND: ("kpi_table", "milestones_table"),
    ProgrammeKind.ENERGY_QUOTA: ("granted_quota_tce",),
    ProgrammeKind.LAND_PRIORITY: ("land_rank",),
}


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
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
    )
    list_display_links = ("number",)
    list_filter = (
        "status",
        "programme",
        "kind",
        OpenObjectionFilter,
        NearDuplicateFilter,
    )
    search_fields = ("applicant__name_zh", "applicant__name_en", "applicant__uscc")
    search_help_text = _("Search by applicant name (Chinese or English) or credit code.")
    # Newest submissions first; drafts (never submitted) last on every database.
    ordering = (F("submitted_at").desc(nulls_last=True), "-pk")
    actions = (
        "start_review",
        "approve",
        "confirm",
        "decline_confirmation",
        "return_application",
        "reject",
        "assign_reviewer",
        "decide_appeal",
        "prepare_disbursement_batch",
        "open_recovery",
    )
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

    def has_add_permission(self, request):
        return False  # applicants apply on the portal

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return False  # read-only file: the state changes only through the actions
        return super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        applications = selectors.applications_workbench()
        if not request.user.has_perm("subsidies.view_application"):
            applications = applications.filter(reviews__reviewer_id=request.user.pk)
        return applications

    def get_inlines(self, request, obj):
        if is_official(request.user):
            return (TransitionInline, MessageInline)
        return (TransitionInline,)

    def get_fieldsets(self, request, obj=None):
        kind = obj.kind if obj is not None else ""
        claim = (*services.CLAIM_FIELDS.get(kind, ()), *CLAIM_DISPLAY.get(kind, ()))
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

    # --- the change page

    @admin.display(description=_("applicant"))
    def applicant_link(self, application: Application) -> str:
        applicant = application.applicant
        return format_html(
            "{} · {}",
            _admin_link(applicant, f"{applicant.name_zh} / {applicant.name_en}"),
            applicant.uscc,
        )

    @admin.display(description=_("programme"))
    def programme_link(self, application: Application) -> str:
        return _admin_link(application.programme)

    @admin.display(description=_("claimed purchase lines"))
    def claimed_lines_table(self, application: Application) -> str:
        lines = application.claimed_lines.select_related("purchase_line__supplier")
        rows = [
            (
                claim.purchase_line.invoice_no,
                claim.line_no,
                claim.invoice_date,
                claim.purchase_line.supplier_name,
                claim.supplier_uscc,
                cny(claim.amount_cny),
            )
            for claim in lines
        ]
        total = sum((claim.amount_cny for claim in lines), Decimal("0.00"))
        if rows:
            rows.append((gettext("Total"), "", "", "", "", cny(total)))
        return _table(
            [
                gettext("Invoice"),
                gettext("Line"),
                gettext("Invoice date"),
                gettext("Supplier"),
                gettext("Supplier USCC"),
                gettext("Amount (CNY excl. VAT)"),
            ],
            rows,
        )

    @admin.display(description=_("KPI targets"))
    def kpi_table(self, application: Application) -> str:
        return _table(
            [gettext("KPI"), gettext("Baseline"), gettext("Target")],
            [
                (target.get_kpi_display(), target.baseline_value, target.target_value)
                for target in application.kpi_targets.all()
            ],
        )

    @admin.display(description=_("milestones"))
    def milestones_table(self, application: Application) -> str:
        return _table(
            [gettext("Milestone"), gettext("Due on"), gettext("Deliverable")],
            [
                (milestone.title, milestone.due_on, milestone.deliverable or EMPTY)
                for milestone in application.milestones.all()
            ],
        )

    @admin.display(description=_("eligibility (checked today)"))
    def eligibility_checklist(self, application: Application) -> str:
        eligibility = selectors.application_eligibility(application)
        return format_html(
            '<ul class="eligibility">{}</ul>',
            format_html_join(
                "",
                "<li>{} {}{}</li>",
                (
                    (
                        "✔" if check.ok else "✘",
                        check.label,
                        format_html_join(
                            "", '<div class="problem">{}</div>', ((p,) for p in check.problems)
                        ),
                    )
                    for check in eligibility.checks
                ),
            ),
        )

    @admin.display(description=_("near-duplicate claims"))
    def near_duplicates(self, application: Application) -> str:
        found = selectors.near_duplicate_lines(application)
        if not found:
            return gettext("None found.")
        rows = [
            (
                f"{pair['claim'].invoice_key}/{pair['claim'].line_no}",
                pair["claim"].invoice_date,
                cny(pair["claim"].amount_cny),
                pair["claim"].supplier_uscc,
                f"{pair['other'].invoice_key}/{pair['other'].line_no}",
                pair["other"].invoice_date,
                _admin_link(pair["other"].application, f"#{pair['other'].application_id}"),
                pair["other"].application.applicant.name_zh,
            )
            for pair in found
        ]
        return format_html(
            '<p class="errornote">{}</p>{}',
            gettext(
                "These lines look like claims in other applications (same supplier and amount, "
                "invoice dates a few days apart). Check the invoices before deciding."
            ),
            _table(
                [
                    gettext("This claim"),
                    gettext("Invoice date"),
                    gettext("Amount (CNY)"),
                    gettext("Supplier USCC"),
                    gettext("Looks like"),
                    gettext("Invoice date"),
                    gettext("Application"),
                    gettext("Applicant"),
                ],
                rows,
            ),
        )

    @admin.display(description=_("programme budget"))
    def budget_figures(self, application: Application) -> str:
        if not application.programme.is_monetary:
            return gettext("This programme pays no money.")
        figures = selectors.programme_budget(application.programme)
        return _table(
            [gettext("Budget (CNY)"), gettext("Committed (CNY)"), gettext("Remaining (CNY)")],
            [(cny(figures["budget"]), cny(figures["committed"]), cny(figures["remaining"]))],
        )

    @admin.display(description=_("reviews"))
    def reviews_table(self, application: Application) -> str:
        criteria = application.programme.scoring_criteria or []
        labels = {str(c.get("key")): c.get("label") or c.get("key") for c in criteria}
        rows = []
        for review in application.reviews.select_related("reviewer"):
            scores = format_html_join(
                "",
                "<div>{}: {}</div>",
                ((labels.get(key, key), value) for key, value in review.scores.items()),
            )
            rows.append(
                (
                    review.reviewer.get_username(),
                    scores or EMPTY,
                    review.total_score if review.total_score is not None else EMPTY,
                    review.get_recommendation_display() or EMPTY,
                    review.comment or EMPTY,
                    when(review.submitted_at) if review.submitted_at else gettext("waiting"),
                )
            )
        return _table(
            [
                gettext("Reviewer"),
                gettext("Scores (0–10)"),
                gettext("Weighted score (0–100)"),
                gettext("Recommendation"),
                gettext("Comment"),
                gettext("Submitted at"),
            ],
            rows,
            empty=gettext("No reviewer assigned."),
        )

    @admin.display(description=_("appeals"))
    def appeals_table(self, application: Application) -> str:
        return _table(
            [gettext("Filed at"), gettext("Grounds"), gettext("Outcome"), gettext("Decision")],
            [
                (
                    when(appeal.filed_at),
                    appeal.grounds,
                    appeal.get_outcome_display() or gettext("waiting"),
                    appeal.decision_note or EMPTY,
                )
                for appeal in application.appeals.all()
            ],
        )

    @admin.display(description=_("objections"))
    def objections_table(self, application: Application) -> str:
        return _table(
            [
                gettext("Lodged at"),
                gettext("By"),
                gettext("Reason"),
                gettext("Status"),
                gettext("Resolution"),
            ],
            [
                (
                    _admin_link(objection, when(objection.lodged_at)),
                    f"{objection.author_name} ({objection.organisation})",
                    objection.reason,
                    objection.get_status_display(),
                    objection.resolution or EMPTY,
                )
                for objection in application.objections.all()
            ],
        )

    @admin.display(description=_("recoveries"))
    def recoveries_table(self, application: Application) -> str:
        return _table(
            [
                gettext("Opened at"),
                gettext("Reason"),
                gettext("Amount (CNY)"),
                gettext("Repaid (CNY)"),
                gettext("Status"),
            ],
            [
                (
                    _admin_link(recovery, when(recovery.opened_at)),
                    recovery.get_reason_display(),
                    cny(recovery.amount_cny),
                    cny(recovery.repaid_cny),
                    recovery.get_status_display(),
                )
                for recovery in application.recoveries.all()
            ],
        )

    @admin.display(description=_("documents"))
    def documents_list(self, application: Application) -> str:
        rows = []
        for document in application.documents.all():
            try:
                url = reverse("subsidies:document", args=[application.pk, document.pk])
            except NoReverseMatch:
                name = document.original_name
            else:
                name = format_html('<a href="{}">{}</a>', url, document.original_name)
            rows.append(
                (
                    document.get_kind_display(),
                    name,
                    filesizeformat(document.size_bytes),
                    document.sha256[:16],
                    when(document.uploaded_at),
                )
            )
        return _table(
            [
                gettext("Kind"),
                gettext("File"),
                gettext("File size"),
                gettext("SHA-256"),
                gettext("Uploaded at"),
            ],
            rows,
        )

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
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, unquote(object_id))
        extra = {"decision_actions": [], "message_form": None, "my_review_url": None}
        if application is not None:
            extra["decision_actions"] = self.decision_actions_for(request, application)
            if is_official(request.user):
                extra["message_form"] = MessageForm()
            if Review.objects.filter(application=application, reviewer_id=request.user.pk).exists():
                extra["my_review_url"] = reverse(
                    "admin:subsidies_application_review", args=[application.pk]
                )
        extra["action_checkbox_name"] = helpers.ACTION_CHECKBOX_NAME
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def decision_actions_for(self, request, application: Application) -> list[tuple[str, str]]:
        """(action name, label) of the decisions that apply to this application now."""
        if not self.has_change_permission(request):
            return []
        actions = self.get_actions(request)
        return [
            (name, actions[name][2])
            for name in ACTIONS_BY_STATUS.get(application.status, [])
            if name in actions
        ]

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
                services.message_post(
                    actor=request.user,
                    application=application,
                    body=form.cleaned_data["body"],
                    internal=form.cleaned_data["internal"],
                )
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, _error_text(error), level=messages.ERROR)
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
                review = services.review_submit(
                    actor=request.user,
                    review=review,
                    scores=form.scores(),
                    recommendation=form.cleaned_data["recommendation"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, _error_text(error))
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
            _admin_link(application, str(application)),
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

    # --- the decisions

    @admin.action(description=_("Start review"), permissions=("change",))
    def start_review(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            action="start_review",
            title=gettext("Start review"),
            form_class=NoteForm,
            form_kwargs={"required": False},
            apply=lambda application, data: services.application_start_review(
                actor=request.user, application=application, note=data["note"]
            ).get_status_display(),
        )

    @admin.action(description=_("Approve"), permissions=("change",))
    def approve(self, request, queryset):
        def apply(application, data):
            application = services.application_approve(
                actor=request.user,
                application=application,
                note=data["note"],
                amount_cny=data["amount_cny"],
            )
            if application.status == S.AWAITING_CONFIRMATION:
                return gettext("approved %(amount)s CNY; a second official must confirm it.") % {
                    "amount": cny(application.awarded_amount_cny)
                }
            if application.awarded_amount_cny is None:
                return gettext("approved.")
            return gettext("approved %(amount)s CNY.") % {
                "amount": cny(application.awarded_amount_cny)
            }

        return run_with_form(
            self,
            request,
            queryset,
            action="approve",
            title=gettext("Approve"),
            form_class=ApproveForm,
            apply=apply,
        )

    @admin.action(description=_("Confirm the approval (second official)"), permissions=("change",))
    def confirm(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            action="confirm",
            title=gettext("Confirm the approval (second official)"),
            form_class=NoteForm,
            form_kwargs={"required": False},
            apply=lambda application, data: services.application_confirm(
                actor=request.user, application=application, note=data["note"]
            ).get_status_display(),
        )

    @admin.action(description=_("Decline to confirm (back to review)"), permissions=("change",))
    def decline_confirmation(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            action="decline_confirmation",
            title=gettext("Decline to confirm (back to review)"),
            form_class=NoteForm,
            apply=lambda application, data: services.application_decline_confirmation(
                actor=request.user, application=application, note=data["note"]
            ).get_status_display(),
        )

    @admin.action(description=_("Return for changes"), permissions=("change",))
    def return_application(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            action="return_application",
            title=gettext("Return for changes"),
            form_class=NoteForm,
            apply=lambda application, data: services.application_return(
                actor=request.user, application=application, note=data["note"]
            ).get_status_display(),
        )

    @admin.action(description=_("Reject"), permissions=("change",))
    def reject(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            action="reject",
            title=gettext("Reject"),
            form_class=NoteForm,
            apply=lambda application, data: services.application_reject(
                actor=request.user, application=application, note=data["note"]
            ).get_status_display(),
        )

    @admin.action(description=_("Assign a reviewer"), permissions=("change",))
    def assign_reviewer(self, request, queryset):
        def apply(application, data):
            reviewer = data["reviewer"]
            services.review_assign(actor=request.user, application=application, reviewer=reviewer)
            return gettext("%(reviewer)s is asked to review.") % {
                "reviewer": reviewer.get_username()
            }

        return run_with_form(
            self,
            request,
            queryset,
            action="assign_reviewer",
            title=gettext("Assign a reviewer"),
            form_class=AssignReviewerForm,
            apply=apply,
        )

    @admin.action(description=_("Decide the appeal"), permissions=("change",))
    def decide_appeal(self, request, queryset):
        def apply(application, data):
            appeal = application.appeals.filter(outcome="").order_by("-filed_at", "-pk").first()
            if appeal is None:
                raise ValidationError(gettext("No appeal is waiting for a decision."))
            appeal = services.appeal_decide(
                actor=request.user,
                appeal=appeal,
                upheld=data["outcome"] == AppealOutcome.UPHELD,
                note=data["note"],
            )
            return appeal.get_outcome_display()

        return run_with_form(
            self,
            request,
            queryset,
            action="decide_appeal",
            title=gettext("Decide the appeal"),
            form_class=AppealDecisionForm,
            apply=apply,
        )

    @admin.action(description=_("Prepare a disbursement batch"), permissions=("change",))
    def prepare_disbursement_batch(self, request, queryset):
        try:
            batch = services.disbursement_batch_prepare(
                actor=request.user, applications=list(queryset)
            )
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, _error_text(error), level=messages.ERROR)
            return None
        count = batch.applications.count()
        self.message_user(
            request,
            format_html(
                "{} {}",
                ngettext(
                    "Batch %(ref)s prepared: %(count)d award, %(total)s CNY.",
                    "Batch %(ref)s prepared: %(count)d awards, %(total)s CNY.",
                    count,
                )
                % {"ref": batch.reference, "count": count, "total": cny(batch.total_cny)},
                _admin_link(batch, gettext("Open the batch")),
            ),
            level=messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Open a recovery (clawback)"), permissions=("change",))
    def open_recovery(self, request, queryset):
        def apply(application, data):
            amount = data["amount_cny"]
            if amount is None:
                amount = application.awarded_amount_cny
            if amount is None:
                raise ValidationError(gettext("This application has no award to recover."))
            recovery = services.recovery_open(
                actor=request.user,
                application=application,
                reason=data["reason"],
                amount_cny=amount,
                basis=data["basis"],
            )
            return gettext("recovery of %(amount)s CNY opened.") % {
                "amount": cny(recovery.amount_cny)
            }

        return run_with_form(
            self,
            request,
            queryset,
            action="open_recovery",
            title=gettext("Open a recovery (clawback)"),
            form_class=RecoveryOpenForm,
            apply=apply,
        )


# --- reviews ------------------------------------------------------------------------------


class MyReviewsFilter(admin.SimpleListFilter):
    title = _("reviewer")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", _("My reviews")), ("waiting", _("My reviews still to fill in"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(reviewer_id=request.user.pk)
        if self.value() == "waiting":
            return queryset.filter(reviewer_id=request.user.pk, submitted_at__isnull=True)
        return queryset


@admin.register(Review)
class ReviewAdmin(RecordAdmin):
    """Reviews listed read-only; a reviewer fills in theirs on the scoring page."""

    list_display = (
        "application",
        "reviewer",
        "assigned_at",
        "submitted_at",
        "total_score",
        "recommendation",
    )
    list_filter = (MyReviewsFilter, "recommendation")
    list_select_related = ("application__applicant", "application__programme", "reviewer")
    search_fields = ("application__applicant__name_zh", "application__applicant__uscc")
    fields = (
        "application",
        "reviewer",
        "assigned_at",
        "scores",
        "total_score",
        "recommendation",
        "comment",
        "submitted_at",
    )
    readonly_fields = fields

    def _has_reviews(self, request) -> bool:
        return Review.objects.filter(reviewer_id=request.user.pk).exists()

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._has_reviews(request)

    def has_view_permission(self, request, obj=None):
        if super().has_view_permission(request, obj):
            return True
        if obj is not None:
            return obj.reviewer_id == request.user.pk
        return self._has_reviews(request)

    def get_queryset(self, request):
        reviews = super().get_queryset(request)
        if not request.user.has_perm("subsidies.view_review"):
            reviews = reviews.filter(reviewer_id=request.user.pk)
        return reviews

    def get_list_display(self, request):
        """The list with a link to the scoring form on the user's own reviews."""
        user_pk = request.user.pk

        @admin.display(description=_("scoring form"))
        def fill_in(review: Review) -> str:
            if review.reviewer_id != user_pk:
                return EMPTY
            url = reverse("admin:subsidies_application_review", args=[review.application_id])
            label = gettext("Change my review") if review.submitted_at else gettext("Fill in")
            return format_html('<a href="{}">{}</a>', url, label)

        return (*self.list_display, fill_in)


# --- public notices and objections --------------------------------------------------------


class NoticeApplicationInline(ReadOnlyInline):
    model = Application
    fk_name = "notice"
    verbose_name_plural = _("awards on notice")
    fields = ("applicant", "status", "awarded_amount_cny")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("applicant", "programme")


@admin.register(Notice)
class NoticeAdmin(RecordAdmin):
    list_display = (
        "programme",
        "published_at",
        "ends_at",
        "award_count",
        "awarded",
        "objection_count",
        "published_by",
    )
    list_filter = (("programme", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("programme", "published_by")
    fields = ("programme", "published_by", "published_at", "ends_at")
    readonly_fields = fields
    inlines = (NoticeApplicationInline,)

    def get_queryset(self, request):
        return selectors.notices_listed().select_related("published_by")

    @admin.display(description=_("awards"), ordering="award_count")
    def award_count(self, notice: Notice) -> int:
        return notice.award_count

    @admin.display(description=_("awarded (CNY)"), ordering="awarded_cny")
    def awarded(self, notice: Notice) -> str:
        return cny(notice.awarded_cny)

    @admin.display(description=_("objections"), ordering="objection_count")
    def objection_count(self, notice: Notice) -> int:
        return notice.objection_count


@admin.register(Objection)
class ObjectionAdmin(RecordAdmin):
    list_display = (
        "application",
        "author_name",
        "organisation",
        "lodged_at",
        "status",
        "resolved_at",
    )
    list_filter = ("status",)
    list_select_related = ("application__applicant", "application__programme")
    search_fields = (
        "application__applicant__name_zh",
        "application__applicant__uscc",
        "author_name",
        "organisation",
    )
    fields = (
        "application",
        "notice",
        "author_name",
        "organisation",
        "reason",
        "lodged_at",
        "status",
        "resolved_by",
        "resolved_at",
        "resolution",
    )
    readonly_fields = fields
    actions = ("uphold", "dismiss")

    def _resolve(self, request, queryset, *, upheld: bool, action: str, title: str):
        def apply(objection, data):
            objection = services.objection_resolve(
                actor=request.user,
                objection=objection,
                upheld=upheld,
                resolution=data["resolution"],
            )
            return objection.get_status_display()

        return run_with_form(
            self,
            request,
            queryset,
            action=action,
            title=title,
            form_class=ResolutionForm,
            apply=apply,
        )

    @admin.action(description=_("Uphold (award back to review)"), permissions=("change",))
    def uphold(self, request, queryset):
        return self._resolve(
            request,
            queryset,
            upheld=True,
            action="uphold",
            title=gettext("Uphold (award back to review)"),
        )

    @admin.action(description=_("Dismiss"), permissions=("change",))
    def dismiss(self, request, queryset):
        return self._resolve(
            request, queryset, upheld=False, action="dismiss", title=gettext("Dismiss")
        )


# --- payment ------------------------------------------------------------------------------


class BatchApplicationInline(NoticeApplicationInline):
    fk_name = "disbursement_batch"
    verbose_name_plural = _("awards in the batch")
    fields = ("applicant", "programme", "status", "awarded_amount_cny")
    readonly_fields = fields


@admin.register(DisbursementBatch)
class DisbursementBatchAdmin(RecordAdmin):
    list_display = (
        "reference",
        "created_at",
        "created_by",
        "award_count",
        "total",
        "paid_at",
        "payment_reference",
        "export_link",
    )
    list_filter = (("paid_at", admin.EmptyFieldListFilter),)
    list_select_related = ("created_by",)
    search_fields = ("reference", "payment_reference")
    fields = (
        "reference",
        "created_by",
        "created_at",
        "total_cny",
        "paid_at",
        "paid_by",
        "payment_reference",
        "export_link",
    )
    readonly_fields = fields
    inlines = (BatchApplicationInline,)
    actions = ("export_xlsx", "mark_paid")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(award_count=Count("applications"))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/export/",
                self.admin_site.admin_view(self.export_view),
                name="subsidies_disbursementbatch_export",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("awards"), ordering="award_count")
    def award_count(self, batch: DisbursementBatch) -> int:
        return batch.award_count

    @admin.display(description=_("total (CNY)"), ordering="total_cny")
    def total(self, batch: DisbursementBatch) -> str:
        return cny(batch.total_cny)

    @admin.display(description=_("spreadsheet"))
    def export_link(self, batch: DisbursementBatch) -> str:
        url = reverse("admin:subsidies_disbursementbatch_export", args=[batch.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("XLSX"))

    @staticmethod
    def _xlsx_response(batch_ids: list[int], filename: str) -> HttpResponse:
        content = exports.disbursement_xlsx(selectors.disbursement_batch_awards(batch_ids))
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def export_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        batch = self.get_object(request, unquote(object_id))
        if batch is None:
            raise Http404
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        return self._xlsx_response([batch.pk], f"disbursement-{batch.reference}.xlsx")

    @admin.action(description=_("Export as XLSX"), permissions=("view",))
    def export_xlsx(self, request, queryset):
        batch_ids = list(queryset.values_list("pk", flat=True))
        return self._xlsx_response(batch_ids, f"disbursement-{timezone.localdate():%Y%m%d}.xlsx")

    @admin.action(description=_("Mark paid"), permissions=("change",))
    def mark_paid(self, request, queryset):
        def apply(batch, data):
            batch = services.disbursement_batch_mark_paid(
                actor=request.user, batch=batch, payment_reference=data["payment_reference"]
            )
            return gettext("paid; its awards are disbursed.")

        return run_with_form(
            self,
            request,
            queryset,
            action="mark_paid",
            title=gettext("Mark paid"),
            form_class=PaymentReferenceForm,
            apply=apply,
        )


# --- recovery -----------------------------------------------------------------------------


class RepaymentInline(ReadOnlyInline):
    model = Repayment
    fields = ("received_on", "amount_cny", "recorded_by", "recorded_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


@admin.register(Recovery)
class RecoveryAdmin(RecordAdmin):
    """Recoveries are opened from a disbursed application (its action); repaid or written
    off here."""

    list_display = (
        "application",
        "reason",
        "amount",
        "repaid",
        "status",
        "opened_at",
        "opened_by",
    )
    list_filter = ("status", "reason")
    list_select_related = ("application__applicant", "application__programme", "opened_by")
    search_fields = ("application__applicant__name_zh", "application__applicant__uscc")
    fields = (
        "application",
        "reason",
        "basis",
        "amount_cny",
        "repaid_cny",
        "status",
        "opened_by",
        "opened_at",
        "closed_at",
        "note",
    )
    readonly_fields = fields
    inlines = (RepaymentInline,)
    actions = ("record_repayment", "write_off")

    @admin.display(description=_("amount (CNY)"), ordering="amount_cny")
    def amount(self, recovery: Recovery) -> str:
        return cny(recovery.amount_cny)

    @admin.display(description=_("repaid (CNY)"), ordering="repaid_cny")
    def repaid(self, recovery: Recovery) -> str:
        return cny(recovery.repaid_cny)

    @admin.action(description=_("Record a repayment"), permissions=("change",))
    def record_repayment(self, request, queryset):
        def apply(recovery, data):
            services.recovery_record_repayment(
                actor=request.user,
                recovery=recovery,
                amount_cny=data["amount_cny"],
                received_on=data["received_on"],
            )
            recovery.refresh_from_db()
            return gettext("%(amount)s CNY recorded; %(status)s.") % {
                "amount": cny(data["amount_cny"]),
                "status": recovery.get_status_display(),
            }

        return run_with_form(
            self,
            request,
            queryset,
            action="record_repayment",
            title=gettext("Record a repayment"),
            form_class=RepaymentForm,
            apply=apply,
        )

    @admin.action(description=_("Write off"), permissions=("change",))
    def write_off(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            action="write_off",
            title=gettext("Write off"),
            form_class=NoteForm,
            apply=lambda recovery, data: services.recovery_write_off(
                actor=request.user, recovery=recovery, note=data["note"]
            ).get_status_display(),
        )


# --- rules of the house -------------------------------------------------------------------


class ConflictDeclarationForm(ServiceModelForm):
    class Meta:
        model = ConflictDeclaration
        fields = ("enterprise", "reason")

    def call_service(self) -> ConflictDeclaration:
        return services.conflict_declare(
            actor=self.actor,
            enterprise=self.cleaned_data["enterprise"],
            reason=self.cleaned_data["reason"],
        )


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ServiceFormAdmin):
    """An official declares their own conflicts; they are never changed or removed here."""

    form = ConflictDeclarationForm
    list_display = ("user", "enterprise", "reason", "declared_at")
    list_select_related = ("user", "enterprise")
    search_fields = ("user__username", "enterprise__name_zh", "enterprise__uscc")
    autocomplete_fields = ("enterprise",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("enterprise", "reason")
        return ("user", "enterprise", "reason", "declared_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("user", "enterprise", "reason", "declared_at")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SupportCapForm(ServiceModelForm):
    class Meta:
        model = SupportCap
        fields = ("amount_cny", "years", "effective_from")

    def call_service(self) -> SupportCap:
        return services.support_cap_set(
            actor=self.actor,
            amount_cny=self.cleaned_data["amount_cny"],
            years=self.cleaned_data["years"],
            effective_from=self.cleaned_data["effective_from"],
        )


@admin.register(SupportCap)
class SupportCapAdmin(ServiceFormAdmin):
    """A new cap is a new row from its day on; earlier rows stay as the record."""

    form = SupportCapForm
    list_display = ("amount", "years", "effective_from", "set_by", "created_at")
    list_select_related = ("set_by",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("amount_cny", "years", "effective_from")
        return ("amount_cny", "years", "effective_from", "set_by", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("cap (CNY)"), ordering="amount_cny")
    def amount(self, cap: SupportCap) -> str:
        return cny(cap.amount_cny)


# --- the tamper-evident record ------------------------------------------------------------


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The hash-chained audit log: readable, never added, changed or deleted (not even by a
    superuser). `manage.py verify_audit_log` (or the button of the list) checks the chain."""

    change_list_template = "admin/subsidies/auditentry_change_list.html"
    list_display = (
        "sequence",
        "created_at",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "short_hash",
    )
    list_filter = ("action", "object_type")
    search_fields = ("=object_id", "object_type", "action", "actor_name")
    search_help_text = _("Search by object id (exact), object type, action or actor.")
    show_full_result_count = False
    fields = (
        "sequence",
        "created_at",
        "actor_id",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "data_pretty",
        "previous_hash",
        "entry_hash",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "verify/",
                self.admin_site.admin_view(self.verify_view),
                name="subsidies_auditentry_verify",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("hash"))
    def short_hash(self, entry: AuditEntry) -> str:
        return entry.entry_hash[:12]

    @admin.display(description=_("data"))
    def data_pretty(self, entry: AuditEntry) -> str:
        return format_html(
            "<pre>{}</pre>", json.dumps(entry.data, ensure_ascii=False, indent=2, sort_keys=True)
        )

    def verify_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        checked, broken = audit_chain_verify()
        if broken is None:
            self.message_user(
                request,
                gettext("Audit log intact: %(count)d entries checked.") % {"count": checked},
                level=messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                gettext(
                    "Audit log broken at entry %(sequence)d: %(problem)s (%(count)d entries "
                    "before it are intact)."
                )
                % {"sequence": broken.sequence, "problem": broken.problem, "count": checked},
                level=messages.ERROR,
            )
        return HttpResponseRedirect(reverse("admin:subsidies_auditentry_changelist"))


# --- R&D fund milestone reports (issue 6) -----------------------------------------------------


class MilestoneKpiValueInline(ReadOnlyInline):
    model = MilestoneKpiValue
    fields = ("kpi_target", "value", "source")
    readonly_fields = fields


@admin.register(MilestoneReport)
class MilestoneReportAdmin(admin.ModelAdmin):
    """Milestone reports of awarded R&D projects: read-only (members file them on the site)."""

    list_display = ("reported_on", "application_link", "milestone", "original_name", "dataset_name")
    list_select_related = ("milestone__application__applicant", "milestone__application__programme")
    list_filter = ("reported_on",)
    search_fields = ("=milestone__application__pk", "milestone__application__applicant__name_zh")
    search_help_text = _("Search by application number (exact) or recipient.")
    date_hierarchy = "reported_on"
    fields = (
        "application_link",
        "milestone",
        "reported_on",
        "summary",
        "evidence_link",
        "sha256",
        "dataset_link",
        "dataset_kind",
        "temperature_unit",
        "fit",
        "dataset_sha256",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = fields
    inlines = [MilestoneKpiValueInline]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("application"))
    def application_link(self, obj: MilestoneReport) -> str:
        application = obj.milestone.application
        return format_html(
            '<a href="{}">#{} {}</a>',
            reverse("admin:subsidies_application_change", args=[application.pk]),
            application.pk,
            application.applicant.name_zh,
        )

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj: MilestoneReport) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse(
                "subsidies:milestone_report_download",
                args=[obj.milestone.application_id, obj.pk, "evidence"],
            ),
            obj.original_name,
        )

    @admin.display(description=_("measurement dataset"))
    def dataset_link(self, obj: MilestoneReport) -> str:
        if not obj.dataset:
            return EMPTY
        return format_html(
            '<a href="{}">{}</a>',
            reverse(
                "subsidies:milestone_report_download",
                args=[obj.milestone.application_id, obj.pk, "dataset"],
            ),
            obj.dataset_name,
        )
