"""Fixtures of the support programmes: applicants with purchases, officials, PDF bytes."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from ssb_portal.roles import OFFICIAL_GROUP
from subsidies.services.drafting import application_create, application_set_lines, document_add
from subsidies.services.reviews import application_start_review
from subsidies.services.submission import application_submit
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    ProgrammeFactory,
    PurchaseLineFactory,
    UserFactory,
)

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
    """Three invoice lines of the anchor firm bought from the local supplier this year."""
    return [
        PurchaseLineFactory(buyer=anchor, supplier=supplier, amount=Decimal(amount))
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
