"""The programmes' pages, applying to one, and the list of my applications.

Every write goes through the services; these tests prove what a person sees on the page
and that bad input answers with a message on the field (never a 500) and changes nothing.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from subsidies.models import Application
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.subsidies.pages_support import S, text_of, url

pytestmark = pytest.mark.django_db


# --- programmes ---------------------------------------------------------------------------------


def test_programmes_list_open_ones_first_with_the_rule_in_words(client):
    today = timezone.localdate()
    closed = ProgrammeFactory(
        kind="national_matching",
        name_en="Matching of last year",
        year=today.year - 1,
        opens_on=today - datetime.timedelta(days=400),
        closes_on=today - datetime.timedelta(days=300),
    )
    ProgrammeFactory(
        kind="local_procurement",
        name_en="Local purchases",
        required_documents=["invoices"],
        budget_cny=Decimal("8000000.00"),
    )

    response = client.get(url("programmes"))

    page = text_of(response)
    assert response.status_code == 200
    assert page.index("Local purchases") < page.index("Matching of last year")
    assert "5 % of the claimed local purchases" in page
    assert "15 % of the total investment of the national major project." in page
    assert "Invoices or purchase contracts" in page
    assert "8,000,000.00 CNY" in page
    assert f"{closed.opens_on:%Y-%m-%d} to {closed.closes_on:%Y-%m-%d}" in page


def test_programmes_page_says_when_nothing_is_open(client):
    response = client.get(url("programmes"))

    assert "No programme takes applications today" in text_of(response)


def test_programmes_page_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for kind in ("local_procurement", "standards_reward", "rd_fund", "energy_quota"):
        ProgrammeFactory(kind=kind)
        ProgrammeFactory(kind=kind, year=2020, opens_on="2020-01-01", closes_on="2020-06-30")

    # programmes with their money figures, their eligible categories
    with django_assert_max_num_queries(2):
        response = client.get(url("programmes"))
    assert text_of(response).count("Details") == 8


def test_programme_page_offers_members_to_apply(client, anchor, procurement):
    client.force_login(anchor.owner)

    response = client.get(url("programme", procurement.pk))

    assert response.status_code == 200
    assert f'href="{url("apply", procurement.pk)}"' in response.content.decode()
    assert "5 % of the claimed local purchases" in text_of(response)


def test_programme_page_asks_visitors_to_log_in_and_others_to_register(client, procurement):
    page = text_of(client.get(url("programme", procurement.pk)))
    assert "Log in to apply" in page

    client.force_login(UserFactory())
    response = client.get(url("programme", procurement.pk))
    assert "Only members of a registered enterprise can apply" in text_of(response)
    assert f'href="{reverse("directory:register")}"' in response.content.decode()


def test_unknown_programme_is_404(client):
    assert client.get(url("programme", 999)).status_code == 404


# --- applying -----------------------------------------------------------------------------------


def test_a_member_of_one_enterprise_applies_without_choosing(member, anchor, procurement):
    page = text_of(member.get(url("apply", procurement.pk)))
    assert f"You apply as {anchor.name_en}" in page

    response = member.post(url("apply", procurement.pk), {"enterprise": anchor.pk})

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("application", application.pk)
    assert (application.applicant, application.programme, application.status) == (
        anchor,
        procurement,
        S.DRAFT,
    )
    assert application.created_by == anchor.owner


def test_a_member_of_two_enterprises_chooses_which_applies(client, anchor, sme, procurement):
    MembershipFactory(user=anchor.owner, enterprise=sme)
    stranger = EnterpriseFactory()
    client.force_login(anchor.owner)

    page = text_of(client.get(url("apply", procurement.pk)))
    assert anchor.name_en in page and sme.name_en in page

    missing = client.post(url("apply", procurement.pk), {})
    foreign = client.post(url("apply", procurement.pk), {"enterprise": stranger.pk})
    chosen = client.post(url("apply", procurement.pk), {"enterprise": sme.pk})

    assert "This field is required." in text_of(missing)
    assert "Choose one of your enterprises." in text_of(foreign)
    assert chosen.status_code == 302
    assert Application.objects.get().applicant == sme


def test_a_user_without_enterprise_is_told_to_register_one(client, procurement):
    client.force_login(UserFactory())

    response = client.get(url("apply", procurement.pk))
    post = client.post(url("apply", procurement.pk), {"enterprise": "1"})

    assert "Register your enterprise first" in text_of(response)
    assert f'href="{reverse("directory:register")}"' in response.content.decode()
    assert post.status_code == 200
    assert not Application.objects.exists()


def test_a_closed_programme_takes_no_application(member, anchor):
    today = timezone.localdate()
    closed = ProgrammeFactory(
        opens_on=today - datetime.timedelta(days=60), closes_on=today - datetime.timedelta(days=1)
    )

    response = member.post(url("apply", closed.pk), {"enterprise": anchor.pk})

    assert "it takes no more applications" in text_of(response)
    assert not Application.objects.exists()


# --- my applications ----------------------------------------------------------------------------


def test_my_applications_lists_those_of_all_my_enterprises_only(client, anchor, sme, submitted):
    MembershipFactory(user=anchor.owner, enterprise=sme)
    of_sme = ApplicationFactory(applicant=sme)
    foreign = ApplicationFactory()
    client.force_login(anchor.owner)

    response = client.get(url("applications"))

    page = response.content.decode()
    assert f'href="{url("application", submitted.pk)}"' in page
    assert f'href="{url("application", of_sme.pk)}"' in page
    assert f'href="{url("application", foreign.pk)}"' not in page
    assert "19,500.03" in text_of(response)  # 5 % of 390,000.50, computed at submission
    assert "Submitted" in text_of(response)


def test_my_applications_filters_by_status_and_has_an_empty_state(member, anchor, submitted):
    ApplicationFactory(applicant=anchor)

    drafts = member.get(url("applications"), {"status": "draft"})
    rejected = member.get(url("applications"), {"status": "rejected"})

    assert f'href="{url("application", submitted.pk)}"' not in drafts.content.decode()
    assert "1 application" in text_of(drafts)
    assert "No application in this status" in text_of(rejected)


def test_my_applications_says_when_there_are_none(member):
    assert "You have no applications yet" in text_of(member.get(url("applications")))


def test_my_applications_takes_a_fixed_number_of_queries(
    member, anchor, django_assert_max_num_queries
):
    for kind in ("local_procurement", "rd_fund", "standards_reward"):
        for _ in range(3):
            ApplicationFactory(applicant=anchor, programme=ProgrammeFactory(kind=kind))

    # session, user, count, the page (with programme and applicant)
    with django_assert_max_num_queries(4):
        response = member.get(url("applications"))
    assert "9 applications" in text_of(response)
