"""What the services record and tell: every move with who, when and why, notifications to
officials, internal notes, land ranking, duplicate detection and net support per enterprise.
"""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from subsidies.models import Application, Transition
from subsidies.selectors.eligibility import near_duplicate_lines
from subsidies.selectors.money import programmes_with_money, support_by_enterprise
from subsidies.services.drafting import application_create, application_set_lines
from subsidies.services.recoveries import recovery_open, recovery_record_repayment
from subsidies.services.reviews import application_return, land_round_rank
from subsidies.services.submission import application_submit, message_post
from tests.factories import ProgrammeFactory, PurchaseLineFactory
from tests.subsidies.services_support import S, disbursed

pytestmark = pytest.mark.django_db


# --- records and notifications ----------------------------------------------------------------


def test_every_move_is_recorded_with_who_when_from_to_and_why(submitted, official, anchor):
    application_return(actor=official, application=submitted, note="Add contract")
    history = list(
        Transition.objects.filter(application=submitted).values_list(
            "actor__username", "from_status", "to_status", "note"
        )
    )
    assert history == [
        (anchor.owner.username, S.DRAFT, S.SUBMITTED, ""),
        (official.username, S.SUBMITTED, S.RETURNED, "Add contract"),
    ]


def test_officials_hear_of_new_submissions(
    draft, anchor, official, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=anchor.owner, application=draft)
    # The officials hear of it; the applicant gets the submission's receipt (issue 16).
    assert [message.to for message in mail.outbox] == [[official.email], [anchor.owner.email]]
    assert "receipt" in mail.outbox[1].subject


def test_applicants_never_write_internal_notes(submitted, anchor, official):
    with pytest.raises(PermissionDenied):
        message_post(actor=anchor.owner, application=submitted, body="hello", internal=True)
    message_post(actor=official, application=submitted, body="check", internal=True)
    assert submitted.messages.get().internal


def test_land_requests_of_a_round_are_ranked_once_each(anchor, sme, official):
    programme = ProgrammeFactory(kind="land_priority", required_documents=[])
    requests = []
    for enterprise in (anchor, sme):
        application = application_create(
            actor=enterprise.owner,
            programme=programme,
            applicant=enterprise,
            data={
                "land_area_m2": Decimal("50000"),
                "land_use": "Electrolyte plant",
                "planned_investment_cny": Decimal("300000000"),
                "planned_jobs": 400,
            },
        )
        requests.append(application_submit(actor=enterprise.owner, application=application))
    with pytest.raises(ValidationError):
        land_round_rank(actor=official, programme=programme, ordered_ids=[requests[0].pk])
    land_round_rank(
        actor=official, programme=programme, ordered_ids=[requests[1].pk, requests[0].pk]
    )
    ranks = dict(Application.objects.values_list("pk", "land_rank"))
    assert ranks == {requests[1].pk: 1, requests[0].pk: 2}


def test_near_duplicates_are_found_in_a_fixed_number_of_queries(
    anchor, supplier, procurement, django_assert_max_num_queries
):
    day = timezone.localdate().replace(month=5, day=10)
    lines = [
        PurchaseLineFactory(
            buyer=anchor,
            supplier=supplier,
            invoice_date=day + datetime.timedelta(days=n),
            amount=Decimal("1000.00") * (n % 3 + 1),
            confirmation="confirmed",
        )
        for n in range(12)
    ]
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    application_set_lines(
        actor=anchor.owner, application=application, line_ids=[line.pk for line in lines]
    )
    with django_assert_max_num_queries(2):
        flagged = near_duplicate_lines(application)
    assert flagged  # lines 0 and 3 share supplier and amount, three days apart


def test_net_support_per_enterprise_subtracts_repaid_recoveries(under_review, official, anchor):
    application = disbursed(under_review, official)
    recovery = recovery_open(
        actor=official,
        application=application,
        reason="targets_not_met",
        amount_cny=Decimal("500.00"),
        basis="Full amount of the unmet milestone share.",
    )
    recovery_record_repayment(
        actor=official,
        recovery=recovery,
        amount_cny=Decimal("500.00"),
        received_on=timezone.localdate(),
    )
    row = support_by_enterprise().get()
    assert row == anchor
    assert (row.held_cny, row.repaid_cny, row.net_cny) == (
        Decimal("19500.03"),
        Decimal("500.00"),
        Decimal("19000.03"),
    )
    programme = programmes_with_money().get(pk=application.programme_id)
    assert programme.committed_cny == Decimal("19000.03")
    assert programme.remaining_cny == programme.budget_cny - Decimal("19000.03")
