"""Programmes: created and changed through their service (a refusal lands on the form), their
budget figures, the public notice of their approved awards, and a land round's ranking."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import (
    EMPTY,
    RowAction,
    ServiceFormAdmin,
    ServiceModelForm,
    add_service_errors,
    admin_actions,
    cny,
    done_each,
    table,
)
from subsidies.admin.forms import LandRankForm
from subsidies.models import DocumentKind, Programme, ProgrammeKind
from subsidies.selectors.money import programmes_with_money
from subsidies.selectors.workbench import land_round_requests
from subsidies.services.notices_and_objections import notice_publish
from subsidies.services.programmes import programme_save
from subsidies.services.reviews import land_round_rank


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
            "review_required",
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
        return programme_save(
            actor=self.actor,
            programme=self.instance,
            changed=self.changed_data,
            categories=self.cleaned_data.get("eligible_categories"),
        )


def _notice_published(actor, programme: Programme, data: dict[str, Any]) -> str:
    notice = notice_publish(actor=actor, programme=programme)
    count = notice.applications.count()
    return ngettext(
        "%(count)d award on public notice until %(end)s.",
        "%(count)d awards on public notice until %(end)s.",
        count,
    ) % {"count": count, "end": f"{timezone.localtime(notice.ends_at):%Y-%m-%d %H:%M}"}


# Publication is asked for like every other decision: a confirmation page naming the
# programmes, before their approved awards go public.
PUBLISH_NOTICE = RowAction(
    name="publish_notice",
    label=_("Publish public notice of the approved awards"),
    call=_notice_published,
    done=done_each,
)


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
    actions = admin_actions(PUBLISH_NOTICE)
    readonly_fields = ("money_figures", "rank_link")

    def get_queryset(self, request):
        return programmes_with_money()

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
                        "review_required",
                    )
                },
            ),
        ]
        if obj is not None:
            fieldsets.insert(1, (_("Budget used"), {"fields": ("money_figures", "rank_link")}))
        return fieldsets

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
        return table(
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
        requests = list(land_round_requests(programme))
        form = LandRankForm(request.POST if request.method == "POST" else None, requests=requests)
        if form.is_bound and form.is_valid():
            try:
                land_round_rank(
                    actor=request.user, programme=programme, ordered_ids=form.ordered_ids()
                )
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(error, form)
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
