"""The amounts of each programme kind as the services compute them: national matching, standards
rewards, energy quota, R&D proposals and their KPI plans.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from subsidies.services.drafting import application_create, application_set_plan
from subsidies.services.reviews import application_start_review
from subsidies.services.submission import application_submit
from tests.factories import ProgrammeFactory, StandardParticipationFactory
from tests.subsidies.services_support import S, approve

pytestmark = pytest.mark.django_db


# --- amounts of the other programme kinds -----------------------------------------------------


def test_national_matching_is_fifteen_percent_of_the_investment(anchor):
    programme = ProgrammeFactory(kind="national_matching", required_documents=[])
    application = application_create(
        actor=anchor.owner,
        programme=programme,
        applicant=anchor,
        data={
            "project_name": "Pilot line",
            "approving_ministry": "MOST",
            "document_number": "国科发〔2026〕7号",
            "total_investment_cny": Decimal("12345678.91"),
        },
    )
    application = application_submit(actor=anchor.owner, application=application)
    assert application.computed_amount_cny == Decimal("1851851.84")


@pytest.mark.parametrize(("role", "reward"), [("lead", "1000000.00"), ("participant", "500000.00")])
def test_standards_reward_follows_the_confirmed_role(anchor, role, reward):
    participation = StandardParticipationFactory(enterprise=anchor, role=role)
    application = application_create(
        actor=anchor.owner,
        programme=ProgrammeFactory(kind="standards_reward", required_documents=[]),
        applicant=anchor,
        data={"standard_participation": participation},
    )
    assert application.standard_number == participation.standard.number
    application = application_submit(actor=anchor.owner, application=application)
    assert application.computed_amount_cny == Decimal(reward)


def test_a_national_standard_earns_no_international_reward(anchor):
    participation = StandardParticipationFactory(
        enterprise=anchor, standard__body="GB/T", standard__is_international=False
    )
    application = application_create(
        actor=anchor.owner,
        programme=ProgrammeFactory(kind="standards_reward", required_documents=[]),
        applicant=anchor,
        data={"standard_participation": participation},
    )
    with pytest.raises(ValidationError, match="Only international standards are rewarded"):
        application_submit(actor=anchor.owner, application=application)


def test_energy_quota_is_granted_at_one_point_one_times_the_standard(anchor):
    programme = ProgrammeFactory(kind="energy_quota", required_documents=[])
    application = application_create(
        actor=anchor.owner,
        programme=programme,
        applicant=anchor,
        data={"standard_quota_tce": Decimal("12000.000")},
    )
    application = application_submit(actor=anchor.owner, application=application)
    assert application.granted_quota_tce == Decimal("13200.000")
    assert application.computed_amount_cny is None


def _rd_proposal(anchor, requested="3000000.00"):
    programme = ProgrammeFactory(kind="rd_fund", required_documents=[])
    application = application_create(
        actor=anchor.owner,
        programme=programme,
        applicant=anchor,
        data={"summary": "Halide-doped sulfide", "requested_amount_cny": Decimal(requested)},
    )
    application_set_plan(
        actor=anchor.owner,
        application=application,
        kpis=[{"kpi": "ionic_conductivity", "baseline_value": 0.004, "target_value": 0.012}],
        milestones=[{"title": "Pilot batch", "due_on": datetime.date(2027, 6, 30)}],
    )
    return application


def test_an_rd_proposal_cannot_ask_more_than_the_call_funds(anchor):
    application = _rd_proposal(anchor, requested="6000000.00")
    with pytest.raises(ValidationError, match="funds at most 5,000,000.00 CNY"):
        application_submit(actor=anchor.owner, application=application)


def test_an_rd_award_is_the_approved_amount_up_to_the_request(anchor, official):
    application = _rd_proposal(anchor)
    application_submit(actor=anchor.owner, application=application)
    application_start_review(actor=official, application=application)
    with pytest.raises(ValidationError) as error:
        approve(application, official, amount_cny=Decimal("3500000.00"))
    assert "amount_cny" in error.value.message_dict
    application = approve(application, official, amount_cny=Decimal("2500000.00"))
    assert application.status == S.APPROVED
    assert application.awarded_amount_cny == Decimal("2500000.00")


def test_a_kpi_plan_with_a_missing_value_names_the_row(anchor):
    application = _rd_proposal(anchor)
    with pytest.raises(ValidationError) as error:
        application_set_plan(
            actor=anchor.owner,
            application=application,
            kpis=[{"kpi": "asr", "baseline_value": 25, "target_value": None}],
            milestones=[],
        )
    assert "kpis[0]" in error.value.message_dict
    assert application.kpi_targets.get().kpi == "ionic_conductivity"  # nothing half-saved
