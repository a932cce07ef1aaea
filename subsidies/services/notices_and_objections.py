"""Public notice of approved awards, and the signed objections lodged while it runs."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.audit_chain.heads import audit_head_publish
from ssb_portal.audit_chain.models import HeadOccasion
from ssb_portal.roles import require_official
from ssb_portal.workflow import transition
from subsidies.models import Application, Notice, Objection, ObjectionStatus, Programme
from subsidies.models import ApplicationStatus as S
from subsidies.services.approvals import release_award
from subsidies.services.guards import (
    lock_application,
    lock_programme,
    require_no_conflict,
    require_note,
)
from subsidies.services.notifications import notify_applicant, notify_officials
from subsidies.services.transitions import transition_application
from subsidies.workflow import OBJECTION_WORKFLOW, OFFICIAL

#: Saturday and Sunday: a notice never ends on them. No public-holiday calendar is kept (the
#: portal has none); officials lengthen `notice_days` where a holiday falls in the period.
WEEKEND = frozenset({5, 6})


def notice_end(published_at: datetime.datetime, days: int) -> datetime.datetime:
    """When a notice published at `published_at` for `days` days closes: at the end of its last
    day in the portal's time zone (not at the clock time it was published), that day moved to
    the next working day when it falls on a weekend. The last instant of the day, so that the
    notice is open while `moment < ends_at` and every page shows it ending at 23:59."""
    last_day = timezone.localdate(published_at) + datetime.timedelta(days=days)
    while last_day.weekday() in WEEKEND:
        last_day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(last_day, datetime.time.max))


def notice_publish(*, actor: AbstractBaseUser, programme: Programme) -> Notice:
    """Publish every approved award of the programme together for the notice period."""
    require_official(actor)
    with transaction.atomic():
        programme = lock_programme(programme.pk)
        approved = list(
            programme.applications.select_for_update()
            .filter(status=S.APPROVED, awarded_amount_cny__isnull=False)
            .order_by("pk")
        )
        if not approved:
            raise ValidationError(_("This programme has no approved awards waiting for notice."))
        now = timezone.now()
        notice = Notice.objects.create(
            programme=programme,
            published_by=actor,
            published_at=now,
            ends_at=notice_end(now, programme.notice_days),
        )
        for application in approved:
            application.notice = notice
            application.save(update_fields=["notice"])
            transition_application(
                application,
                actor=actor,
                to_status=S.IN_NOTICE,
                role=OFFICIAL,
                note=_("Public notice until %(end)s.")
                % {"end": f"{timezone.localtime(notice.ends_at):%Y-%m-%d %H:%M}"},
            )
            notify_applicant(application, gettext_lazy("published for public notice"))
        audit_append(
            actor=actor,
            action="notice_published",
            subject=notice,
            data={"applications": [a.pk for a in approved], "ends_at": notice.ends_at},
        )
        audit_head_publish(where=HeadOccasion.NOTICE)
    return notice


def objection_lodge(
    *,
    actor: AbstractBaseUser,
    application: Application,
    author_name: str,
    organisation: str,
    reason: str,
) -> Objection:
    """A signed objection to an award in notice, while the notice runs."""
    if not actor.is_authenticated:
        raise PermissionDenied(
            _("Sign in to lodge an objection; anonymous objections are not accepted.")
        )
    errors = {}
    for name, value in (
        ("author_name", author_name),
        ("organisation", organisation),
        ("reason", reason),
    ):
        if not (value or "").strip():
            errors[name] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        application = lock_application(application)
        notice = application.notice
        if application.status != S.IN_NOTICE or notice is None:
            raise ValidationError(_("Only awards in public notice can be objected to."))
        if not notice.is_open_at(timezone.now()):
            raise ValidationError(
                _("The notice period ended on %(end)s.")
                % {"end": f"{timezone.localtime(notice.ends_at):%Y-%m-%d %H:%M}"}
            )
        objection = Objection.objects.create(
            application=application,
            notice=notice,
            author=actor,
            author_name=author_name.strip(),
            organisation=organisation.strip(),
            reason=reason.strip(),
        )
        audit_append(
            actor=actor,
            action="objection_lodged",
            subject=objection,
            data={"application": application.pk, "reason": objection.reason},
        )
        notify_officials(application, gettext_lazy("an objection to resolve"))
    return objection


def objection_resolve(
    *, actor: AbstractBaseUser, objection: Objection, upheld: bool, resolution: str
) -> Objection:
    """Upheld: the award goes back to review with the objection attached. Dismissed: it stays."""
    require_official(actor)
    resolution = require_note(resolution, _("the ruling"), field="resolution")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        target = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        # A resolved objection says so before anything else is locked or asked.
        OBJECTION_WORKFLOW.check(current=objection.status, target=target, roles=OFFICIAL)
        application = Application.objects.only("programme_id").get(pk=objection.application_id)
        lock_programme(application.programme_id)
        application = lock_application(application)
        require_no_conflict(actor, application)
        objection.resolved_by = actor
        objection.resolved_at = timezone.now()
        objection.resolution = resolution
        transition(
            objection,
            OBJECTION_WORKFLOW,
            target=target,
            roles=OFFICIAL,
            also_update=["resolved_by", "resolved_at", "resolution"],
            record=lambda _current, _target: audit_append(
                actor=actor,
                action="objection_upheld" if upheld else "objection_dismissed",
                subject=objection,
                data={"application": application.pk, "resolution": resolution},
            ),
        )
        if upheld and application.status == S.IN_NOTICE:
            note = _("Objection upheld: %(resolution)s") % {"resolution": resolution}
            release_award(application)
            transition_application(
                application, actor=actor, to_status=S.UNDER_REVIEW, role=OFFICIAL, note=note
            )
            notify_applicant(
                application, gettext_lazy("back under review after an objection"), note
            )
    return objection
