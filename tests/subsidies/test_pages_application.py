"""The application's page and what its applicant does from it: submit, withdraw, appeal and
write messages. Bad input answers with a message on the page and changes nothing.
"""

from decimal import Decimal

import pytest

from subsidies.models import Message, Transition
from subsidies.services.approvals import appeal_decide
from subsidies.services.drafting import application_create, application_set_lines
from subsidies.services.reviews import application_return
from subsidies.services.submission import message_post
from tests.factories import UserFactory
from tests.subsidies.pages_support import S, text_of, url

pytestmark = pytest.mark.django_db


# --- the application's page ---------------------------------------------------------------------


def test_a_draft_shows_its_eligibility_before_submission(member, anchor, procurement, lines):
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    application_set_lines(actor=anchor.owner, application=application, line_ids=[lines[0].pk])

    page = text_of(member.get(url("application", application.pk)))

    assert "✓ The enterprise is verified in the directory" in page
    assert "✗ The required documents are attached" in page
    assert "Attach: Invoices or purchase contracts." in page
    assert "Not ready yet" in page
    # 5 % of the one claimed line of 100,000, computed by the server
    assert "5,000.00" in page
    assert "fixed when you submit" in page


def test_a_complete_draft_is_ready_and_offers_submission(member, draft):
    response = member.get(url("application", draft.pk))

    assert "Ready to submit" in text_of(response)
    assert f'href="{url("submit", draft.pk)}"' in response.content.decode()
    assert "19,500.03" in text_of(response)


def test_the_page_shows_claim_lines_documents_and_history(member, submitted, lines):
    document = submitted.documents.get()

    response = member.get(url("application", submitted.pk))

    page = text_of(response)
    assert lines[1].invoice_no in page
    assert "390,000.50" in page  # the claimed total
    assert "invoice.pdf" in page
    assert f'href="{url("document", submitted.pk, document.pk)}"' in response.content.decode()
    assert "sme-owner" not in page
    assert "anchor-owner Draft Submitted" in page
    # submitted: nothing left to edit
    assert f'href="{url("edit", submitted.pk)}"' not in response.content.decode()
    assert f'href="{url("withdraw", submitted.pk)}"' in response.content.decode()


def test_a_returned_application_shows_what_to_change(member, under_review, official):
    application_return(
        actor=official, application=under_review, note="Attach the signed contract for INV-7."
    )

    page = text_of(member.get(url("application", under_review.pk)))

    assert "Returned for changes" in page
    assert "What to change: Attach the signed contract for INV-7." in page
    assert "Ready to submit" in page


def test_applicants_never_see_internal_notes_officials_do(client, anchor, submitted, official):
    message_post(actor=official, application=submitted, body="Please confirm INV-1.")
    message_post(actor=official, application=submitted, body="Supplier looks odd.", internal=True)

    client.force_login(anchor.owner)
    applicant_page = text_of(client.get(url("application", submitted.pk)))
    client.force_login(official)
    official_page = text_of(client.get(url("application", submitted.pk)))

    assert "Please confirm INV-1." in applicant_page
    assert "Supplier looks odd." not in applicant_page
    assert "Supplier looks odd." in official_page
    assert "Internal note" in official_page


def test_the_application_page_takes_a_bounded_number_of_queries(
    member, submitted, official, django_assert_max_num_queries
):
    for n in range(3):
        message_post(actor=official, application=submitted, body=f"Question {n}")
        message_post(actor=submitted.created_by, application=submitted, body=f"A {n}")

    with django_assert_max_num_queries(20):
        response = member.get(url("application", submitted.pk))
    assert "Question 2" in text_of(response)


# --- submit, withdraw, appeal, messages ---------------------------------------------------------


def test_submitting_an_ineligible_application_shows_the_problems_and_changes_nothing(
    member, empty_draft
):
    page = text_of(member.get(url("submit", empty_draft.pk)))
    assert "Pick at least one purchase line to claim." in page
    assert "Submit the application" not in page.split("Amount", 1)[1]

    response = member.post(url("submit", empty_draft.pk))

    assert response.status_code == 400
    assert "The application was not submitted" in text_of(response)
    assert "Attach: Invoices or purchase contracts." in text_of(response)
    empty_draft.refresh_from_db()
    assert empty_draft.status == S.DRAFT
    assert empty_draft.computed_amount_cny is None
    assert not Transition.objects.exists()


def test_submitting_a_complete_application_fixes_the_amount(member, draft):
    confirm = member.get(url("submit", draft.pk))
    assert "19,500.03 CNY" in text_of(confirm)

    response = member.post(url("submit", draft.pk))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == S.SUBMITTED
    assert draft.computed_amount_cny == Decimal("19500.03")
    assert "is submitted" in text_of(member.get(response["Location"]))


def test_a_submitted_application_cannot_be_submitted_again(member, submitted):
    response = member.post(url("submit", submitted.pk))

    assert response.status_code == 302
    assert Transition.objects.filter(to_status=S.SUBMITTED).count() == 1


def test_withdrawing_records_the_note(member, submitted):
    confirm = member.get(url("withdraw", submitted.pk))
    assert "Withdraw application" in text_of(confirm)

    response = member.post(url("withdraw", submitted.pk), {"note": "Wrong year."})

    submitted.refresh_from_db()
    assert response.status_code == 302
    assert submitted.status == S.WITHDRAWN
    page = text_of(member.get(url("application", submitted.pk)))
    assert "Wrong year." in page
    assert "Withdraw…" not in page


def test_a_rejection_can_be_appealed_once_with_grounds(member, rejected, official):
    page = text_of(member.get(url("application", rejected.pk)))
    assert "Lines are from 2019." in page
    assert "Appeal…" in page

    blank = member.post(url("appeal", rejected.pk), {"grounds": "  "})
    assert blank.context["form"].errors["grounds"] == ["Give the grounds of your appeal."]

    response = member.post(url("appeal", rejected.pk), {"grounds": "The invoices are of 2026."})
    rejected.refresh_from_db()
    assert response.status_code == 302
    assert rejected.status == S.APPEALED

    appeal = rejected.appeals.get()
    appeal_decide(
        actor=UserFactory(username="o2", is_superuser=True),
        appeal=appeal,
        upheld=False,
        note="Stands.",
    )
    again = member.get(url("appeal", rejected.pk))
    assert again.status_code == 302
    assert rejected.appeals.count() == 1
    assert "Appeal…" not in text_of(member.get(url("application", rejected.pk)))


def test_only_a_rejection_can_be_appealed(member, submitted):
    response = member.post(url("appeal", submitted.pk), {"grounds": "Because."})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_a_member_writes_to_the_officials(member, submitted):
    response = member.post(url("message", submitted.pk), {"body": "INV-7 is attached."})

    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.body, message.internal) == ("INV-7 is attached.", False)


def test_an_empty_message_is_refused_on_its_field(member, submitted):
    response = member.post(url("message", submitted.pk), {"body": "   "})

    assert response.status_code == 400
    assert "Write a message." in text_of(response)
    assert not Message.objects.exists()


def test_an_applicant_cannot_write_internal_notes(member, submitted):
    member.post(url("message", submitted.pk), {"body": "psst", "internal": "on"})

    assert Message.objects.get().internal is False


def test_an_official_may_write_an_internal_note(client, official, submitted):
    client.force_login(official)

    client.post(url("message", submitted.pk), {"body": "Check supplier.", "internal": "on"})

    assert Message.objects.get().internal is True
