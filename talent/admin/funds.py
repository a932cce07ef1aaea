"""Scholarship funds: each year's fund (F = n × A) set through its service, its ranking of
the applications awaiting a decision, and closing it (the rest are not awarded)."""

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import (
    EMPTY,
    RowAction,
    ServiceFormAdmin,
    ServiceModelForm,
    admin_actions,
    admin_link,
    cny,
    table,
)
from ssb_portal.formulas import scholarship_fund_cny
from talent import selectors, services
from talent.admin.records import record_of
from talent.models import ScholarshipFund, ScholarshipStatus


def score_text(value) -> str:
    """An average review score with one decimal, or a dash."""
    return EMPTY if value is None else f"{value:.1f}"


def _closed(done: list[tuple[ScholarshipFund, int]]) -> str:
    return format_html_join(
        " ",
        "{}",
        (
            (
                ngettext(
                    "Fund %(year)s closed: %(count)s application not awarded.",
                    "Fund %(year)s closed: %(count)s applications not awarded.",
                    count,
                )
                % {"year": fund.year, "count": count},
            )
            for fund, count in done
        ),
    )


#: Closing a fund: every application still waiting is not awarded.
CLOSE_FUND = RowAction(
    name="close_fund",
    label=_("Close the fund (the rest are not awarded)"),
    title=_("Close the fund: every application still waiting is not awarded"),
    call=lambda actor, fund, data: services.scholarships_close(actor=actor, fund=fund),
    done=_closed,
)


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
        return services.fund_save(actor=self.actor, fund=self.instance)


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
    actions = admin_actions(CLOSE_FUND)

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
        return table(
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
                    admin_link(application, application.student),
                    application.student.university.name_zh,
                    application.get_degree_display(),
                    application.grade_average,
                    score_text(application.average_score),
                    len(application.reviews.all()),
                    gettext("Yes") if application.renewal_of_id else gettext("No"),
                )
                for rank, application in enumerate(selectors.scholarship_ranking(fund), start=1)
            ],
        )

    @admin.display(description=_("record"))
    def record(self, fund: ScholarshipFund) -> str:
        return record_of(fund)
