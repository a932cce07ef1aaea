"""Public notices of the approved awards and the objections lodged against them; an official
upholds or dismisses an objection with a published resolution."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import (
    DecisionsAdmin,
    ReadOnlyInline,
    RowAction,
    admin_actions,
    cny,
    done_each,
    waiting_first,
)
from subsidies.admin.forms import ResolutionForm
from subsidies.models import Application, Notice, Objection, ObjectionStatus
from subsidies.selectors.public import notices_listed
from subsidies.services.notices_and_objections import objection_resolve


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
class NoticeAdmin(DecisionsAdmin):
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
        return notices_listed().select_related("published_by")

    @admin.display(description=_("awards"), ordering="award_count")
    def award_count(self, notice: Notice) -> int:
        return notice.award_count

    @admin.display(description=_("awarded (CNY)"), ordering="awarded_cny")
    def awarded(self, notice: Notice) -> str:
        return cny(notice.awarded_cny)

    @admin.display(description=_("objections"), ordering="objection_count")
    def objection_count(self, notice: Notice) -> int:
        return notice.objection_count


def _resolution(upheld: bool):
    """The call of an objection's ruling: the service resolves it, upheld or not."""
    return lambda actor, objection, data: objection_resolve(
        actor=actor, objection=objection, upheld=upheld, resolution=data["resolution"]
    ).get_status_display()


UPHOLD = RowAction(
    name="uphold",
    label=_("Uphold (award back to review)"),
    form=ResolutionForm,
    call=_resolution(upheld=True),
    done=done_each,
)
DISMISS = RowAction(
    name="dismiss",
    label=_("Dismiss"),
    form=ResolutionForm,
    call=_resolution(upheld=False),
    done=done_each,
)


@admin.register(Objection)
class ObjectionAdmin(DecisionsAdmin):
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
    # Open objections first, the oldest first; then the newest.
    ordering = waiting_first([(Q(status=ObjectionStatus.OPEN), "lodged_at")], "-lodged_at", "-pk")
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
    actions = admin_actions(UPHOLD, DISMISS)
