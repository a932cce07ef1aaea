"""The last sign of life of a running task (see ssb_portal.task_recovery)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskHeartbeat(models.Model):
    task_result = models.OneToOneField(
        "django_tasks_database.DBTaskResult",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="heartbeat",
        verbose_name=_("task"),
    )
    beat_at = models.DateTimeField(_("last sign of life"))

    class Meta:
        verbose_name = _("task heartbeat")
        verbose_name_plural = _("task heartbeats")

    def __str__(self) -> str:
        return f"{self.task_result_id} {self.beat_at:%Y-%m-%d %H:%M:%S}"
