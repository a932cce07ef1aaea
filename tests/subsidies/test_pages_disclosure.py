"""Public disclosure: published awards, their filters and download, the largest recipients, and
notices that anyone may read and a logged-in user may object to within the period.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from subsidies.models import Application, Objection, Recovery
from subsidies.services.approvals import application_approve
from subsidies.services.drafting import application_create
from subsidies.services.notices_and_objections import (
    notice_publish,
    objection_lodge,
    objection_resolve,
)
from subsidies.services.reviews import application_start_review
from subsidies.services.submission import application_submit
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.subsidies.pages_support import S, text_of, url

pytestmark = pytest.mark.django_db


def approve(application, official):
    application_start_review(actor=official, application=application)
    return application_approve(actor=official, application=application)


@pytest.fixture
def approved(submitted, official):
    return approve(submitted, official)


@pytest.fixture
def in_notice(approved, official):
    notice = notice_publish(actor=official, programme=approved.programme)
    approved.refresh_from_db()
    approved.notice = notice
    return approved


# --- public disclosure --------------------------------------------------------------------------


def test_awards_are_published_with_recipient_amount_and_date(client, anchor, approved, draft):
    ApplicationFactory()  # a draft elsewhere: never shown

    response = client.get(url("awards"))

    page = text_of(response)
    assert anchor.name_en in page
    assert "19,500.03" in page
    assert f"{timezone.localtime(approved.decided_at):%Y-%m-%d}" in page
    assert "1 award" in page


def test_awards_can_be_filtered_by_programme_and_year(client, approved):
    other = ProgrammeFactory()

    same = client.get(url("awards"), {"programme": approved.programme_id})
    elsewhere = client.get(url("awards"), {"programme": other.pk})
    old = client.get(url("awards"), {"year": 2001})
    bad = client.get(url("awards"), {"year": "soon"})

    assert "19,500.03" in text_of(same)
    assert "No approved award matches the filter." in text_of(elsewhere)
    assert "No approved award matches the filter." in text_of(old)
    assert bad.status_code == 400
    assert "Enter a whole number." in text_of(bad)


def test_awards_download_as_csv(client, anchor, approved):
    response = client.get(url("awards_csv"))

    content = response.content.decode("utf-8-sig")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert content.splitlines()[0].startswith("Programme,Year,Recipient,USCC,Amount (CNY)")
    assert f"{anchor.uscc},19500.03" in content


def test_largest_recipients_are_shown_net_of_recoveries(client, anchor, approved, official):
    Recovery.objects.create(
        application=approved,
        reason="relocation",
        basis="Half, pro rata",
        amount_cny=Decimal("9750.00"),
        repaid_cny=Decimal("9750.00"),
        status="repaid",
    )

    page = text_of(client.get(url("awards")))

    recipients = page.split("Largest recipients")[1]
    assert anchor.name_en in recipients
    assert "9,750.00" in recipients and "9,750.03" in recipients  # net of the repayment


def test_the_awards_page_says_when_there_are_none(client):
    assert "No award has been approved yet." in text_of(client.get(url("awards")))


def test_the_awards_page_takes_a_fixed_number_of_queries(
    client, official, django_assert_max_num_queries
):
    programme = ProgrammeFactory(kind="national_matching")
    for n in range(5):
        applicant = EnterpriseFactory()
        owner = UserFactory()
        MembershipFactory(user=owner, enterprise=applicant)
        application = application_create(
            actor=owner,
            programme=programme,
            applicant=applicant,
            data={
                "project_name": f"Project {n}",
                "approving_ministry": "MIIT",
                "document_number": f"MIIT-2026-{n}",
                "total_investment_cny": Decimal("1000000"),
            },
        )
        application_submit(actor=owner, application=application)
        approve(application, official)

    # programme choices, count, the page of awards, the largest recipients
    with django_assert_max_num_queries(4):
        response = client.get(url("awards"))
    assert "5 awards" in text_of(response)


def test_notices_list_their_awards_and_objections(client, in_notice):
    response = client.get(url("notices"))

    page = text_of(response)
    assert "Open for objections" in page
    assert "19,500.03" in page
    assert f'href="{url("notice", in_notice.notice.pk)}"' in response.content.decode()


def test_the_notices_page_takes_a_fixed_number_of_queries(
    client, official, django_assert_max_num_queries
):
    for _ in range(4):
        programme = ProgrammeFactory(kind="standards_reward")
        owner = UserFactory()
        applicant = EnterpriseFactory()
        MembershipFactory(user=owner, enterprise=applicant)
        application = ApplicationFactory(
            programme=programme,
            applicant=applicant,
            status=S.UNDER_REVIEW,
            computed_amount_cny=Decimal("500000.00"),
        )
        application_approve(actor=official, application=application)
        notice_publish(actor=official, programme=programme)

    # count, the page of notices with their figures
    with django_assert_max_num_queries(2):
        response = client.get(url("notices"))
    assert text_of(response).count("Open for objections") == 4


def test_the_notice_page_takes_a_fixed_number_of_queries(
    client, official, django_assert_max_num_queries
):
    programme = ProgrammeFactory(kind="standards_reward")
    for _ in range(4):
        ApplicationFactory(
            programme=programme,
            status=S.UNDER_REVIEW,
            computed_amount_cny=Decimal("500000.00"),
        )
    for application in Application.objects.all():
        application_approve(actor=official, application=application)
    notice = notice_publish(actor=official, programme=programme)
    for application in Application.objects.all():
        objection_lodge(
            actor=official,
            application=application,
            author_name="Wei Li",
            organisation="Rival Co.",
            reason="Doubtful.",
        )

    # the notice, its awards (with recipients), its objections
    with django_assert_max_num_queries(3):
        response = client.get(url("notice", notice.pk))
    assert text_of(response).count("Doubtful.") == 4
    assert "2,000,000.00 CNY" in text_of(response)


def test_the_notices_page_says_when_there_are_none(client):
    assert "No notice published yet" in text_of(client.get(url("notices")))


def test_anonymous_visitors_see_the_notice_and_are_asked_to_log_in_to_object(client, in_notice):
    response = client.get(url("notice", in_notice.notice.pk))

    page = text_of(response)
    assert "19,500.03" in page
    assert "Log in to object" in page
    assert 'name="reason"' not in response.content.decode()
    post = client.post(url("notice", in_notice.notice.pk), {"reason": "x"})
    assert post.status_code == 302
    assert post["Location"].startswith(reverse("login"))
    assert not Objection.objects.exists()


def test_a_logged_in_user_objects_to_an_award_signed_with_name_and_organisation(
    client, sme, in_notice
):
    sme.owner.first_name, sme.owner.last_name = "Wei", "Li"
    sme.owner.save()
    client.force_login(sme.owner)
    notice_url = url("notice", in_notice.notice.pk)

    form = client.get(notice_url, {"award": in_notice.pk}).context["form"]
    assert form.initial["author_name"] == "Wei Li"
    assert form.initial["organisation"] == sme.name_zh

    blank = client.post(
        notice_url,
        {"application": in_notice.pk, "author_name": "Wei Li", "organisation": "X", "reason": ""},
    )
    assert "reason" in blank.context["form"].errors

    response = client.post(
        notice_url,
        {
            "application": in_notice.pk,
            "author_name": "Wei Li",
            "organisation": sme.name_zh,
            "reason": "The invoices were issued to another firm.",
        },
    )

    objection = Objection.objects.get()
    assert response.status_code == 302
    assert (objection.application, objection.author, objection.author_name) == (
        in_notice,
        sme.owner,
        "Wei Li",
    )
    page = text_of(client.get(notice_url))
    assert "The invoices were issued to another firm." in page
    assert "by Wei Li" in page


def test_after_the_period_objections_stay_public_and_no_new_one_is_taken(
    client, sme, in_notice, official
):
    objection_lodge(
        actor=sme.owner,
        application=in_notice,
        author_name="Wei Li",
        organisation="Rival Co.",
        reason="Doubtful.",
    )
    objection = Objection.objects.get()
    objection_resolve(
        actor=official, objection=objection, upheld=True, resolution="Invoices were re-issued."
    )
    notice = in_notice.notice
    type(notice).objects.filter(pk=notice.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=10),
        ends_at=timezone.now() - datetime.timedelta(days=3),
    )
    client.force_login(sme.owner)

    response = client.get(url("notice", notice.pk))
    post = client.post(url("notice", notice.pk), {"application": in_notice.pk, "reason": "x"})

    page = text_of(response)
    assert "The notice period ended" in page
    assert "Doubtful." in page
    assert "Invoices were re-issued." in page
    assert "Upheld" in page
    assert "Lodge the objection" not in page
    assert post.status_code == 302
    assert Objection.objects.count() == 1


def test_unknown_notice_is_404(client):
    assert client.get(url("notice", 999)).status_code == 404
