"""Reviews: listed read-only for officials; a reviewer sees their own and opens the scoring
form from the list."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import EMPTY, DecisionsAdmin
from subsidies.models import Review


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
class ReviewAdmin(DecisionsAdmin):
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
