"""The support programmes' reminders (issue 18): a milestone report due or overdue, a review not
done, a public notice's objection period ending, a call closing on an unsubmitted application."""

from datetime import date, datetime, time, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.reminders import members_by_enterprise
from ssb_portal.reminders import DueItem, ReminderKind, name_in_language, register
from ssb_portal.roles import OFFICIAL_GROUP, is_official
from subsidies.models import (
    AWARDED_STATUSES,
    EDITABLE_STATUSES,
    Application,
    Milestone,
    MilestoneReport,
    Notice,
    Review,
)
from subsidies.services.reviews import REVIEWABLE_STATUSES

#: A milestone report is listed (and first mailed) this many days before it is due.
MILESTONE_NOTICE_DAYS = 14
#: A reviewer is expected to finish within this many days of being assigned, then reminded.
REVIEW_DAYS = 7
#: Officials are told this many days before a notice's objection period ends.
NOTICE_ENDING_DAYS = 2
#: Applicants with an unsubmitted application are told this many days before the call closes.
CALL_CLOSING_DAYS = 7


def _application_path(application_id: int) -> str:
    return reverse("subsidies:application", args=[application_id])


def _milestone_text(*, title: str, application_id: int, due_on: date, overdue: bool) -> str:
    values = {"title": title, "pk": application_id, "date": due_on}
    if overdue:
        return (
            _("The report on milestone “%(title)s” of application #%(pk)s was due on %(date)s.")
            % values
        )
    return _("The report on milestone “%(title)s” of application #%(pk)s is due on %(date)s.") % (
        values
    )


def milestone_reports_due(*, today: date, user: AbstractBaseUser | None = None):
    """Milestones of awarded projects with no report yet, from MILESTONE_NOTICE_DAYS before
    their date on; mailed once then, and once more when overdue."""
    milestones = (
        Milestone.objects.filter(
            application__status__in=AWARDED_STATUSES,
            due_on__lte=today + timedelta(days=MILESTONE_NOTICE_DAYS),
        )
        .filter(~Exists(MilestoneReport.objects.filter(milestone=OuterRef("pk"))))
        .select_related("application")
    )
    if user is not None:
        milestones = milestones.filter(application__applicant__memberships__user=user)
    milestones = list(milestones)
    members = members_by_enterprise([m.application.applicant_id for m in milestones], user=user)
    for milestone in milestones:
        overdue = milestone.due_on < today
        for member in members[milestone.application.applicant_id]:
            yield DueItem(
                kind=MILESTONE_REPORT.key,
                object_id=str(milestone.pk),
                recipient=member,
                due_on=milestone.due_on,
                overdue=overdue,
                occasion="overdue" if overdue else "due-soon",
                text=partial(
                    _milestone_text,
                    title=milestone.title,
                    application_id=milestone.application_id,
                    due_on=milestone.due_on,
                    overdue=overdue,
                ),
                path=_application_path(milestone.application_id),
            )


def _review_text(*, application_id: int, assigned_on: date) -> str:
    return _("Your review of application #%(pk)s, assigned on %(date)s, is not submitted yet.") % {
        "pk": application_id,
        "date": assigned_on,
    }


def reviews_pending(*, today: date, user: AbstractBaseUser | None = None):
    """Reviews assigned and not submitted while the application can still be reviewed: listed
    at once, mailed once REVIEW_DAYS have passed."""
    reviews = Review.objects.filter(
        submitted_at__isnull=True,
        application__status__in=REVIEWABLE_STATUSES,
        reviewer__is_active=True,
    ).select_related("reviewer")
    if user is not None:
        reviews = reviews.filter(reviewer=user)
    for review in reviews:
        assigned_on = timezone.localdate(review.assigned_at)
        due_on = assigned_on + timedelta(days=REVIEW_DAYS)
        yield DueItem(
            kind=REVIEW_PENDING.key,
            object_id=str(review.pk),
            recipient=review.reviewer,
            due_on=due_on,
            overdue=due_on < today,
            occasion=f"{REVIEW_DAYS}-days" if due_on <= today else None,
            text=partial(
                _review_text, application_id=review.application_id, assigned_on=assigned_on
            ),
            path=reverse("admin:subsidies_application_review", args=[review.application_id]),
        )


