"""The alliance's record of who did what, and why."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ssb_portal.records import ActionRecord


class AllianceEvent(ActionRecord):
    """The alliance's record: who did what to which member, demand or participation, and why."""

    class Meta(ActionRecord.Meta):
        verbose_name = _("alliance event")
        verbose_name_plural = _("alliance events")
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="alliance_event_subject")
        ]
