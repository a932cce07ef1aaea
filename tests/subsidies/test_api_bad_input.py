"""Bad input to /api/v1/applications/ answers 400 naming the field and changes nothing: lines,
members, closed programmes, R&D plans.
"""

import datetime

import pytest
from django.utils import timezone

from subsidies.models import Application
from tests.factories import ApplicationFactory, ProgrammeFactory, PurchaseLineFactory
from tests.subsidies.api_support import APPLICATIONS, start, url

pytestmark = pytest.mark.django_db


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"programme": "abc"}, "programme", "Incorrect type"),
        ({"programme": 999999}, "programme", "There is no programme with this id."),
        ({"programme": 10**30}, "programme", ""),
        ({"programme": None}, "programme", "null"),
        ({"applicant": "not a code"}, "applicant", "No enterprise is registered"),
        ({"applicant": 12345}, "applicant", "unified social credit code"),
        ({"colour": "blue"}, "colour", "Unknown field."),
        ({"summary": ["a", "list"]}, "summary", "Not a valid string."),
    ],
)
def test_bad_input_to_start_an_application_names_the_field(
    as_anchor, anchor, procurement, body, field, message
):
    data = {"programme": procurement.pk, "applicant": anchor.uscc, **body}

    response = as_anchor.post(APPLICATIONS, data, format="json")

    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Application.objects.exists()


def test_a_missing_programme_and_applicant_are_both_named(as_anchor):
    response = as_anchor.post(APPLICATIONS, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"programme", "applicant"}


def test_a_body_that_is_not_an_object_is_refused(as_anchor):
    response = as_anchor.post(APPLICATIONS, ["programme"], format="json")

    assert response.status_code == 400


def test_only_members_may_apply_for_an_enterprise(as_anchor, sme, procurement):
    response = start(as_anchor, procurement, sme)

    assert response.status_code == 403
    assert response.json()["detail"] == "Only members of the applicant may do this."
    assert not Application.objects.exists()


def test_a_closed_programme_refuses_new_applications(as_anchor, anchor):
    today = timezone.localdate()
    closed = ProgrammeFactory(
        opens_on=today - datetime.timedelta(days=60), closes_on=today - datetime.timedelta(days=1)
    )

    response = start(as_anchor, closed, anchor)

    assert response.status_code == 400
    assert "closed" in response.json()["programme"][0]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "line_ids"),
        ({"line_ids": "1,2"}, "line_ids"),
        ({"line_ids": ["one"]}, "line_ids"),
        ({"line_ids": [0]}, "line_ids"),
        ({"line_ids": [10**30]}, "line_ids"),
        ({"line_ids": [], "lines": [1]}, "lines"),
    ],
)
def test_bad_line_ids_answer_400(as_anchor, draft, body, field):
    response = as_anchor.put(url(draft, "lines"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert draft.claimed_lines.count() == 3


def test_another_firms_line_cannot_be_claimed(as_anchor, draft, sme, supplier):
    theirs = PurchaseLineFactory(buyer=sme, supplier=supplier)

    response = as_anchor.put(url(draft, "lines"), {"line_ids": [theirs.pk]}, format="json")

    assert response.status_code == 400
    assert "cannot be claimed here" in response.json()["lines"][0]


def test_a_programme_without_lines_has_none_to_claim(as_anchor, anchor):
    application = ApplicationFactory(programme=ProgrammeFactory(kind="rd_fund"), applicant=anchor)

    listed = as_anchor.get(url(application, "claimable-lines"))
    claimed = as_anchor.put(url(application, "lines"), {"line_ids": []}, format="json")

    assert listed.status_code == 400
    assert claimed.status_code == 400
    assert "does not pay for purchase lines" in str(claimed.json())


def test_an_rd_proposal_sets_its_kpis_and_milestones(as_anchor, anchor):
    application = ApplicationFactory(programme=ProgrammeFactory(kind="rd_fund"), applicant=anchor)
    plan = {
        "kpis": [{"kpi": "ionic_conductivity", "baseline_value": 0.004, "target_value": 0.012}],
        "milestones": [
            {"title": "Pilot batch", "due_on": "2027-06-30", "deliverable": "10 kg powder"}
        ],
    }

    response = as_anchor.put(url(application, "plan"), plan, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["kpi_targets"] == [
        {
            "kpi": "ionic_conductivity",
            "kpi_label": "Ionic conductivity at 25 °C (S/cm)",
            "baseline_value": 0.004,
            "target_value": 0.012,
        }
    ]
    assert body["milestones"] == [
        {"title": "Pilot batch", "due_on": "2027-06-30", "deliverable": "10 kg powder"}
    ]


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        ({"milestones": None}, "milestones"),
        ({"kpis": [{"kpi": "happiness", "baseline_value": 1, "target_value": 2}]}, "kpis"),
        ({"kpis": [{"kpi": "asr", "baseline_value": "high", "target_value": 2}]}, "kpis"),
        ({"kpis": [{"kpi": "asr", "baseline_value": "NaN", "target_value": 2}]}, "kpis"),
        ({"kpis": [{"kpi": "asr", "baseline_value": 1, "target_value": 2, "x": 1}]}, "kpis"),
        ({"milestones": [{"title": "Done", "due_on": "tomorrow"}]}, "milestones"),
        ({"milestones": "soon"}, "milestones"),
        (
            {
                "kpis": [
                    {"kpi": "asr", "baseline_value": 20, "target_value": 10},
                    {"kpi": "asr", "baseline_value": 20, "target_value": 8},
                ]
            },
            "kpis",
        ),
    ],
)
def test_a_bad_plan_answers_400_naming_the_field(as_anchor, anchor, plan, field):
    application = ApplicationFactory(programme=ProgrammeFactory(kind="rd_fund"), applicant=anchor)
    body = {"kpis": [], "milestones": [], **plan}
    if body["milestones"] is None:
        del body["milestones"]

    response = as_anchor.put(url(application, "plan"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_procurement_claim_has_no_plan(as_anchor, draft):
    response = as_anchor.put(url(draft, "plan"), {"kpis": [], "milestones": []}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Only R&D proposals have KPIs and milestones."]}
