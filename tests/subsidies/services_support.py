"""Steps the service tests of the support programmes share: an award approved, put on notice,
its notice over, and paid.
"""

import datetime

from django.utils import timezone

from subsidies.models import ApplicationStatus
from subsidies.services.approvals import application_approve
from subsidies.services.disbursements import (
    disbursement_batch_mark_paid,
    disbursement_batch_prepare,
)
from subsidies.services.notices_and_objections import notice_publish

S = ApplicationStatus


def approve(application, official, **kwargs):
    return application_approve(actor=official, application=application, **kwargs)


def in_notice(application, official):
    approve(application, official)
    notice_publish(actor=official, programme=application.programme)
    application.refresh_from_db()
    return application


def notice_over(application):
    notice = application.notice
    type(notice).objects.filter(pk=notice.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=10),
        ends_at=timezone.now() - datetime.timedelta(days=3),
    )


def disbursed(application, official):
    in_notice(application, official)
    notice_over(application)
    batch = disbursement_batch_prepare(actor=official, applications=[application])
    disbursement_batch_mark_paid(actor=official, batch=batch, payment_reference="BOC-1")
    application.refresh_from_db()
    return application
