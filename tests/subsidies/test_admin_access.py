"""Who reaches the officials' workbench, and that every list and change page of it opens."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import EnterpriseGroup
from subsidies.models import KpiTarget, Milestone, Objection, Review
from subsidies.services.disbursements import disbursement_batch_mark_paid
from subsidies.services.programmes import support_cap_set
from subsidies.services.recoveries import recovery_open, recovery_record_repayment
from subsidies.services.reviews import conflict_declare, review_assign
from tests.admin_support import listed
from tests.factories import ApplicationFactory, ProgrammeFactory
from tests.subsidies.admin_support import APPLICATIONS, AUDIT, BATCHES, PROGRAMMES, S, change_url

pytestmark = pytest.mark.django_db


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [APPLICATIONS, PROGRAMMES, BATCHES, AUDIT])
def test_an_enterprise_user_cannot_reach_the_workbench(client, anchor, url):
    client.force_login(anchor.owner)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_an_official_sees_every_workbench_list(official_client):
    response = official_client.get(reverse("admin:index"))
    for name in (
        "programme",
        "application",
        "review",
        "notice",
        "objection",
        "disbursementbatch",
        "recovery",
        "conflictdeclaration",
        "supportcap",
        "ssb_portal_auditentry",
    ):
        url = reverse(f"admin:{name if '_' in name else 'subsidies_' + name}_changelist")
        assert url.encode() in response.content, name
        assert official_client.get(url).status_code == 200, name


# --- every page opens ---------------------------------------------------------------------


@pytest.fixture
def everything(official, second_official, reviewer, batch, awards_in_notice, sme):
    """A row in every table of the workbench."""
    disbursement_batch_mark_paid(actor=official, batch=batch, payment_reference="P-1")
    award = awards_in_notice[0]
    recovery = recovery_open(
        actor=official,
        application=award,
        reason="targets_not_met",
        amount_cny=Decimal("1000.00"),
        basis="Pro rata: 1 of 1000.",
    )
    recovery_record_repayment(
        actor=official,
        recovery=recovery,
        amount_cny=Decimal("10.00"),
        received_on=timezone.localdate(),
    )
    submitted = ApplicationFactory(applicant=sme, status=S.SUBMITTED)
    review_assign(actor=official, application=submitted, reviewer=reviewer)
    Objection.objects.create(
        application=award, notice=award.notice, author_name="王五", organisation="X", reason="Y"
    )
    conflict_declare(actor=official, enterprise=sme, reason="Shares.")
    support_cap_set(
        actor=official, amount_cny=Decimal("9000000"), years=3, effective_from=timezone.localdate()
    )
    land = ProgrammeFactory(kind="land_priority")
    ApplicationFactory(programme=land, applicant=sme, status=S.SUBMITTED)
    proposal = ApplicationFactory(
        programme=ProgrammeFactory(kind="rd_fund"), applicant=sme, status=S.SUBMITTED
    )
    KpiTarget.objects.create(
        application=proposal, kpi="ionic_conductivity", baseline_value=1e-3, target_value=1.2e-2
    )
    Milestone.objects.create(
        application=proposal, title="Pilot line", due_on=datetime.date(2027, 6, 30)
    )
    EnterpriseGroup.objects.create(name="集团")
    return award


WORKBENCH_MODELS = [
    "subsidies.programme",
    "subsidies.application",
    "subsidies.review",
    "subsidies.notice",
    "subsidies.objection",
    "subsidies.disbursementbatch",
    "subsidies.recovery",
    "subsidies.conflictdeclaration",
    "subsidies.supportcap",
    "ssb_portal.auditentry",
    "directory.enterprisegroup",
]


@pytest.mark.parametrize("model", WORKBENCH_MODELS)
@pytest.mark.parametrize("who", ["official", "superuser"])
def test_every_list_and_page_opens(client, official, admin_user, everything, model, who):
    from django.apps import apps

    client.force_login(official if who == "official" else admin_user)
    app_label, model_name = model.split(".")
    assert client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 200
    for obj in apps.get_model(model).objects.all():
        assert client.get(change_url(obj)).status_code == 200, obj


def test_a_reviewer_finds_their_reviews_with_a_link_to_the_form(client, reviewer, everything):
    client.force_login(reviewer)
    assert (
        reverse("admin:subsidies_review_changelist").encode()
        in client.get(reverse("admin:index")).content
    )
    response = client.get(reverse("admin:subsidies_review_changelist"))
    review = Review.objects.get(reviewer=reviewer)
    assert listed(response) == {review.pk}
    form_url = reverse("admin:subsidies_application_review", args=[review.application_id])
    assert form_url in response.content.decode()
    assert client.get(AUDIT).status_code == 403
