"""`manage.py seed_talent` fills the demo talent programme for the dashboard."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from talent import selectors
from talent.models import Graduate, ScholarshipFund, Student
from tests.factories import EnterpriseFactory, UniversityFactory

pytestmark = pytest.mark.django_db


def test_it_needs_the_demo_official():
    with pytest.raises(CommandError, match="seed_demo first"):
        call_command("seed_talent", stdout=io.StringIO())


def test_it_gives_the_dashboard_two_years_and_a_student_login(official):
    UniversityFactory()
    EnterpriseFactory()
    call_command("seed_talent", stdout=io.StringIO())
    year = timezone.localdate().year
    assert set(Graduate.objects.values_list("year", flat=True)) == {year - 1, year}
    dashboard = selectors.talent_dashboard(year)
    assert dashboard["graduates"] > 0 and dashboard["p_retain"] is not None
    assert dashboard["experts"] > 0
    # Last year's round (awarded, closed) and this year's (talent/demo).
    assert set(ScholarshipFund.objects.values_list("year", flat=True)) == {year - 1, year}
    assert Student.objects.filter(user__username="student").exists()
    out = io.StringIO()
    call_command("seed_talent", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()
