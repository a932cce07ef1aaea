"""Officials verify a bill of materials in the admin (the verifier's report, a PDF, and a
validity date, on a page of its own) or return it with a reason; the supplier's members are
told by e-mail, each in their language."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from directory.composition.services import bom_declare
from directory.models import BomStatus
from ssb_portal.languages import language_preference_set
from tests.directory.bom_support import line, report
from tests.factories import MembershipFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bom(sme):
    product = ProductFactory(enterprise=sme, name="Demo pack 48V")
    return bom_declare(
        actor=sme.owner,
        product=product,
        lines=[line("cells", cost=80), line("cathode", cost=20, origin="abroad")],
    )


@pytest.fixture
def admin_client(client, official):
    client.force_login(official)
    return client


def _verify_url(bom):
    return reverse("admin:directory_billofmaterials_verify", args=[bom.pk])


def _in_a_year():
    return (timezone.localdate() + datetime.timedelta(days=365)).isoformat()


def test_the_bills_page_offers_verify_and_return_while_it_waits(admin_client, bom):
    page = admin_client.get(reverse("admin:directory_billofmaterials_change", args=[bom.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert _verify_url(bom) in text and "return_bom" in text


def test_an_official_verifies_with_the_report_and_the_members_are_told_in_their_language(
    admin_client, bom, django_capture_on_commit_callbacks
):
    owner = bom.product.enterprise.owner
    colleague = MembershipFactory(enterprise=bom.product.enterprise).user
    language_preference_set(user=colleague, language="zh-hans")
    form = admin_client.get(_verify_url(bom))
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin_client.post(
            _verify_url(bom), {"valid_until": _in_a_year(), "evidence": report(), "reason": ""}
        )
    assert answer.status_code == 302
    bom.refresh_from_db()
    assert bom.status == BomStatus.VERIFIED and bom.evidence_name == "verifier-report.pdf"
    # The official's confirmation names the product, not the bill's state before the decision.
    (confirmation,) = [str(m) for m in get_messages(answer.wsgi_request)]
    assert confirmation.startswith(f"The bill of materials of {bom.product} is verified")
    assert "Submitted" not in confirmation
    english = next(m for m in mail.outbox if owner.email in m.to)
    chinese = next(m for m in mail.outbox if colleague.email in m.to)
    assert "verified" in english.body and "80.00 %" in english.body
    assert "Demo pack 48V" in english.subject
    assert reverse("directory:bom_list", args=[bom.product.enterprise.uscc, bom.product.pk]) in (
        english.body
    )
    assert "verified" not in chinese.body and "80.00" in chinese.body


def test_a_file_that_is_no_pdf_or_a_past_date_is_refused_on_the_form(admin_client, bom):
    fake = SimpleUploadedFile("report.pdf", b"not a pdf at all", content_type="application/pdf")
    answer = admin_client.post(_verify_url(bom), {"valid_until": _in_a_year(), "evidence": fake})
    assert answer.status_code == 200
    assert answer.context["form"].errors["evidence"]
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    answer = admin_client.post(_verify_url(bom), {"valid_until": yesterday, "evidence": report()})
    assert answer.context["form"].errors["valid_until"]
    bom.refresh_from_db()
    assert bom.status == BomStatus.SUBMITTED and not bom.evidence


def test_a_bill_no_longer_waiting_cannot_be_verified_again(admin_client, bom):
    admin_client.post(_verify_url(bom), {"valid_until": _in_a_year(), "evidence": report()})
    answer = admin_client.post(
        _verify_url(bom), {"valid_until": _in_a_year(), "evidence": report()}
    )
    assert answer.status_code == 200 and answer.context["form"].non_field_errors()


def test_staff_without_the_officials_permission_may_not_verify(client, bom):
    clerk = UserFactory(is_staff=True)
    client.force_login(clerk)
    assert client.get(_verify_url(bom)).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="change_product"))
    answer = client.post(_verify_url(bom), {"valid_until": _in_a_year(), "evidence": report()})
    # The admin lets them in; the service still asks for an official.
    assert answer.status_code == 200 and answer.context["form"].non_field_errors()
    bom.refresh_from_db()
    assert bom.status == BomStatus.SUBMITTED


def test_returning_asks_for_a_reason_and_tells_the_members(
    admin_client, bom, django_capture_on_commit_callbacks
):
    changelist = reverse("admin:directory_billofmaterials_changelist")
    asked = admin_client.post(changelist, {"action": "return_bom", "_selected_action": [bom.pk]})
    assert asked.status_code == 200 and "reason" in asked.context["form"].fields
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            changelist,
            {
                "action": "return_bom",
                "_selected_action": [bom.pk],
                "post": "yes",
                "reason": "Split the cathode out.",
            },
        )
    bom.refresh_from_db()
    assert bom.status == BomStatus.RETURNED
    (message,) = mail.outbox
    assert "returned" in message.body and "Split the cathode out." in message.body


def test_a_returned_bill_is_named_with_the_reason_it_cannot_be_returned_again(admin_client, bom):
    changelist = reverse("admin:directory_billofmaterials_changelist")
    data = {"action": "return_bom", "_selected_action": [bom.pk], "post": "yes", "reason": "x"}
    admin_client.post(changelist, data)
    answer = admin_client.post(changelist, data, follow=True)
    assert "cannot become" in answer.content.decode()
