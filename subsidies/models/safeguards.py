"""What guards public money beyond one application: declared conflicts of interest and the
support cap per enterprise and group. (The hash-chained audit log is `ssb_portal.audit_chain`.)
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Enterprise
from subsidies.models.fields import money_field


class ConflictDeclaration(models.Model):
    """An official or reviewer's declared conflict with an enterprise (and so its group)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official or reviewer"),
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="conflict_once")]

    def __str__(self) -> str:
        return f"{self.user} ⟂ {self.enterprise}"


class SupportCap(models.Model):
    """The most one enterprise (with its group) may receive over a rolling period.

    The newest cap in force on a day applies; earlier rows stay as the record of past rules.
    """

    amount_cny = money_field(_("cap (CNY)"))
    years = models.PositiveSmallIntegerField(
        _("rolling period (years)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    effective_from = models.DateField(_("in force from"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-effective_from", "-pk"]
        verbose_name = _("support cap per enterprise")
        verbose_name_plural = _("support caps per enterprise")
        constraints = [
            models.UniqueConstraint(fields=["effective_from"], name="supportcap_one_per_day"),
            models.CheckConstraint(condition=Q(years__gte=1), name="supportcap_years_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount_cny} CNY / {self.years} y"
