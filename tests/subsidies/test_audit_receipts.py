"""Issue 16: every submission gets a receipt (its audit entry's sequence, hash and time) on the
confirmation and by email, like an eReceipt; the chain's heads are published (daily, with
notices and receipts) on a public page and in the API."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from ssb_portal.audit_chain.heads import audit_head_publish_daily
from ssb_portal.models import AuditChainHead, AuditEntry, PublishedHead
from tests.subsidies.pages_support import text_of, url
from tests.subsidies.services_support import in_notice
from tests.subsidies.test_milestone_reports import make_project, report

pytestmark = pytest.mark.django_db


def test_a_submission_shows_and_mails_its_receipt(
    member, draft, anchor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(url("submit", draft.pk), follow=True)

    entry = AuditEntry.objects.filter(object_id=str(draft.pk), data__to="submitted").get()
    page = text_of(response)
    assert f"entry {entry.sequence} of the audit chain" in page
    assert entry.entry_hash in page
    assert entry.entry_hash in response.content.decode().split('id="receipt"', 1)[1]
    [receipt_mail] = [m for m in mail.outbox if "receipt" in m.subject]
    assert anchor.owner.email in receipt_mail.to
    assert entry.entry_hash in receipt_mail.body and str(entry.sequence) in receipt_mail.body
    published = PublishedHead.objects.get(where="receipt")
    assert (published.sequence, published.entry_hash) == (entry.sequence, entry.entry_hash)


def test_the_receipt_stays_on_the_application_page_for_its_members_only(
    client, member, submitted, sme
):
    entry = AuditEntry.objects.filter(object_id=str(submitted.pk), data__to="submitted").get()
    assert entry.entry_hash in member.get(url("application", submitted.pk)).content.decode()
    client.force_login(sme.owner)
    assert client.get(url("application", submitted.pk)).status_code == 404


def test_publishing_a_notice_publishes_the_head(under_review, official):
    in_notice(under_review, official)
    head = AuditChainHead.objects.get()
    published = PublishedHead.objects.get(where="notice")
    assert (published.sequence, published.entry_hash) == (head.last_sequence, head.last_hash)


def test_the_daily_head_is_published_once_a_day(submitted):
    call_command("publish_audit_head")
    call_command("publish_audit_head")
    assert PublishedHead.objects.filter(where="daily").count() == 1
    _head, created = audit_head_publish_daily(day=datetime.date(2030, 1, 1))
    assert created and PublishedHead.objects.filter(where="daily").count() == 2


def test_published_heads_are_public_as_a_page_and_in_the_api(client, submitted):
    call_command("publish_audit_head")
    head = AuditChainHead.objects.get()
    page = client.get("/audit/heads/")
    assert page.status_code == 200
    assert head.last_hash in page.content.decode()
    answer = client.get("/api/v1/audit/heads/")
    assert answer.status_code == 200
    rows = answer.json()["results"]
    assert {"sequence": head.last_sequence, "entry_hash": head.last_hash} in [
        {"sequence": row["sequence"], "entry_hash": row["entry_hash"]} for row in rows
    ]
    assert {row["where"] for row in rows} == {"daily", "receipt"}


def test_a_milestone_report_gets_a_receipt(sme):
    project = make_project(sme)
    filed = report(project, [])
    entry = AuditEntry.objects.filter(action="milestone_report").get()
    assert (filed.receipt.sequence, filed.receipt.entry_hash) == (entry.sequence, entry.entry_hash)
    assert PublishedHead.objects.filter(where="receipt", sequence=entry.sequence).exists()
