"""Fixtures of the support programmes: applicants with purchases, officials, PDF bytes,
applications at each step (empty and complete drafts, submitted, under review, rejected), the
applicant's logged-in page and API clients (`member`, `as_anchor`), and the workbench's
logged-in official, queue, reviewer, awards in notice and disbursement batch.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from directory.demo.documents import blank_pdf
from ssb_portal.roles import OFFICIAL_GROUP
from subsidies.models import DisbursementBatch, Notice
from subsidies.services.drafting import application_create, application_set_lines, document_add
from subsidies.services.reviews import application_reject, application_start_review
from subsidies.services.submission import application_submit
from tests.admin_support import messages_of
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    ProgrammeFactory,
    PurchaseLineFactory,
    UserFactory,
)
from tests.subsidies.admin_support import APPLICATIONS, S, act

PDF_BYTES = blank_pdf()


def pdf(name: str = "invoice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def second_official(db):
    user = UserFactory(username="official-2", is_staff=True)
    user.groups.add(Group.objects.get(name=OFFICIAL_GROUP))
    return user


@pytest.fixture
def supplier(db):
    """A verified local supplier of sulfide electrolyte."""
    return EnterpriseFactory(kind="sme")


@pytest.fixture
def procurement(db):
    return ProgrammeFactory(kind="local_procurement", required_documents=["invoices"])


@pytest.fixture
def lines(anchor, supplier):
    """Three invoice lines of the anchor firm bought from the local supplier this year, which
    the supplier confirmed."""
    return [
        PurchaseLineFactory(
            buyer=anchor, supplier=supplier, amount=Decimal(amount), confirmation="confirmed"
        )
        for amount in ("100000.00", "250000.00", "40000.50")
    ]


@pytest.fixture
def draft(anchor, procurement, lines):
    """A complete local-procurement draft of the anchor firm: lines claimed, invoices attached."""
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    application_set_lines(
        actor=anchor.owner, application=application, line_ids=[line.pk for line in lines]
    )
    document_add(actor=anchor.owner, application=application, kind="invoices", upload=pdf())
    return application


@pytest.fixture
def submitted(draft, anchor):
    return application_submit(actor=anchor.owner, application=draft)


@pytest.fixture
def under_review(submitted, official):
    return application_start_review(actor=official, application=submitted)


@pytest.fixture
def make_application():
    return ApplicationFactory


@pytest.fixture
def official_client(client, official):
    client.force_login(official)
    return client


@pytest.fixture
def queue(anchor, sme):
    """Applications of two programmes in several states."""
    procurement = ProgrammeFactory(kind="local_procurement", name_en="Procurement 2026")
    standards = ProgrammeFactory(kind="standards_reward", name_en="Standards 2026")
    return {
        "submitted": ApplicationFactory(
            programme=procurement,
            applicant=anchor,
            status=S.SUBMITTED,
            computed_amount_cny=Decimal("5000.00"),
            submitted_at=timezone.now(),
        ),
        "under_review": ApplicationFactory(
            programme=procurement, applicant=sme, status=S.UNDER_REVIEW
        ),
        "standards": ApplicationFactory(programme=standards, applicant=sme, status=S.SUBMITTED),
        "draft": ApplicationFactory(programme=standards, applicant=anchor, status=S.DRAFT),
    }


@pytest.fixture
def reviewer(db):
    """A staff user who is not an official: sees only what they are asked to review."""
    return UserFactory(username="reviewer", is_staff=True)


@pytest.fixture
def awards_in_notice(official, anchor, sme):
    """Two awards whose notice period is over."""
    programme = ProgrammeFactory(kind="standards_reward", name_zh="标准奖励")
    now = timezone.now()
    notice = Notice.objects.create(
        programme=programme,
        published_at=now - datetime.timedelta(days=10),
        ends_at=now - datetime.timedelta(days=3),
    )
    return [
        ApplicationFactory(
            programme=programme,
            applicant=applicant,
            status=S.IN_NOTICE,
            computed_amount_cny=amount,
            awarded_amount_cny=amount,
            decided_at=now - datetime.timedelta(days=11),
            notice=notice,
        )
        for applicant, amount in ((anchor, Decimal("1000000.00")), (sme, Decimal("500000.50")))
    ]


@pytest.fixture
def batch(official_client, awards_in_notice) -> DisbursementBatch:
    response = act(official_client, APPLICATIONS, "prepare_disbursement_batch", awards_in_notice)
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    return DisbursementBatch.objects.get()


@pytest.fixture
def member(client, anchor):
    client.force_login(anchor.owner)
    return client


@pytest.fixture
def empty_draft(anchor, procurement):
    return application_create(actor=anchor.owner, programme=procurement, applicant=anchor)


@pytest.fixture
def rejected(under_review, official):
    return application_reject(actor=official, application=under_review, note="Lines are from 2019.")


@pytest.fixture
def as_anchor(api_client, anchor):
    api_client.force_login(anchor.owner)
    return api_client
