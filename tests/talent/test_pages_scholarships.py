"""Scholarships on the talent pages: a student applies, withdraws and renews; bad, repeated or
closed applications are refused with the reason.
"""

import datetime

import pytest

from talent.models import ScholarshipApplication, ScholarshipStatus
from tests.factories import ScholarshipFundFactory, UserFactory
from tests.talent import pages_support
from tests.talent.pages_support import THIS_YEAR, text_of, url

pytestmark = pytest.mark.django_db


# The page tests' own fixtures, bound here rather than in the conftest: other test modules of
# this folder build fixtures of the same names differently.
student = pages_support.student


# --- scholarships -----------------------------------------------------------------------------


def apply_data(**changes) -> dict:
    return {
        "degree": "master",
        "field": "Electrochemistry",
        "grade_average": "91.5",
        "statement": "I work on sulfide electrolytes.",
        **changes,
    }


def test_a_student_applies_and_withdraws(client, student):
    fund = ScholarshipFundFactory()
    client.force_login(student.user)

    page = client.get(url("scholarships"))
    applied = client.post(url("scholarship_apply", fund.pk), apply_data(), follow=True)
    application = ScholarshipApplication.objects.get()
    withdrawn = client.post(url("scholarship_withdraw", application.pk), follow=True)

    application.refresh_from_db()
    assert url("scholarship_apply", fund.pk) in page.content.decode()
    assert f"Your application to the {fund.year} scholarships is submitted." in text_of(applied)
    assert application.student == student
    assert application.status == ScholarshipStatus.WITHDRAWN
    assert "Your application is withdrawn." in text_of(withdrawn)
    assert "Withdrawn" in text_of(withdrawn)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"grade_average": "120"}, "grade_average", "less than or equal to 100"),
        ({"statement": ""}, "statement", "This field is required."),
    ],
)
def test_a_bad_application_is_refused_on_its_field(client, student, changes, field, message):
    fund = ScholarshipFundFactory()
    client.force_login(student.user)

    response = client.post(url("scholarship_apply", fund.pk), apply_data(**changes))

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not ScholarshipApplication.objects.exists()


def test_applying_twice_to_a_fund_is_refused(client, student):
    fund = ScholarshipFundFactory()
    client.force_login(student.user)
    client.post(url("scholarship_apply", fund.pk), apply_data())

    again = client.post(url("scholarship_apply", fund.pk), apply_data())

    assert again.status_code == 400
    assert "You have applied to this year's fund already." in text_of(again)
    assert ScholarshipApplication.objects.count() == 1


def test_a_renewal_names_last_years_award_and_reports_progress(client, student):
    last_year = ScholarshipFundFactory(
        year=THIS_YEAR - 1,
        opens_on=datetime.date(THIS_YEAR - 1, 3, 1),
        closes_on=datetime.date(THIS_YEAR - 1, 4, 1),
    )
    award = ScholarshipApplication.objects.create(
        fund=last_year, student=student, degree="master", field="x", grade_average=90,
        statement="s", status=ScholarshipStatus.AWARDED,
    )  # fmt: skip
    fund = ScholarshipFundFactory()
    client.force_login(student.user)

    missing = client.post(url("scholarship_apply", fund.pk), apply_data(renewal_of=award.pk))
    renewed = client.post(
        url("scholarship_apply", fund.pk),
        apply_data(renewal_of=award.pk, progress_report="Two papers, one patent."),
    )

    assert missing.context["form"].errors["progress_report"] == [
        "Report your progress since the award."
    ]
    assert renewed.status_code == 302
    assert ScholarshipApplication.objects.get(fund=fund).renewal_of == award


def test_a_user_without_a_student_record_is_told_to_ask_the_university(client):
    user = UserFactory(username="no-record", email="someone@example.com")
    fund = ScholarshipFundFactory()
    client.force_login(user)

    page = client.get(url("scholarships"))
    apply = client.get(url("scholarship_apply", fund.pk))

    assert "Ask your university's staff to link your account" in text_of(page)
    assert "someone@example.com" in text_of(page)
    assert apply.status_code == 302


def test_a_closed_fund_answers_404(client, student):
    fund = ScholarshipFundFactory(
        year=THIS_YEAR - 1,
        opens_on=datetime.date(THIS_YEAR - 1, 3, 1),
        closes_on=datetime.date(THIS_YEAR - 1, 4, 1),
    )
    client.force_login(student.user)

    assert client.get(url("scholarship_apply", fund.pk)).status_code == 404


def test_the_scholarships_page_takes_a_fixed_number_of_queries(
    client, student, django_assert_max_num_queries
):
    for years_ago in range(1, 5):
        year = THIS_YEAR - years_ago
        fund = ScholarshipFundFactory(
            year=year, opens_on=datetime.date(year, 3, 1), closes_on=datetime.date(year, 4, 1)
        )
        ScholarshipApplication.objects.create(
            fund=fund, student=student, degree="master", field="x", grade_average=90,
            statement="s", status=ScholarshipStatus.AWARDED,
        )  # fmt: skip
    ScholarshipFundFactory()
    client.force_login(student.user)

    # session, user, the student (official check, student), applications (official check,
    # applications with funds), open funds
    with django_assert_max_num_queries(7):
        response = client.get(url("scholarships"))

    assert len(response.context["applications"]) == 4
    assert len(response.context["funds"]) == 1
