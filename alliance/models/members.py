"""Alliance membership: an organisation applies, officials approve or decline it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Enterprise


class MemberStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Member")
    DECLINED = "declined", _("Declined")


class AllianceMember(models.Model):
    """An organisation's membership of the alliance; officials approve or decline it."""

    enterprise = models.OneToOneField(
        Enterprise,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="alliance_membership",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MemberStatus.choices, default=MemberStatus.APPLIED
    )
    motivation = models.TextField(_("why join"), blank=True)
    notify_new_demands = models.BooleanField(
        _("email me new demands that fit"),
        default=True,
        help_text=_("For SMEs: an email when an anchor member posts a demand you qualify for."),
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("applied by"),
    )
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    # The supplier's history, as matching ranks it: kept by the services that complete a
    # collaboration or answer an invitation (services.supplier_history_refresh), so that
    # ranking the whole directory reads them with the member's row instead of aggregating
    # every earlier invitation per candidate.
    completed_collaborations = models.PositiveIntegerField(
        _("collaborations completed as supplier"), default=0, editable=False
    )
    median_answer_hours = models.FloatField(
        _("median hours to answer an invitation"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["enterprise__name_zh"]
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")
        indexes = [
            # The approved members' history as matching scores it, read by index only when
            # the ranking joins its candidates (issue 17).
            models.Index(
                fields=["enterprise"],
                include=["completed_collaborations", "median_answer_hours"],
                name="member_approved_history",
                condition=models.Q(status="approved"),
            )
        ]

    def __str__(self) -> str:
        return str(self.enterprise)

    @property
    def is_member(self) -> bool:
        return self.status == MemberStatus.APPROVED
