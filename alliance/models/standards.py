"""Standards and the organisations' roles in their work, which officials confirm."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliance.standard_keys import standard_designation
from directory.models import Enterprise


class StandardStage(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal")
    WORKING_DRAFT = "working_draft", _("Working draft")
    COMMITTEE_DRAFT = "committee_draft", _("Committee draft")
    ENQUIRY = "enquiry", _("Enquiry / draft international standard")
    PUBLISHED = "published", pgettext_lazy("standard stage", "Published")


class Standard(models.Model):
    body = models.CharField(
        _("standards body"), max_length=16, help_text=_("ISO, IEC, IEEE, GB/T, …")
    )
    number = models.CharField(_("number"), max_length=64)
    key = models.CharField(
        max_length=80,
        unique=True,
        editable=False,
        help_text=_("Body and number without spaces or punctuation, upper-cased."),
        verbose_name=_("key"),
    )
    title = models.CharField(_("title"), max_length=255)
    is_international = models.BooleanField(_("international standard"), default=False)
    stage = models.CharField(_("stage"), max_length=16, choices=StandardStage.choices)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["body", "number"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")

    def __str__(self) -> str:
        return self.designation

    @property
    def designation(self) -> str:
        return standard_designation(self.body, self.number)


class StandardRole(models.TextChoices):
    LEAD = "lead", _("Leading")
    PARTICIPANT = "participant", _("Participating")


class ParticipationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not confirmed")


class StandardParticipation(models.Model):
    """An organisation's role in a standard's work; officials confirm it.

    A confirmed participation is what a standards-reward claim points to.
    """

    standard = models.ForeignKey(
        Standard,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("standard"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="standard_participations",
    )
    role = models.CharField(_("role"), max_length=12, choices=StandardRole.choices)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    evidence = models.TextField(
        _("evidence"), help_text=_("Working-group letter, ballot record, …")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.PENDING,
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("declared by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["standard", "role", "pk"]
        verbose_name = _("standard participation")
        verbose_name_plural = _("standard participations")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "enterprise"], name="participation_once_per_standard"
            ),
            models.UniqueConstraint(
                fields=["standard"],
                condition=Q(role="lead") & ~Q(status="rejected"),
                name="participation_one_lead_per_standard",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="participation_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.standard} ({self.get_role_display()})"
