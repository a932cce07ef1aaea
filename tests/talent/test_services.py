"""The talent programme's rules, proved through the services people's actions call."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from talent import selectors, services
from talent.models import (
    InternshipStatus,
    ScholarshipApplication,
    ScholarshipFund,
    ScholarshipStatus,
)
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    ScholarshipFundFactory,
    StudentFactory,
    UniversityFactory,
    UserFactory,
    outside_district,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(university):
    student = StudentFactory(university=university)
    student.user = UserFactory(username="student")
    student.save(update_fields=["user"])
    return student


def _graduate(number, destination, employer=None, degree="master"):
    return {
        "student_number": number,
        "degree": degree,
        "field": "Electrochemistry",
        "destination": destination,
        "employer": employer,
    }


# --- universities and students ----------------------------------------------------------------


def test_only_the_universitys_staff_add_its_students(university, sme):
    data = {
        "student_number": "2026001",
        "name": "王芳",
        "degree": "master",
        "field": "Materials",
        "expected_graduation_year": 2027,
    }
    with pytest.raises(PermissionDenied):
        services.student_add(actor=sme.owner, university=university, data=data)
    services.student_add(actor=university.staff, university=university, data=data)
    with pytest.raises(ValidationError) as error:
        services.student_add(actor=university.staff, university=university, data=data)
    assert "student_number" in error.value.message_dict


def test_a_university_cannot_see_another_universitys_students(university, student):
    other = UniversityFactory()
    staff = UserFactory(username="other-registrar")
    MembershipFactory(user=staff, enterprise=other)
    StudentFactory(university=other)
    assert list(selectors.students_visible_to(university.staff)) == [student]
    assert student not in selectors.students_visible_to(staff)
    assert list(selectors.students_visible_to(student.user)) == [student]


# --- internships ------------------------------------------------------------------------------


def test_the_host_confirms_an_internship_and_confirms_a_hire(university, student, anchor):
    today = timezone.localdate()
    internship = services.internship_offer(
        actor=university.staff,
        student=student,
        host=anchor,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=90),
    )
    with pytest.raises(PermissionDenied):
        services.internship_move(
            actor=university.staff, internship=internship, to_status=InternshipStatus.ONGOING
        )
    internship = services.internship_move(
        actor=anchor.owner, internship=internship, to_status=InternshipStatus.ONGOING
    )
    assert internship.host_confirmed_at is not None
    with pytest.raises(PermissionDenied):
        services.internship_move(
            actor=university.staff, internship=internship, to_status="completed", outcome="hired"
        )
    with pytest.raises(ValidationError) as error:
        services.internship_move(actor=anchor.owner, internship=internship, to_status="completed")
    assert "outcome" in error.value.message_dict
    internship = services.internship_move(
        actor=anchor.owner, internship=internship, to_status="completed", outcome="hired"
    )
    assert (internship.status, internship.outcome) == ("completed", "hired")
    with pytest.raises(ValidationError, match="cannot become"):
        services.internship_move(actor=anchor.owner, internship=internship, to_status="cancelled")


def test_an_internship_cannot_end_before_it_starts(university, student, anchor):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.internship_offer(
            actor=university.staff,
            student=student,
            host=anchor,
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
        )
    assert "ends_on" in error.value.message_dict


# --- graduates and retention ------------------------------------------------------------------


def test_graduate_reports_give_p_retain_and_resending_changes_nothing(university, anchor):
    rows = [
        _graduate("G1", "local_ssb", anchor),
        _graduate("G2", "local_ssb", anchor),
        _graduate("G3", "outside"),
        _graduate("G4", "city_other"),
        _graduate("G5", "local_ssb", anchor),
    ]
    assert services.graduates_import(
        actor=university.staff, university=university, year=2026, rows=rows
    ) == (5, 0)
    assert services.graduates_import(
        actor=university.staff, university=university, year=2026, rows=rows
    ) == (0, 0)
    [row] = selectors.retention_by_university(2026)
    assert (row["graduates"], row["retained"]) == (5, 3)
    assert row["p_retain"] == Decimal("0.6000")
    assert row["influx"] == 3
    assert row["meets_retention"] is False  # the seed wants more than 60 %
    rows[3] = _graduate("G4", "local_ssb", anchor)
    assert services.graduates_import(
        actor=university.staff, university=university, year=2026, rows=rows
    ) == (0, 1)
    assert selectors.retention_by_university(2026)[0]["meets_retention"] is True


def test_only_the_employer_confirms_a_hire(university, anchor, sme):
    services.graduates_import(
        actor=university.staff,
        university=university,
        year=2026,
        rows=[_graduate("G1", "local_ssb", anchor)],
    )
    graduate = selectors.graduates_visible_to(anchor.owner).get()
    assert not selectors.graduates_visible_to(sme.owner).exists()
    with pytest.raises(PermissionDenied):
        services.graduate_confirm_hire(actor=sme.owner, graduate=graduate)
    assert services.graduate_confirm_hire(
        actor=anchor.owner, graduate=graduate
    ).employer_confirmed_at


# --- overseas experts -------------------------------------------------------------------------


def test_an_experts_package_is_computed_and_five_years_are_required(anchor):
    data = {
        "name": "Dr. A. Smith",
        "country": "Germany",
        "field": "Sulfide electrolytes",
        "years_experience": 12,
        "status": "signed",
        "signed_on": datetime.date(2026, 3, 1),
        "base_salary_cny": Decimal("1200000.00"),
        "housing_benefit_cny": Decimal("240000.00"),
        "school_priority": True,
    }
    expert = services.expert_save(
        actor=anchor.owner,
        host=anchor,
        data=data,
        benefits=[{"label": "Relocation", "amount_cny": Decimal("80000.00")}],
    )
    assert expert.total_package_cny == Decimal("1520000.00")
    with pytest.raises(ValidationError) as error:
        services.expert_save(actor=anchor.owner, host=anchor, data={**data, "years_experience": 3})
    assert "years_experience" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.expert_save(actor=anchor.owner, host=anchor, data={**data, "signed_on": None})
    assert "signed_on" in error.value.message_dict


def test_only_officials_and_the_host_record_its_experts(anchor, sme):
    with pytest.raises(PermissionDenied):
        services.expert_save(actor=sme.owner, host=anchor, data={"name": "x"})


# --- scholarships -----------------------------------------------------------------------------


def test_a_fund_must_be_covered_by_its_contributions(official):
    fund = ScholarshipFund(
        year=2027,
        award_cny=Decimal("20000.00"),
        awards=50,
        industry_contribution_cny=Decimal("400000.00"),
        government_contribution_cny=Decimal("500000.00"),
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 5, 1),
    )
    with pytest.raises(ValidationError, match="need 1,000,000.00 CNY"):
        services.fund_save(actor=official, fund=fund)
    fund.industry_contribution_cny = Decimal("500000.00")
    assert services.fund_save(actor=official, fund=fund).pk


def test_students_apply_once_with_their_own_login(student, sme):
    fund = ScholarshipFundFactory()
    data = {"grade_average": Decimal("91.5"), "statement": "Li-metal anodes"}
    with pytest.raises(PermissionDenied):
        services.scholarship_apply(actor=sme.owner, fund=fund, data=data)
    services.scholarship_apply(actor=student.user, fund=fund, data=data)
    with pytest.raises(ValidationError) as error:
        services.scholarship_apply(actor=student.user, fund=fund, data=data)
    assert "fund" in error.value.message_dict
    assert list(selectors.scholarship_applications_visible_to(sme.owner)) == []


def test_awards_stop_at_the_funds_number(student, official, university):
    fund = ScholarshipFundFactory(
        awards=1, industry_contribution_cny=Decimal("20000"), government_contribution_cny=0
    )
    applications = [
        services.scholarship_apply(
            actor=student.user, fund=fund, data={"grade_average": 90, "statement": "x"}
        )
    ]
    other = StudentFactory(university=university)
    other.user = UserFactory(username="student-2")
    other.save(update_fields=["user"])
    applications.append(
        services.scholarship_apply(
            actor=other.user, fund=fund, data={"grade_average": 85, "statement": "y"}
        )
    )
    with pytest.raises(ValidationError, match="no review yet"):
        services.scholarships_award(actor=official, fund=fund, application_ids=[applications[0].pk])
    for application, score in zip(applications, (92, 80), strict=True):
        services.scholarship_review(actor=official, application=application, score=score)
    assert [a.pk for a in selectors.scholarship_ranking(fund)] == [a.pk for a in applications]
    with pytest.raises(ValidationError, match="1 remain"):
        services.scholarships_award(
            actor=official, fund=fund, application_ids=[a.pk for a in applications]
        )
    services.scholarships_award(actor=official, fund=fund, application_ids=[applications[0].pk])
    assert services.scholarships_close(actor=official, fund=fund) == 1
    statuses = dict(ScholarshipApplication.objects.values_list("pk", "status"))
    assert statuses == {
        applications[0].pk: ScholarshipStatus.AWARDED,
        applications[1].pk: ScholarshipStatus.NOT_AWARDED,
    }


def test_a_renewal_needs_last_years_award_and_satisfactory_progress(student, official):
    year = timezone.localdate().year
    last = ScholarshipFundFactory(
        year=year - 1,
        opens_on=datetime.date(year - 1, 1, 1),
        closes_on=datetime.date(year - 1, 12, 31),
    )
    earlier = ScholarshipApplication.objects.create(
        fund=last,
        student=student,
        degree="master",
        field="x",
        grade_average=90,
        statement="x",
        status=ScholarshipStatus.AWARDED,
    )
    fund = ScholarshipFundFactory()
    with pytest.raises(ValidationError) as error:
        services.scholarship_apply(
            actor=student.user,
            fund=fund,
            data={"grade_average": 92, "statement": "again", "renewal_of": earlier},
        )
    assert "progress_report" in error.value.message_dict
    renewal = services.scholarship_apply(
        actor=student.user,
        fund=fund,
        data={
            "grade_average": 92,
            "statement": "again",
            "renewal_of": earlier,
            "progress_report": "Two papers on interfaces",
        },
    )
    with pytest.raises(ValidationError) as error:
        services.scholarship_review(actor=official, application=renewal, score=88)
    assert "progress_satisfactory" in error.value.message_dict
    services.scholarship_review(
        actor=official, application=renewal, score=88, progress_satisfactory=False
    )
    with pytest.raises(ValidationError, match="no renewal"):
        services.scholarships_award(actor=official, fund=fund, application_ids=[renewal.pk])


# --- the dashboard ----------------------------------------------------------------------------


def test_the_dashboard_sets_each_figure_beside_its_target(university, anchor, student, official):
    year = timezone.localdate().year
    services.graduates_import(
        actor=university.staff,
        university=university,
        year=year,
        rows=[_graduate("G1", "local_ssb", anchor), _graduate("G2", "outside")],
    )
    away = EnterpriseFactory(district=outside_district())
    services.expert_save(
        actor=official,
        host=away,
        data={
            "name": "Dr. B",
            "country": "Japan",
            "field": "Cathodes",
            "years_experience": 8,
            "status": "arrived",
            "signed_on": datetime.date(year, 1, 10),
            "base_salary_cny": Decimal("900000"),
        },
    )
    dashboard = selectors.talent_dashboard(year)
    assert (dashboard["graduates"], dashboard["retained"]) == (2, 1)
    assert dashboard["p_retain"] == Decimal("0.5000")
    assert dashboard["experts"] == 1 and not dashboard["meets_experts"]
    assert dashboard["graduates_target"] == 500
    assert dashboard["by_university"][0]["name_zh"] == university.name_zh
    assert dashboard["by_enterprise"][0]["enterprise"] == anchor


def test_negative_money_is_refused_on_its_field_not_with_a_crash(anchor, official):
    with pytest.raises(ValidationError) as error:
        services.expert_save(
            actor=anchor.owner,
            host=anchor,
            data={
                "name": "Dr. C",
                "country": "Korea",
                "field": "Anodes",
                "years_experience": 7,
                "base_salary_cny": Decimal("-1"),
            },
        )
    assert "base_salary_cny" in error.value.message_dict
    fund = ScholarshipFund(
        year=2028,
        award_cny=Decimal("-5"),
        awards=1,
        industry_contribution_cny=Decimal("0"),
        government_contribution_cny=Decimal("0"),
        opens_on=datetime.date(2028, 3, 1),
        closes_on=datetime.date(2028, 2, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.fund_save(actor=official, fund=fund)
    assert "award_cny" in error.value.message_dict


def test_a_fund_cannot_close_before_it_opens_nor_shrink_below_its_awards(official, student):
    fund = ScholarshipFundFactory(
        awards=1, industry_contribution_cny=Decimal("20000"), government_contribution_cny=0
    )
    fund.closes_on = fund.opens_on - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.fund_save(actor=official, fund=fund)
    assert "closes_on" in error.value.message_dict
    fund.refresh_from_db()
    ScholarshipApplication.objects.create(
        fund=fund,
        student=student,
        degree="master",
        field="x",
        grade_average=90,
        statement="x",
        status=ScholarshipStatus.AWARDED,
    )
    fund.awards = 0
    with pytest.raises(ValidationError) as error:
        services.fund_save(actor=official, fund=fund)
    assert "awards" in error.value.message_dict
