"""The Local Content Ratio: officials set the trajectory and publish (freeze) a year, each
through one form that calls the service; the rows are listed read-only."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory.lcr.selectors import LCR_FIRST_YEAR, LCR_LAST_YEAR, lcr_trajectory
from directory.lcr.services import lcr_trajectory_set, lcr_year_publish
from directory.models import LcrPublication, LcrPublishedFigure, LcrTrajectory
from ssb_portal.admin_kit import ReadOnlyAdmin, ReadOnlyInline, add_service_errors, form_page


class LcrTrajectoryForm(forms.Form):
    required_css_class = "required"

    baseline_year = forms.IntegerField(
        label=_("Baseline year"),
        min_value=LCR_FIRST_YEAR,
        max_value=LCR_LAST_YEAR,
    )
    baseline_percent = forms.DecimalField(
        label=_("Baseline LCR (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_(
            "Leave empty to take the measured city-wide LCR of the baseline year from the "
            "purchase records."
        ),
    )
    goal_percent = forms.DecimalField(
        label=_("Goal LCR (%)"), min_value=0, max_value=100, decimal_places=2
    )
    goal_years = forms.IntegerField(label=_("Years to reach the goal"), min_value=1, max_value=50)


class LcrPublishForm(forms.Form):
    required_css_class = "required"

    year = forms.IntegerField(
        label=_("Year"),
        min_value=LCR_FIRST_YEAR,
        max_value=LCR_LAST_YEAR,
        help_text=_(
            "Freezes the city's figure and every firm's figure of the year. Published figures "
            "never change afterwards, whatever happens to suppliers or purchase lines."
        ),
    )


class OfficialsLcrAdmin(ReadOnlyAdmin):
    """Rows kept by services: listed read-only, added through one form that calls the service.

    Access follows the model permissions of the officials' group (view and add); the services
    check the official role again.
    """

    form_class: type[forms.Form]
    form_title: str = ""

    def has_add_permission(self, request, obj=None):
        return admin.ModelAdmin.has_add_permission(self, request)

    def initial(self) -> dict[str, Any]:
        return {}

    def apply(self, request: HttpRequest, data: dict[str, Any]) -> str:
        """Call the service; return the message to show."""
        raise NotImplementedError

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form = self.form_class(data, initial=self.initial())
        if form.is_bound and form.is_valid():
            try:
                done = self.apply(request, form.cleaned_data)
            except ValidationError as error:  # a refusal for the role (403) is not caught
                add_service_errors(error, form)
            else:
                self.message_user(request, done, level=messages.SUCCESS)
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                )
        return form_page(
            self, request, title=self.form_title, form=form, submit_label=self.form_title
        )


@admin.register(LcrTrajectory)
class LcrTrajectoryAdmin(OfficialsLcrAdmin):
    form_class = LcrTrajectoryForm
    form_title = _("Set the LCR trajectory")
    list_display = (
        "baseline_year",
        "baseline_percent",
        "goal_percent",
        "goal_years",
        "updated_by",
        "updated_at",
    )
    list_select_related = ("updated_by",)
    ordering = ("-updated_at", "-pk")
    fields = list_display
    readonly_fields = list_display

    def initial(self) -> dict[str, Any]:
        current = lcr_trajectory()
        return {
            "baseline_year": current.baseline_year,
            "baseline_percent": current.baseline_percent,
            "goal_percent": current.goal_percent,
            "goal_years": current.goal_years,
        }

    def apply(self, request: HttpRequest, data: dict[str, Any]) -> str:
        trajectory = lcr_trajectory_set(actor=request.user, **data)
        return gettext(
            "The trajectory is set: %(baseline)s %% in %(year)d, %(goal)s %% after %(years)d years."
        ) % {
            "baseline": trajectory.baseline_percent,
            "year": trajectory.baseline_year,
            "goal": trajectory.goal_percent,
            "years": trajectory.goal_years,
        }


class LcrPublishedFigureInline(ReadOnlyInline):
    model = LcrPublishedFigure
    fields = ("buyer", "local_value", "total_value", "lcr_percent")
    readonly_fields = fields
    verbose_name_plural = _("figures of the firms")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("buyer")


@admin.register(LcrPublication)
class LcrPublicationAdmin(OfficialsLcrAdmin):
    form_class = LcrPublishForm
    form_title = _("Publish (freeze) a year")
    list_display = (
        "year",
        "lcr_percent",
        "target_percent",
        "local_value",
        "total_value",
        "published_by",
        "published_at",
    )
    list_select_related = ("published_by",)
    fields = list_display
    readonly_fields = list_display
    inlines = (LcrPublishedFigureInline,)

    def apply(self, request: HttpRequest, data: dict[str, Any]) -> str:
        publication = lcr_year_publish(actor=request.user, year=data["year"])
        return gettext("%(year)d is published; its figures are frozen.") % {
            "year": publication.year
        }
