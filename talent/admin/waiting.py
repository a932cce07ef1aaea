"""What of the talent programme waits for an official: scholarship applications awaiting a
decision (the officials' to-do list)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit.waiting import Waiting, register_waiting
from talent.models import ScholarshipApplication, ScholarshipStatus

register_waiting(
    Waiting(
        label=_("Scholarship applications awaiting a decision"),
        model=ScholarshipApplication,
        condition=Q(status=ScholarshipStatus.SUBMITTED),
        since="submitted_at",
        query="status__exact=submitted",
    ),
)
