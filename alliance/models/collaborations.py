"""Collaborations born of demands: their parties, milestones and private documents."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.models.demands import NOT_NEGATIVE, CollaborationModel, Demand
from directory.models import Enterprise
from ssb_portal.private_files import PrivateDocument


class CollaborationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


class PartyRole(models.TextChoices):
    ANCHOR = "anchor", _("Anchor enterprise")
    SUPPLIER = "supplier", _("SME")
    UNIVERSITY = "university", _("University or institute")


class Collaboration(models.Model):
    title = models.CharField(_("title"), max_length=200)
    demand = models.OneToOneField(
        Demand,
        verbose_name=_("demand"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collaboration",
    )
    model = models.CharField(_("model"), max_length=12, choices=CollaborationModel.choices)
    agreed_value_cny = models.DecimalField(
        _("agreed value (CNY)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    committed_annual_volume = models.DecimalField(
        _("committed annual volume"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=_("Long-term supply agreements: what the supplier commits to deliver a year."),
    )
    volume_unit = models.CharField(_("unit"), max_length=8, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CollaborationStatus.choices,
        default=CollaborationStatus.ACTIVE,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="collaboration_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(agreed_value_cny__isnull=True) | Q(agreed_value_cny__gte=0),
                name="collaboration_value_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CollaborationParty(models.Model):
    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="parties",
        verbose_name=_("collaboration"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("party"),
        on_delete=models.PROTECT,
        related_name="collaboration_parties",
    )
    role = models.CharField(_("role"), max_length=12, choices=PartyRole.choices)

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "enterprise"], name="party_once_per_collaboration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} ({self.get_role_display()})"


class CollaborationMilestone(models.Model):
    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("collaboration"),
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class CollaborationDocument(PrivateDocument):
    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("collaboration"),
    )
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("collaboration document")
        verbose_name_plural = _("collaboration documents")

    def __str__(self) -> str:
        return self.title

    def folder(self) -> str:
        return f"collaborations/{self.collaboration_id}"
