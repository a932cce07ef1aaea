"""The record an app keeps of its users' actions: who did what to which row, and why.

An app's record model inherits ActionRecord (AllianceEvent, TalentEvent); its services
write through `record_action` in the transaction of the change they record.
"""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActionRecord(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=40)
    subject_type = models.CharField(_("subject"), max_length=40)
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.subject_type}#{self.subject_id}"


Record = TypeVar("Record", bound=ActionRecord)


def record_action(
    model: type[Record],
    *,
    actor: AbstractBaseUser | None,
    action: str,
    subject: models.Model,
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> Record:
    return model.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        subject_type=subject._meta.model_name,
        subject_id=subject.pk,
        note=note,
        data=dict(data or {}),
    )
