"""Issue 16: directory verification decisions, LCR publication, purchase-import review
decisions, alliance membership decisions and scholarship awards are entries of the one audit
chain (before, none of them was)."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from alliance.services import membership as membership_services
from directory.lcr.services import lcr_year_publish
from directory.models import ListingStatus
from directory.purchases.review import purchase_import_accept, purchase_import_reject
from directory.services.enterprises import enterprise_return, enterprise_verify
from ssb_portal.audit_chain.verify import audit_chain_verify
from ssb_portal.models import AuditEntry
from talent import services as talent_services
from tests.directory.test_import_review import city_of_known_lcr, made_up_file, upload
from tests.factories import EnterpriseFactory, ScholarshipFundFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db


def chained(action: str, subject) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=action, object_type=subject._meta.label_lower, object_id=str(subject.pk)
        )
    )


def test_an_officials_verification_decisions_are_chained(official):
    returned = EnterpriseFactory(status=ListingStatus.PENDING)
    verified = EnterpriseFactory(status=ListingStatus.PENDING)
    enterprise_return(actor=official, enterprise=returned, reason="Licence unreadable")
    enterprise_verify(actor=official, enterprise=verified)
    [first] = chained("verification", returned)
    [second] = chained("verification", verified)
    assert first.data == {
        "enterprise": returned.uscc,
        "from": "pending",
        "to": "returned",
        "reason": "Licence unreadable",
        "status_change": first.data["status_change"],
    }
    assert (second.data["from"], second.data["to"]) == ("pending", "verified")
    assert first.actor_name == second.actor_name == official.username
    assert audit_chain_verify()[1] is None


def test_publishing_an_lcr_year_is_chained(official, anchor):
    city_of_known_lcr(anchor)
    publication = lcr_year_publish(actor=official, year=2026)
    [entry] = chained("lcr_published", publication)
    assert entry.data["year"] == 2026
    assert entry.data["lcr_percent"] == "51.80"
    assert [anchor.uscc, "50.00"] in entry.data["firms"]


def test_import_review_decisions_are_chained(anchor, official, django_capture_on_commit_callbacks):
    local = city_of_known_lcr(anchor)
    held = upload(
        anchor,
        made_up_file(local, count=2_000, amount="50000.00"),
        django_capture_on_commit_callbacks,
    )
    assert not chained("purchase_import_review", held)  # holding is the system's, not a decision
    purchase_import_reject(actor=official, purchase_import=held, reason="Made-up lines.")
    [entry] = chained("purchase_import_review", held)
    assert entry.data == {"from": "awaiting", "to": "rejected", "reason": "Made-up lines."}
    assert entry.actor_name == official.username

    again = upload(
        anchor,
        made_up_file(local, count=2_000, amount="50000.00").replace(b"FAKE-", b"MORE-"),
        django_capture_on_commit_callbacks,
    )
    purchase_import_accept(actor=official, purchase_import=again, reason="Checked the ERP.")
    assert chained("purchase_import_review", again)[0].data["to"] == "accepted"


def test_alliance_membership_decisions_are_chained(sme, official):
    member = membership_services.member_apply(actor=sme.owner, enterprise=sme, motivation="x")
    membership_services.member_decline(actor=official, member=member, reason="Licence expired")
    again = membership_services.member_apply(actor=sme.owner, enterprise=sme, motivation="y")
    membership_services.member_approve(actor=official, member=again)
    declined, approved = chained("alliance_membership", again)  # the same member, re-applied
    assert declined.data == {"enterprise": sme.uscc, "to": "declined", "reason": "Licence expired"}
    assert approved.data == {"enterprise": sme.uscc, "to": "approved", "reason": ""}
    assert approved.actor_name == official.username


def test_scholarship_applications_get_a_receipt_and_awards_are_chained(official):
    student = StudentFactory()
    student.user = UserFactory(username="student", email="student@example.org")
    student.save(update_fields=["user"])
    fund = ScholarshipFundFactory()
    application = talent_services.scholarship_apply(
        actor=student.user,
        fund=fund,
        data={"grade_average": Decimal("88.5"), "statement": "Halide electrolytes."},
    )
    [applied] = chained("scholarship_applied", application)
    assert application.receipt.sequence == applied.sequence
    assert application.receipt.entry_hash == applied.entry_hash

    talent_services.scholarship_review(actor=official, application=application, score=90)
    talent_services.scholarships_award(actor=official, fund=fund, application_ids=[application.pk])
    [awarded] = chained("scholarships_awarded", fund)
    assert awarded.data["applications"] == [application.pk]
    assert audit_chain_verify()[1] is None


def test_the_scholarship_confirmation_and_email_show_the_receipt(
    client, django_capture_on_commit_callbacks
):
    student = StudentFactory()
    student.user = UserFactory(username="student", email="student@example.org")
    student.save(update_fields=["user"])
    fund = ScholarshipFundFactory()
    client.force_login(student.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("talent:scholarship_apply", args=[fund.pk]),
            {
                "degree": student.degree,
                "field": "Electrochemistry",
                "grade_average": "88.5",
                "statement": "Halide electrolytes.",
            },
            follow=True,
        )
    entry = AuditEntry.objects.get(action="scholarship_applied")
    shown = " ".join(str(message) for message in response.context["messages"])
    assert f"entry {entry.sequence} of the audit chain" in shown and entry.entry_hash in shown
    [receipt] = [m for m in mail.outbox if "receipt" in m.subject]
    assert receipt.to == ["student@example.org"] and entry.entry_hash in receipt.body
