"""The talent programme's reminder (issue 18): a scholarship call closing, told to each student
with a login who has not applied to it yet."""

from datetime import date, timedelta
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ssb_portal.reminders import DueItem, ReminderKind, register
from talent.models import ScholarshipApplication, ScholarshipFund, Student

#: Students who have not applied are told this many days before applications close.
SCHOLARSHIP_CLOSING_DAYS = 7


def _scholarship_text(*, year: int, closes_on: date) -> str:
    return _("Applications for the %(year)s scholarships close on %(date)s.") % {
        "year": year,
        "date": closes_on,
    }


def scholarship_calls_closing(*, today: date, user: AbstractBaseUser | None = None):
    funds = list(
        ScholarshipFund.objects.filter(
            opens_on__lte=today,
            closes_on__gte=today,
            closes_on__lte=today + timedelta(days=SCHOLARSHIP_CLOSING_DAYS),
        )
    )
    if not funds:
        return
    students = Student.objects.filter(user__isnull=False, user__is_active=True).select_related(
        "user"
    )
    if user is not None:
        students = students.filter(user=user)
    for fund in funds:
        not_applied = students.filter(
            ~Exists(ScholarshipApplication.objects.filter(fund=fund, student=OuterRef("pk")))
        )
        for student in not_applied:
            yield DueItem(
                kind=SCHOLARSHIP_CLOSING.key,
                object_id=str(fund.pk),
                recipient=student.user,
                due_on=fund.closes_on,
                overdue=False,
                occasion=f"{SCHOLARSHIP_CLOSING_DAYS}-days",
                text=partial(_scholarship_text, year=fund.year, closes_on=fund.closes_on),
                path=reverse("talent:scholarships"),
            )


SCHOLARSHIP_CLOSING = register(
    ReminderKind(
        key="scholarship_closing",
        label=gettext_lazy("A scholarship call closing"),
        collect=scholarship_calls_closing,
    )
)
