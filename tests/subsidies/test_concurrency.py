"""Two officials approving at the same moment can never overspend a budget or pass a cap.

These run real concurrent transactions in two threads, each with its own connection; only
PostgreSQL has the row locks they prove (SQLite serialises whole-database writes instead).
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from subsidies.models import Application, ApplicationStatus, SupportCap
from subsidies.services.approvals import application_approve
from tests.factories import EnterpriseFactory, ProgrammeFactory, UserFactory

pytestmark = [
    # Real transactions: the threads cannot share the test's. The serialized rollback reloads
    # the districts and groups that an earlier transactional test's flush emptied.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are proved on PostgreSQL"
    ),
]


def _under_review(programme, applicant, amount):
    return Application.objects.create(
        programme=programme,
        kind=programme.kind,
        applicant=applicant,
        status=ApplicationStatus.UNDER_REVIEW,
        computed_amount_cny=Decimal(amount),
    )


def _approve_at_once(applications, officials):
    barrier = threading.Barrier(len(applications))
    outcomes = []

    def approve(application, official):
        try:
            barrier.wait()
            application_approve(actor=official, application=application)
            outcomes.append("approved")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=pair)
        for pair in zip(applications, officials, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _officials():
    from django.contrib.auth.models import Group

    from ssb_portal.roles import OFFICIAL_GROUP

    group, _ = Group.objects.get_or_create(name=OFFICIAL_GROUP)
    users = [UserFactory(username=f"official-{n}") for n in range(2)]
    for user in users:
        user.groups.add(group)
    return users


def test_concurrent_approvals_never_overspend_the_budget():
    programme = ProgrammeFactory(kind="national_matching", budget_cny=Decimal("1000000.00"))
    applications = [
        _under_review(programme, EnterpriseFactory(kind="anchor"), "600000.00") for _ in range(2)
    ]
    outcomes = _approve_at_once(applications, _officials())
    assert outcomes.count("approved") == 1
    refusal = next(outcome for outcome in outcomes if outcome != "approved")
    assert "400,000.00 CNY remain" in refusal
    approved = Application.objects.filter(status=ApplicationStatus.APPROVED)
    assert sum(a.awarded_amount_cny for a in approved) <= programme.budget_cny


def test_concurrent_approvals_in_two_programmes_never_pass_the_enterprises_cap():
    SupportCap.objects.create(
        amount_cny=Decimal("1000000.00"), years=3, effective_from=datetime.date(2020, 1, 1)
    )
    applicant = EnterpriseFactory(kind="anchor")
    applications = [
        _under_review(ProgrammeFactory(kind="national_matching"), applicant, "600000.00")
        for _ in range(2)
    ]
    outcomes = _approve_at_once(applications, _officials())
    assert outcomes.count("approved") == 1
    assert any("400,000.00 CNY of room remain" in outcome for outcome in outcomes)