def _notice_text(*, programme: tuple[str, str], ends_at) -> str:
    return _(
        "The public notice of %(programme)s closes to objections at %(time)s: "
        "settle any objections before paying its awards."
    ) % {
        "programme": name_in_language(*programme),
        "time": timezone.localtime(ends_at).strftime("%Y-%m-%d %H:%M"),
    }


def notices_ending(*, today: date, user: AbstractBaseUser | None = None):
    """Notices whose objection period ends within NOTICE_ENDING_DAYS: told to every official."""
    if user is not None and not is_official(user):
        return
    # Ending before the day after the last day told of begins.
    horizon = timezone.make_aware(
        datetime.combine(today + timedelta(days=NOTICE_ENDING_DAYS + 1), time.min)
    )
    notices = list(
        Notice.objects.filter(ends_at__gt=timezone.now(), ends_at__lt=horizon).select_related(
            "programme"
        )
    )
    if not notices:
        return
    officials = (
        [user]
        if user is not None
        else get_user_model().objects.filter(groups__name=OFFICIAL_GROUP, is_active=True)
    )
    for notice in notices:
        for official in officials:
            yield DueItem(
                kind=NOTICE_ENDING.key,
                object_id=str(notice.pk),
                recipient=official,
                due_on=timezone.localdate(notice.ends_at),
                overdue=False,
                occasion="ending",
                text=partial(
                    _notice_text,
                    programme=(notice.programme.name_zh, notice.programme.name_en),
                    ends_at=notice.ends_at,
                ),
                path=reverse("subsidies:notice", args=[notice.pk]),
            )


def _call_text(*, programme: tuple[str, str], application_id: int, closes_on: date) -> str:
    return _(
        "%(programme)s closes on %(date)s and your application #%(pk)s is not submitted yet."
    ) % {"programme": name_in_language(*programme), "date": closes_on, "pk": application_id}


def calls_closing(*, today: date, user: AbstractBaseUser | None = None):
    """Draft or returned applications to a programme that closes within CALL_CLOSING_DAYS."""
    applications = Application.objects.filter(
        status__in=EDITABLE_STATUSES,
        programme__closes_on__gte=today,
        programme__closes_on__lte=today + timedelta(days=CALL_CLOSING_DAYS),
    ).select_related("programme")
    if user is not None:
        applications = applications.filter(applicant__memberships__user=user)
    applications = list(applications)
    members = members_by_enterprise([a.applicant_id for a in applications], user=user)
    for application in applications:
        programme = application.programme
        for member in members[application.applicant_id]:
            yield DueItem(
                kind=CALL_CLOSING.key,
                object_id=str(application.pk),
                recipient=member,
                due_on=programme.closes_on,
                overdue=False,
                occasion=f"{CALL_CLOSING_DAYS}-days",
                text=partial(
                    _call_text,
                    programme=(programme.name_zh, programme.name_en),
                    application_id=application.pk,
                    closes_on=programme.closes_on,
                ),
                path=_application_path(application.pk),
            )


MILESTONE_REPORT = register(
    ReminderKind(
        key="milestone_report",
        label=gettext_lazy("A milestone report due or overdue"),
        collect=milestone_reports_due,
    )
)
REVIEW_PENDING = register(
    ReminderKind(
        key="review_pending",
        label=gettext_lazy("A review not done"),
        collect=reviews_pending,
    )
)
NOTICE_ENDING = register(
    ReminderKind(
        key="notice_ending",
        label=gettext_lazy("A public notice's objection period ending"),
        collect=notices_ending,
    )
)
CALL_CLOSING = register(
    ReminderKind(
        key="call_closing",
        label=gettext_lazy("A support call closing on your unsubmitted application"),
        collect=calls_closing,
    )
)
