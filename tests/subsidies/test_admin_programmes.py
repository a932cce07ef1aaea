"""Programmes in the workbench: created and changed through their service, refusals shown on the
form, budgets listed, notices published, land rounds ranked.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import constants as message_levels
from django.urls import reverse
from django.utils import timezone

from ssb_portal.models import AuditEntry
from subsidies.models import Programme
from subsidies.services.approvals import application_approve
from tests.admin_support import messages_of
from tests.factories import ApplicationFactory, ProgrammeFactory
from tests.subsidies.admin_support import PROGRAMMES, S, act, change_url, status_of

pytestmark = pytest.mark.django_db


# --- programmes ---------------------------------------------------------------------------


def programme_form(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "kind": "local_procurement",
        "year": today.year,
        "name_zh": "本地采购补贴",
        "name_en": "Local procurement subsidy",
        "description": "",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=60)).isoformat(),
        "budget_cny": "5000000",
        "rate_percent": "5",
        "notice_days": "7",
        "scoring_criteria": "[]",
        "_save": "Save",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_programme_is_created_through_its_service(official_client, official):
    response = official_client.post(
        reverse("admin:subsidies_programme_add"),
        programme_form(required_documents=["invoices"]),
    )
    assert response.status_code == 302
    programme = Programme.objects.get(name_en="Local procurement subsidy")
    assert programme.required_documents == ["invoices"]
    entry = AuditEntry.objects.get(action="programme_created", object_id=str(programme.pk))
    assert entry.actor_id == official.pk


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"budget_cny": ""}, "budget_cny", "needs a budget"),
        (
            {"scoring_criteria": '[{"key": "x", "label": "X", "weight": 0}]'},
            "scoring_criteria",
            "weight",
        ),
        ({"closes_on": "2000-01-01"}, None, ""),
    ],
)
def test_a_refused_programme_shows_the_error_on_the_form(
    official_client, overrides, field, message
):
    response = official_client.post(
        reverse("admin:subsidies_programme_add"), programme_form(**overrides)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors
    if field:
        assert message in " ".join(errors[field])
    assert not Programme.objects.exists()


def test_a_budget_below_the_awards_is_refused_on_the_form(official_client, official, under_review):
    application_approve(actor=official, application=under_review)
    programme = under_review.programme
    data = programme_form(
        kind=programme.kind,
        name_en=programme.name_en,
        budget_cny="1000",
        eligible_categories=[c.pk for c in programme.eligible_categories.all()],
    )
    response = official_client.post(change_url(programme), data)
    assert response.status_code == 200
    assert "19,500.03 CNY is already awarded" in " ".join(
        response.context["adminform"].form.errors["budget_cny"]
    )
    programme.refresh_from_db()
    assert programme.budget_cny == Decimal("10000000.00")


def test_the_programme_list_shows_budget_committed_and_remaining(
    official_client, official, under_review
):
    application_approve(actor=official, application=under_review)
    response = official_client.get(PROGRAMMES, {"kind__exact": "local_procurement"})
    row = response.context["cl"].result_list[0]
    assert (row.committed_cny, row.remaining_cny) == (
        Decimal("19500.03"),
        Decimal("9980499.97"),
    )
    content = response.content.decode()
    assert "19,500.03" in content and "9,980,499.97" in content


def test_programmes_cannot_be_deleted(official_client, procurement):
    url = reverse("admin:subsidies_programme_delete", args=[procurement.pk])
    assert official_client.post(url, {"post": "yes"}).status_code == 403


def test_publishing_the_notice_puts_approved_awards_on_notice(
    official_client, official, under_review
):
    application_approve(actor=official, application=under_review)
    # Publication asks to confirm first, like every other decision: nothing is published yet.
    response = act(official_client, PROGRAMMES, "publish_notice", [under_review.programme])
    assert response.templates[0].name == "admin/action_form.html"
    assert status_of(under_review) == S.APPROVED
    response = act(
        official_client, PROGRAMMES, "publish_notice", [under_review.programme], post="yes"
    )
    [(level, text)] = messages_of(response)
    assert level == message_levels.SUCCESS and "1 award on public notice" in text
    assert status_of(under_review) == S.IN_NOTICE
    response = act(
        official_client, PROGRAMMES, "publish_notice", [under_review.programme], post="yes"
    )
    assert [level for level, _ in messages_of(response)] == [message_levels.ERROR]


def test_the_requests_of_a_land_round_are_ranked(official_client, anchor, sme):
    land = ProgrammeFactory(kind="land_priority")
    first = ApplicationFactory(programme=land, applicant=anchor, status=S.SUBMITTED)
    second = ApplicationFactory(programme=land, applicant=sme, status=S.UNDER_REVIEW)
    ApplicationFactory(programme=land, applicant=sme, status=S.DRAFT)
    url = reverse("admin:subsidies_programme_rank", args=[land.pk])
    page = official_client.get(url)
    assert [a.pk for a, _field in page.context["rows"]] == [first.pk, second.pk]

    response = official_client.post(url, {f"rank_{first.pk}": "1", f"rank_{second.pk}": "1"})
    assert "Give each request a different rank." in response.content.decode()

    response = official_client.post(url, {f"rank_{first.pk}": "2", f"rank_{second.pk}": "1"})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.land_rank, second.land_rank) == (2, 1)
