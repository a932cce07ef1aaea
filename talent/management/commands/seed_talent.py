"""Fill the demo talent programme: students, internships, graduates, experts, scholarships.

    manage.py seed_talent [--if-empty] [--seed 2025]

Run after `seed_demo` and `seed_alliance`. The demo city's universities have no logins, so
their reports are written directly, as seed_demo writes the directory; the figures then
come out of the same selectors as real reports. Last year's and this year's graduates give
the dashboard two years; a demo student login ("student", the demo password) belongs to the
first university, so a scholarship application can be made by hand.
"""

import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from directory.models import Enterprise, EnterpriseKind, ListingStatus
from talent import services
from talent.demo.scholarships import seed_scholarships
from talent.models import (
    Destination,
    Graduate,
    Internship,
    InternshipOutcome,
    InternshipStatus,
    Student,
    TrainingBase,
)

DEMO_PASSWORD = "ssb-demo-2025"
FIELDS = ["Materials science", "Electrochemistry", "Chemical engineering", "Mechanical engineering"]
DEGREES = ["vocational", "bachelor", "master", "doctorate"]
GRADUATES_PER_UNIVERSITY = (60, 140)


class Command(BaseCommand):
    help = "Fill the demo talent programme (students, graduates, experts, scholarships)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when filled.")
        parser.add_argument("--seed", type=int, default=2025, help="Random seed.")

    def handle(self, *args, **options):
        if options["if_empty"] and Graduate.objects.exists():
            self.stdout.write("The talent programme has data already; nothing to do.")
            return
        official = get_user_model().objects.filter(username="official").first()
        if official is None:
            raise CommandError("Run seed_demo first: funds are set by its 'official' login.")
        rng = random.Random(options["seed"])
        universities = list(
            Enterprise.objects.filter(
                kind__in=(EnterpriseKind.UNIVERSITY, EnterpriseKind.RESEARCH_INSTITUTE),
                status=ListingStatus.VERIFIED,
            ).order_by("pk")[:6]
        )
        employers = list(
            Enterprise.objects.filter(status=ListingStatus.VERIFIED, district__is_local=True)
            .exclude(kind__in=(EnterpriseKind.UNIVERSITY, EnterpriseKind.RESEARCH_INSTITUTE))
            .order_by("pk")[:40]
        )
        if not universities or not employers:
            raise CommandError("The demo city has no verified universities or local enterprises.")
        year = timezone.localdate().year
        started = time.monotonic()
        with transaction.atomic():
            graduates = self._graduates(rng, universities, employers, year)
            students = self._students(rng, universities, employers, year)
            experts = self._experts(rng, employers, official, year)
            scholarships = seed_scholarships(
                official=official, university=universities[0], year=year
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{graduates} graduates, {students} students, {experts} experts, 2 scholarship "
                f"funds with {scholarships['applications']} applications, "
                f"{scholarships['awards']} awards and {scholarships['renewals']} renewal in "
                f"{time.monotonic() - started:.1f} s."
            )
        )

    def _graduates(self, rng, universities, employers, year) -> int:
        rows = []
        for university in universities:
            for report_year, share in ((year - 1, 0.55), (year, 0.63)):
                for n in range(rng.randint(*GRADUATES_PER_UNIVERSITY)):
                    roll = rng.random()
                    destination = (
                        Destination.LOCAL_SSB
                        if roll < share
                        else Destination.CITY_OTHER
                        if roll < share + 0.15
                        else Destination.OUTSIDE
                    )
                    rows.append(
                        Graduate(
                            university=university,
                            year=report_year,
                            student_number=f"{report_year}{n:05d}",
                            degree=rng.choice(DEGREES),
                            field=rng.choice(FIELDS),
                            destination=destination,
                            employer=rng.choice(employers)
                            if destination == Destination.LOCAL_SSB
                            else None,
                        )
                    )
        Graduate.objects.bulk_create(rows)
        return len(rows)

    def _students(self, rng, universities, employers, year) -> int:
        students = [
            Student(
                university=university,
                student_number=f"S{year}{university.pk:04d}{n:03d}",
                name=f"学生{university.pk}-{n}",
                degree=rng.choice(DEGREES[1:]),
                field=rng.choice(FIELDS),
                expected_graduation_year=year + rng.randint(0, 2),
            )
            for university in universities
            for n in range(12)
        ]
        Student.objects.bulk_create(students)
        login, _ = get_user_model().objects.get_or_create(
            username="student",
            defaults={"email": "student@demo.example", "password": make_password(DEMO_PASSWORD)},
        )
        first = Student.objects.filter(university=universities[0]).order_by("pk").first()
        first.user = login
        first.save(update_fields=["user"])
        base = TrainingBase.objects.create(
            name=f"{universities[0].name_zh} · {employers[0].name_zh} 实训基地",
            university=universities[0],
            enterprise=employers[0],
            capacity=40,
            started_on=datetime.date(year - 2, 9, 1),
        )
        internships = []
        for student in Student.objects.filter(university=universities[0]).order_by("pk")[1:9]:
            hired = rng.random() < 0.5
            internships.append(
                Internship(
                    student=student,
                    host=employers[0],
                    training_base=base,
                    starts_on=datetime.date(year, 3, 1),
                    ends_on=datetime.date(year, 6, 30),
                    status=InternshipStatus.COMPLETED,
                    outcome=InternshipOutcome.HIRED if hired else InternshipOutcome.NOT_HIRED,
                    host_confirmed_at=timezone.now(),
                )
            )
        Internship.objects.bulk_create(internships)
        return len(students)

    def _experts(self, rng, employers, official, year) -> int:
        countries = ["Germany", "Japan", "Korea", "United States", "France", "Canada"]
        count = 0
        for n in range(9):
            services.expert_save(
                actor=official,
                host=employers[n % len(employers)],
                data={
                    "name": f"Dr. Expert {n + 1}",
                    "country": countries[n % len(countries)],
                    "field": rng.choice(["Sulfide electrolytes", "Cathodes", "Li-metal anodes"]),
                    "years_experience": rng.randint(6, 25),
                    "status": "arrived" if n % 3 else "signed",
                    "signed_on": datetime.date(year - n % 3, 1 + n, 1),
                    "base_salary_cny": Decimal(rng.randrange(600_000, 1_500_000, 10_000)),
                    "housing_benefit_cny": Decimal("240000.00"),
                    "school_priority": n % 2 == 0,
                },
                benefits=[{"label": "Relocation", "amount_cny": Decimal("80000.00")}],
            )
            count += 1
        return count
