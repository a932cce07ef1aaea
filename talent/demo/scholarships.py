"""Two scholarship rounds through the services: last year's fund, applied to by students of
the first university, reviewed and awarded by the demo official, then closed; this year's
fund, with new applications waiting and the demo student's renewal awarded."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from talent import services
from talent.models import ScholarshipApplication, ScholarshipFund, Student

STATEMENTS = [
    "Sulfide electrolyte synthesis; summer internship at a local anchor firm.",
    "Dry-room cell assembly and interface coatings.",
    "Modelling lithium dendrites in garnet electrolytes.",
    "Recycling of solid-state cells: a process study.",
]


def _fund(official, year: int, opens: datetime.date, closes: datetime.date) -> ScholarshipFund:
    return services.fund_save(
        actor=official,
        fund=ScholarshipFund(
            year=year,
            award_cny=Decimal("20000.00"),
            awards=50,
            industry_contribution_cny=Decimal("600000.00"),
            government_contribution_cny=Decimal("400000.00"),
            opens_on=opens,
            closes_on=closes,
        ),
    )


def _applicants(university) -> list[Student]:
    """The demo student and three classmates; the classmates' accounts cannot log in."""
    User = get_user_model()
    students = list(Student.objects.filter(university=university).order_by("pk")[:4])
    for n, student in enumerate(students):
        if student.user_id is None:
            user, created = User.objects.get_or_create(username=f"demo-student-{n}")
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            student.user = user
            student.save(update_fields=["user"])
    return students


def seed_scholarships(*, official, university, year: int) -> dict[str, int]:
    """Returns counts: applications, awards, renewals."""
    today = timezone.localdate()
    students = _applicants(university)
    last = _fund(official, year - 1, today - datetime.timedelta(days=20), today)
    earlier = []
    for n, student in enumerate(students):
        application = services.scholarship_apply(
            actor=student.user,
            fund=last,
            data={"grade_average": Decimal(88 - 3 * n), "statement": STATEMENTS[n % 4]},
        )
        services.scholarship_review(
            actor=official, application=application, score=90 - 5 * n, comment="Demo review."
        )
        earlier.append(application)
    awarded = services.scholarships_award(
        actor=official, fund=last, application_ids=[a.pk for a in earlier[:3]]
    )
    services.scholarships_close(actor=official, fund=last)
    # Last year's round is over.
    last.opens_on = today - datetime.timedelta(days=380)
    last.closes_on = today - datetime.timedelta(days=320)
    services.fund_save(actor=official, fund=last)

    current = _fund(
        official,
        year,
        today - datetime.timedelta(days=20),
        today + datetime.timedelta(days=40),
    )
    renewal = services.scholarship_apply(
        actor=students[0].user,
        fund=current,
        data={
            "grade_average": Decimal("91"),
            "statement": "Renewal: second year of the sulfide electrolyte project.",
            "progress_report": "Two papers; the pilot batch reached 1.1e-2 S/cm.",
            "renewal_of": ScholarshipApplication.objects.get(pk=earlier[0].pk),
        },
    )
    services.scholarship_review(
        actor=official,
        application=renewal,
        score=92,
        comment="Strong progress.",
        progress_satisfactory=True,
    )
    services.scholarships_award(actor=official, fund=current, application_ids=[renewal.pk])
    waiting = 0
    for n, student in enumerate(students[1:], start=1):
        services.scholarship_apply(
            actor=student.user,
            fund=current,
            data={"grade_average": Decimal(85 - n), "statement": STATEMENTS[n % 4]},
        )
        waiting += 1
    return {
        "applications": len(earlier) + 1 + waiting,
        "awards": len(awarded) + 1,
        "renewals": 1,
    }
