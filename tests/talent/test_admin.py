"""The officials' side of the talent programme in the Django admin.

Officials set the scholarship funds and record overseas experts through forms that call the
services; they review, award and close through actions on the applications. What the
universities and enterprises manage is read-only here, and the record cannot be touched.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import constants as message_levels
from django.urls import reverse
from django.utils import timezone

from talent import services
from talent.models import (
    OverseasExpert,
    ScholarshipApplication,
    ScholarshipFund,
    ScholarshipReview,
    ScholarshipStatus,
    TalentEvent,
)
from tests.admin_support import act, messages_of
from tests.factories import (
    ScholarshipFundFactory,
    StudentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FUNDS = reverse("admin:talent_scholarshipfund_changelist")
FUND_ADD = reverse("admin:talent_scholarshipfund_add")
APPLICATIONS = reverse("admin:talent_scholarshipapplication_changelist")
EXPERTS = reverse("admin:talent_overseasexpert_changelist")
EXPERT_ADD = reverse("admin:talent_overseasexpert_add")
READ_ONLY = ["studyprogramme", "trainingbase", "student", "internship", "graduate", "talentevent"]
THIS_YEAR = timezone.localdate().year


def changelist(model: str) -> str:
    return reverse(f"admin:talent_{model}_changelist")


@pytest.fixture
def official_client(client, official):
    client.force_login(official)
    return client


def applicant(university, username: str, fund, **fields) -> ScholarshipApplication:
    """A student who applied with their own login."""
    student = StudentFactory(university=university, name=fields.pop("name", username))
    student.user = UserFactory(username=username)
    student.save(update_fields=["user"])
    return services.scholarship_apply(
        actor=student.user,
        fund=fund,
        data={"grade_average": Decimal("88.5"), "statement": "Halide electrolytes.", **fields},
    )


def reviewed(application, score: int, reviewer, **fields) -> ScholarshipApplication:
    services.scholarship_review(actor=reviewer, application=application, score=score, **fields)
    return application


def statuses(*applications) -> list[str]:
    return [
        ScholarshipApplication.objects.get(pk=application.pk).status for application in applications
    ]


def fund_form(**fields) -> dict:
    return {
        "year": THIS_YEAR + 1,
        "award_cny": "20000.00",
        "awards": "50",
        "industry_contribution_cny": "600000.00",
        "government_contribution_cny": "400000.00",
        "opens_on": f"{THIS_YEAR + 1}-03-01",
        "closes_on": f"{THIS_YEAR + 1}-04-30",
        **fields,
    }


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model", ["scholarshipfund", "scholarshipapplication", "overseasexpert", *READ_ONLY]
)
def test_an_official_sees_every_talent_list(official_client, model):
    assert official_client.get(changelist(model)).status_code == 200


@pytest.mark.parametrize("model", ["scholarshipfund", "student", "talentevent"])
def test_an_enterprise_user_cannot_reach_the_talent_admin(client, sme, model):
    client.force_login(sme.owner)

    response = client.get(changelist(model))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", READ_ONLY)
def test_what_universities_manage_is_read_only_here(client, model):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    assert client.get(reverse(f"admin:talent_{model}_add")).status_code == 403


def test_a_student_page_cannot_be_changed_or_deleted(client, university):
    student = StudentFactory(university=university, name="王芳")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = reverse("admin:talent_student_change", args=[student.pk])

    shown = client.get(page)
    posted = client.post(page, {"name": "Changed"})
    deleted = client.post(
        reverse("admin:talent_student_delete", args=[student.pk]), {"post": "yes"}
    )

    assert shown.status_code == 200
    assert "王芳" in shown.content.decode()
    assert posted.status_code == 403
    assert deleted.status_code == 403
    student.refresh_from_db()
    assert student.name == "王芳"


# --- funds --------------------------------------------------------------------------------


def test_an_official_sets_a_fund_through_the_service(official_client, official):
    response = official_client.post(FUND_ADD, fund_form())

    assert response.status_code == 302, response.context["adminform"].form.errors
    fund = ScholarshipFund.objects.get(year=THIS_YEAR + 1)
    assert fund.industry_contribution_cny == Decimal("600000.00")
    event = TalentEvent.objects.get(action="fund_saved")
    assert (event.actor, event.subject_id, event.data) == (
        official,
        fund.pk,
        {"needed_cny": "1000000.00"},
    )


def test_a_fund_whose_contributions_are_short_is_refused_with_the_figures(official_client):
    response = official_client.post(
        FUND_ADD, fund_form(industry_contribution_cny="500000.00", awards="55")
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["industry_contribution_cny"] == [
        "Industry and government give 900,000.00 CNY; 55 awards of 20,000.00 CNY need "
        "1,100,000.00 CNY."
    ]
    assert not ScholarshipFund.objects.exists()
    assert not TalentEvent.objects.exists()


def test_a_change_that_leaves_the_fund_short_is_refused(official_client):
    fund = ScholarshipFundFactory()
    page = reverse("admin:talent_scholarshipfund_change", args=[fund.pk])
    form = fund_form(
        year=fund.year,
        awards="60",
        industry_contribution_cny="500000.00",
        government_contribution_cny="500000.00",
        opens_on=fund.opens_on.isoformat(),
        closes_on=fund.closes_on.isoformat(),
    )

    refused = official_client.post(page, form)
    accepted = official_client.post(page, {**form, "government_contribution_cny": "700000.00"})

    assert (
        "1,200,000.00" in refused.context["adminform"].form.errors["industry_contribution_cny"][0]
    )
    assert accepted.status_code == 302
    fund.refresh_from_db()
    assert (fund.awards, fund.government_contribution_cny) == (60, Decimal("700000.00"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"closes_on": f"{THIS_YEAR + 1}-02-01"}, "closes_on"),
        ({"award_cny": "-1"}, "award_cny"),
        ({"awards": "-5"}, "awards"),
        ({"year": "1999"}, "year"),
        ({"industry_contribution_cny": "lots"}, "industry_contribution_cny"),
    ],
)
def test_bad_fund_figures_are_refused_on_their_field(official_client, change, field):
    response = official_client.post(FUND_ADD, fund_form(**change))

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not ScholarshipFund.objects.exists()


def test_a_year_has_one_fund(official_client):
    ScholarshipFundFactory(year=THIS_YEAR + 1)

    response = official_client.post(FUND_ADD, fund_form())

    assert "year" in response.context["adminform"].form.errors
    assert ScholarshipFund.objects.count() == 1


def test_the_fund_list_shows_f_and_the_awards_made(official_client, official, university):
    fund = ScholarshipFundFactory(awards=50)
    for name in ("a", "b"):
        application = reviewed(applicant(university, name, fund), 80, official)
        services.scholarships_award(actor=official, fund=fund, application_ids=[application.pk])
    applicant(university, "c", fund)

    response = official_client.get(FUNDS)

    row = response.context["cl"].result_list[0]
    assert row.awarded_count == 2
    content = response.content.decode()
    assert "1,000,000.00" in content
    assert f"fund__id__exact={fund.pk}" in content


def test_the_fund_page_ranks_its_applications_by_average_score(
    official_client, official, university
):
    fund = ScholarshipFundFactory()
    second_reviewer = UserFactory(username="second-official", is_staff=True)
    second_reviewer.groups.add(*official.groups.all())
    reviewed(applicant(university, "low", fund, name="Low Li"), 60, official)
    high = reviewed(applicant(university, "high", fund, name="High Han"), 95, official)
    reviewed(high, 85, second_reviewer)
    applicant(university, "none", fund, name="None Ning")

    content = official_client.get(
        reverse("admin:talent_scholarshipfund_change", args=[fund.pk])
    ).content.decode()

    assert content.index("High Han") < content.index("Low Li") < content.index("None Ning")
    assert "90.0" in content


# --- applications -------------------------------------------------------------------------


def test_the_application_list_is_ranked_by_average_score(official_client, official, university):
    fund = ScholarshipFundFactory()
    low = reviewed(applicant(university, "low", fund), 60, official)
    high = reviewed(applicant(university, "high", fund), 95, official)
    waiting = applicant(university, "waiting", fund)

    response = official_client.get(APPLICATIONS, {"fund__id__exact": fund.pk})

    assert [a.pk for a in response.context["cl"].result_list] == [high.pk, low.pk, waiting.pk]
    not_reviewed = official_client.get(APPLICATIONS, {"reviewed": "no"})
    assert [a.pk for a in not_reviewed.context["cl"].result_list] == [waiting.pk]


def test_an_official_reviews_through_the_form(official_client, official, university):
    fund = ScholarshipFundFactory()
    application = applicant(university, "li", fund)

    form_page = act(official_client, APPLICATIONS, "review", [application])
    done = act(official_client, APPLICATIONS, "review", [application], score="82", comment="Strong")

    assert form_page.status_code == 200
    assert "score" in form_page.context["form"].fields
    review = ScholarshipReview.objects.get()
    assert (review.reviewer, review.score, review.comment) == (official, 82, "Strong")
    assert review.progress_satisfactory is None
    assert messages_of(done) == [(message_levels.SUCCESS, f"Reviewed: {application}.")]


@pytest.mark.parametrize("score", ["101", "-1", "good", ""])
def test_a_bad_score_is_asked_again(official_client, university, score):
    application = applicant(university, "li", ScholarshipFundFactory())

    response = act(official_client, APPLICATIONS, "review", [application], score=score)

    assert response.status_code == 200
    assert "score" in response.context["form"].errors
    assert not ScholarshipReview.objects.exists()


def renewal(university, fund, username: str = "renewing") -> ScholarshipApplication:
    """A student awarded last year who applies again with their progress report."""
    last_year = ScholarshipFund.objects.filter(year=fund.year - 1).first() or (
        ScholarshipFundFactory(
            year=fund.year - 1,
            opens_on=datetime.date(fund.year - 1, 3, 1),
            closes_on=datetime.date(fund.year - 1, 4, 1),
        )
    )
    student = StudentFactory(university=university, name=username)
    student.user = UserFactory(username=username)
    student.save(update_fields=["user"])
    award = ScholarshipApplication.objects.create(
        fund=last_year,
        student=student,
        degree="master",
        field="Materials",
        grade_average=Decimal("90"),
        statement="…",
        status=ScholarshipStatus.AWARDED,
    )
    return services.scholarship_apply(
        actor=student.user,
        fund=fund,
        data={
            "grade_average": Decimal("91"),
            "statement": "Year two.",
            "renewal_of": award,
            "progress_report": "Two papers and a patent filing.",
        },
    )


def test_a_renewal_review_must_judge_the_progress(official_client, university):
    application = renewal(university, ScholarshipFundFactory())

    refused = act(official_client, APPLICATIONS, "review", [application], score="80")
    judged = act(
        official_client,
        APPLICATIONS,
        "review",
        [application],
        score="80",
        progress_satisfactory="yes",
    )

    assert messages_of(refused) == [
        (message_levels.ERROR, f"{application}: Say whether the progress justifies renewal.")
    ]
    assert messages_of(judged)[0][0] == message_levels.SUCCESS
    assert ScholarshipReview.objects.get().progress_satisfactory is True


def test_awards_never_pass_the_number_of_awards(official_client, official, university):
    fund = ScholarshipFundFactory(
        awards=2,
        award_cny=Decimal("20000"),
        industry_contribution_cny=Decimal("20000"),
        government_contribution_cny=Decimal("20000"),
    )
    first, second, third = (
        reviewed(applicant(university, name, fund), 80, official) for name in ("a", "b", "c")
    )

    confirm = act(official_client, APPLICATIONS, "award", [first, second, third])
    too_many = act(official_client, APPLICATIONS, "award", [first, second, third], post="yes")
    two = act(official_client, APPLICATIONS, "award", [first, second], post="yes")
    one_more = act(official_client, APPLICATIONS, "award", [third], post="yes")

    assert confirm.status_code == 200
    assert messages_of(too_many) == [(message_levels.ERROR, "The fund has 2 awards; 2 remain.")]
    assert messages_of(two)[0][0] == message_levels.SUCCESS
    assert messages_of(one_more) == [(message_levels.ERROR, "The fund has 2 awards; 0 remain.")]
    assert statuses(first, second, third) == ["awarded", "awarded", "submitted"]


def test_an_application_without_a_review_is_not_awarded(official_client, university):
    application = applicant(university, "li", ScholarshipFundFactory())

    response = act(official_client, APPLICATIONS, "award", [application], post="yes")

    assert messages_of(response) == [
        (message_levels.ERROR, f"{application.student} has no review yet.")
    ]
    assert statuses(application) == ["submitted"]


def test_a_renewal_without_satisfactory_progress_is_not_awarded(
    official_client, official, university
):
    fund = ScholarshipFundFactory()
    refused = reviewed(renewal(university, fund), 90, official, progress_satisfactory=False)
    renewed = reviewed(
        renewal(university, ScholarshipFundFactory(year=fund.year + 1), "renewing-2"),
        90,
        official,
        progress_satisfactory=True,
    )

    no = act(official_client, APPLICATIONS, "award", [refused], post="yes")
    yes = act(official_client, APPLICATIONS, "award", [renewed], post="yes")

    assert messages_of(no) == [
        (
            message_levels.ERROR,
            f"{refused.student}: the progress was not found satisfactory; no renewal.",
        )
    ]
    assert messages_of(yes)[0][0] == message_levels.SUCCESS
    assert statuses(refused, renewed) == ["submitted", "awarded"]


def test_awards_are_made_one_fund_at_a_time(official_client, official, university):
    this = reviewed(applicant(university, "a", ScholarshipFundFactory()), 80, official)
    other_fund = ScholarshipFundFactory(year=THIS_YEAR + 1)
    other = reviewed(applicant(university, "b", other_fund), 80, official)

    response = act(official_client, APPLICATIONS, "award", [this, other], post="yes")

    assert messages_of(response) == [
        (message_levels.ERROR, "Choose the applications of one fund at a time.")
    ]
    assert statuses(this, other) == ["submitted", "submitted"]


def test_closing_the_fund_turns_the_rest_down(official_client, official, university):
    fund = ScholarshipFundFactory()
    awarded = reviewed(applicant(university, "a", fund), 80, official)
    services.scholarships_award(actor=official, fund=fund, application_ids=[awarded.pk])
    waiting = applicant(university, "b", fund)
    withdrawn = applicant(university, "c", fund)
    services.scholarship_withdraw(actor=withdrawn.student.user, application=withdrawn)

    response = act(official_client, APPLICATIONS, "close_fund", [waiting], post="yes")

    assert messages_of(response) == [
        (message_levels.SUCCESS, f"Fund {fund.year} closed: 1 application not awarded.")
    ]
    assert statuses(awarded, waiting, withdrawn) == ["awarded", "not_awarded", "withdrawn"]


def test_the_fund_list_closes_a_fund_too(official_client, university):
    fund = ScholarshipFundFactory()
    waiting = applicant(university, "a", fund)

    response = act(official_client, FUNDS, "close_fund", [fund], post="yes")

    assert messages_of(response)[0][0] == message_levels.SUCCESS
    assert statuses(waiting) == ["not_awarded"]


def test_a_staff_user_who_is_not_an_official_cannot_decide(client, university):
    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="talent",
            codename__in=["view_scholarshipapplication", "change_scholarshipapplication"],
        )
    )
    client.force_login(clerk)
    application = applicant(university, "li", ScholarshipFundFactory())

    response = act(client, APPLICATIONS, "review", [application], score="80")

    assert messages_of(response) == [
        (message_levels.ERROR, f"{application}: Only officials may do this.")
    ]
    assert not ScholarshipReview.objects.exists()


def test_an_application_page_is_read_only_with_its_decisions_as_buttons(
    official_client, official, university
):
    application = reviewed(applicant(university, "li", ScholarshipFundFactory()), 77, official)
    page = reverse("admin:talent_scholarshipapplication_change", args=[application.pk])

    shown = official_client.get(page)
    posted = official_client.post(page, {"status": "awarded"})

    content = shown.content.decode()
    assert shown.status_code == 200
    assert 'value="review"' in content and 'value="award"' in content
    assert "77" in content
    assert posted.status_code == 403
    assert statuses(application) == ["submitted"]


def test_the_application_list_queries_do_not_grow_with_the_rows(
    official_client, official, university, django_assert_max_num_queries
):
    fund = ScholarshipFundFactory()
    for index in range(6):
        reviewed(applicant(university, f"s{index}", fund), 70 + index, official)

    # session, user, the fund filter's choices, count (filtered and total), page (fund,
    # student, university joined; scores annotated), the actions' permission checks
    with django_assert_max_num_queries(10):
        response = official_client.get(APPLICATIONS)

    assert response.context["cl"].result_count == 6


# --- overseas experts ---------------------------------------------------------------------


def expert_form(host, **fields) -> dict:
    return {
        "host": host.pk,
        "name": "Dr. Jane Doe",
        "country": "Germany",
        "field": "Sulfide electrolytes",
        "years_experience": "12",
        "status": "contacted",
        "signed_on": "",
        "base_salary_cny": "600000",
        "housing_benefit_cny": "120000",
        "benefits": "Flights home: 30000\nChildren's school：50,000.50\n",
        "school_priority": "on",
        **fields,
    }


def test_an_official_records_an_expert_and_the_total_is_computed(official_client, official, sme):
    response = official_client.post(EXPERT_ADD, expert_form(sme))

    assert response.status_code == 302, response.context["adminform"].form.errors
    expert = OverseasExpert.objects.get()
    assert expert.total_package_cny == Decimal("800000.50")
    assert list(expert.benefits.values_list("label", "amount_cny")) == [
        ("Flights home", Decimal("30000.00")),
        ("Children's school", Decimal("50000.50")),
    ]
    assert TalentEvent.objects.get(action="expert_saved").actor == official
    assert "800,000.50" in official_client.get(EXPERTS).content.decode()


def test_changing_an_expert_computes_the_total_again(official_client, sme):
    official_client.post(EXPERT_ADD, expert_form(sme))
    expert = OverseasExpert.objects.get()
    page = reverse("admin:talent_overseasexpert_change", args=[expert.pk])

    shown = official_client.get(page)
    changed = official_client.post(
        page,
        {
            **expert_form(sme, status="signed", signed_on=f"{THIS_YEAR}-02-01"),
            "benefits": "Flights home: 30000",
        },
    )

    assert "Flights home: 30000.00" in shown.content.decode()
    assert "800,000.50" in shown.content.decode()
    assert changed.status_code == 302, changed.context["adminform"].form.errors
    expert.refresh_from_db()
    assert (expert.status, expert.total_package_cny) == ("signed", Decimal("750000.00"))
    assert expert.benefits.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "signed"}, "signed_on"),
        ({"benefits": "Flights home"}, "benefits"),
        ({"benefits": "Flights: -5"}, "benefits"),
        ({"benefits": "Flights: 1.005"}, "benefits"),
        ({"benefits": "Flights: 1e40"}, "benefits"),
        ({"benefits": "Flights: NaN"}, "benefits"),
        ({"years_experience": "4"}, "years_experience"),
        ({"base_salary_cny": "-1"}, "base_salary_cny"),
    ],
)
def test_a_bad_expert_record_is_refused_on_its_field(official_client, sme, change, field):
    response = official_client.post(EXPERT_ADD, expert_form(sme, **change))

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not OverseasExpert.objects.exists()
