"""A student of a university in the talent programme applies for this year's scholarship."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from talent.models import ScholarshipApplication, ScholarshipStatus
from tests.e2e.journey import log_in
from tests.factories import ScholarshipFundFactory, StudentFactory, UniversityFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"  # UserFactory's


def test_student_applies_for_a_scholarship(page, journey):
    year = timezone.localdate().year
    university = UniversityFactory(name_zh="江城理工大学", name_en="Jiangcheng Tech University")
    student = StudentFactory(
        university=university, user=UserFactory(username="li-ming"), name="李明", degree="master"
    )
    ScholarshipFundFactory()

    log_in(page, "li-ming", PASSWORD)
    page.goto("/talent/")
    journey.capture("talent-home")
    page.goto("/talent/scholarships/")
    expect(page.get_by_role("heading", name="Open for applications")).to_be_visible()
    journey.capture("scholarships")

    page.get_by_role("link", name="Apply", exact=True).click()
    page.get_by_label("Field").fill("Electrochemistry of sulfide electrolytes")
    page.get_by_label("Grade average (0–100)").fill("120")
    page.get_by_label("Statement").fill("I study interfaces between Li6PS5Cl and NCM cathodes.")
    page.get_by_role("button", name="Submit the application").click()
    grade = page.get_by_label("Grade average (0–100)")
    expect(grade).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_grade_average_error")).to_contain_text("less than or equal to 100")
    journey.capture("apply-errors")

    grade.fill("91.5")
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Your application to the {year} scholarships is submitted."
    )
    expect(page.locator("main")).to_contain_text("Submitted")
    journey.capture("applied")

    application = ScholarshipApplication.objects.get(student=student)
    assert application.status == ScholarshipStatus.SUBMITTED
    assert float(application.grade_average) == 91.5
