"""What the talent page tests share: page addresses and text, an internship and a graduate, and
the pages' own staff client and student fixtures (modules bind those they use by name; the
university comes from the conftest).
"""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from talent.models import Graduate, Internship, InternshipStatus
from tests.factories import StudentFactory, UserFactory

THIS_YEAR = timezone.localdate().year


def url(name: str, *args) -> str:
    return reverse(f"talent:{name}", args=args)


def text_of(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))


@pytest.fixture
def staff_client(client, university):
    client.force_login(university.staff)
    return client


@pytest.fixture
def student(university):
    student = StudentFactory(university=university, name="李同学", email="li@example.com")
    student.user = UserFactory(username="li-student", email="li@example.com")
    student.save(update_fields=["user"])
    return student


def internship(student, host, status=InternshipStatus.OFFERED, **kwargs) -> Internship:
    today = timezone.localdate()
    return Internship.objects.create(
        student=student,
        host=host,
        starts_on=kwargs.pop("starts_on", today - datetime.timedelta(days=60)),
        ends_on=kwargs.pop("ends_on", today - datetime.timedelta(days=1)),
        status=status,
        **kwargs,
    )


def graduate(university, number, destination="outside", employer=None, year=THIS_YEAR):
    return Graduate.objects.create(
        university=university,
        year=year,
        student_number=number,
        degree="master",
        field="Electrochemistry",
        destination=destination,
        employer=employer,
    )
