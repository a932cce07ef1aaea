"""The talent programme: universities' programmes and students, training bases, internships,
graduates and where they went, overseas experts and scholarships (suggestion 5 of the seed).

Universities are enterprises of the directory of kind "university" (or research institute):
their staff are its members, so access follows the same memberships as everywhere else.
Personal data (students, experts) is read only through `talent.selectors`, which scope it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.models import Enterprise
from ssb_portal.formulas import EXPERT_MIN_EXPERIENCE_YEARS
from ssb_portal.records import ActionRecord

NOT_NEGATIVE = [MinValueValidator(0)]
YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


def _money(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=16, decimal_places=2, validators=NOT_NEGATIVE, **kwargs
    )


class DegreeLevel(models.TextChoices):
    VOCATIONAL = "vocational", _("Vocational diploma")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTORATE = "doctorate", _("Doctorate")


class StudyProgramme(models.Model):
    """A university's programme relevant to solid-state batteries."""

    university = models.ForeignKey(
        Enterprise,
        verbose_name=_("university"),
        on_delete=models.PROTECT,
        related_name="study_programmes",
    )
    name = models.CharField(_("study programme name"), max_length=160)
    degree = models.CharField(_("degree"), max_length=12, choices=DegreeLevel.choices)
    field = models.CharField(_("field"), max_length=120)

    class Meta:
        ordering = ["university__name_zh", "name"]
        verbose_name = _("study programme")
        verbose_name_plural = _("study programmes")
        constraints = [
            models.UniqueConstraint(
                fields=["university", "name", "degree"], name="studyprogramme_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_degree_display()})"


class TrainingBaseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", pgettext_lazy("training base status", "Closed")


class TrainingBase(models.Model):
    """A training base co-established by a university and an enterprise."""

    name = models.CharField(_("name"), max_length=160)
    university = models.ForeignKey(
        Enterprise,
        verbose_name=_("university"),
        on_delete=models.PROTECT,
        related_name="training_bases",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="hosted_training_bases",
    )
    capacity = models.PositiveIntegerField(_("capacity (trainees a year)"))
    started_on = models.DateField(_("started on"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=TrainingBaseStatus.choices,
        default=TrainingBaseStatus.ACTIVE,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("training base")
        verbose_name_plural = _("training bases")

    def __str__(self) -> str:
        return self.name


class Student(models.Model):
    """A student of a university. Seen by that university, the student and officials only."""

    university = models.ForeignKey(
        Enterprise, verbose_name=_("university"), on_delete=models.PROTECT, related_name="students"
    )
    student_number = models.CharField(_("student number"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"), blank=True)
    degree = models.CharField(_("degree"), max_length=12, choices=DegreeLevel.choices)
    field = models.CharField(_("field"), max_length=120)
    expected_graduation_year = models.PositiveSmallIntegerField(
        _("expected graduation year"), validators=YEAR
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="student",
        help_text=_("The student's own login, to apply for scholarships."),
    )

    class Meta:
        ordering = ["university__name_zh", "student_number"]
        verbose_name = _("student")
        verbose_name_plural = _("students")
        constraints = [
            models.UniqueConstraint(
                fields=["university", "student_number"], name="student_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.student_number})"


class InternshipStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class InternshipOutcome(models.TextChoices):
    PENDING = "", _("Not yet known")
    JOB_OFFERED = "job_offered", _("Offered a job")
    HIRED = "hired", _("Hired")
    NOT_HIRED = "not_hired", _("Not hired")


class Internship(models.Model):
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="internships", verbose_name=_("student")
    )
    host = models.ForeignKey(
        Enterprise,
        verbose_name=_("host enterprise"),
        on_delete=models.PROTECT,
        related_name="internships",
    )
    training_base = models.ForeignKey(
        TrainingBase,
        verbose_name=_("training base"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="internships",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InternshipStatus.choices,
        default=InternshipStatus.OFFERED,
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=InternshipOutcome.choices, blank=True, default=""
    )
    host_confirmed_at = models.DateTimeField(_("confirmed by the host at"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="internship_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} @ {self.host}"


class Destination(models.TextChoices):
    LOCAL_SSB = "local_ssb", _("A local solid-state battery enterprise")
    CITY_OTHER = "city_other", _("Elsewhere in the city")
    OUTSIDE = "outside", _("Outside the city")
    UNKNOWN = "unknown", _("Not known")


class Graduate(models.Model):
    """One relevant graduate of a year and where they went; universities report them in bulk.

    Retained (for p_retain) means a job at a local solid-state battery enterprise of the
    directory, confirmed by the university's report (and by the enterprise where it hired).
    """

    university = models.ForeignKey(
        Enterprise, verbose_name=_("university"), on_delete=models.PROTECT, related_name="graduates"
    )
    year = models.PositiveSmallIntegerField(_("graduation year"), validators=YEAR)
    student_number = models.CharField(_("student number"), max_length=40)
    degree = models.CharField(_("degree"), max_length=12, choices=DegreeLevel.choices)
    field = models.CharField(_("field"), max_length=120)
    destination = models.CharField(_("destination"), max_length=12, choices=Destination.choices)
    employer = models.ForeignKey(
        Enterprise,
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hired_graduates",
        help_text=_("For a local solid-state battery enterprise: which one, from the directory."),
    )
    student = models.ForeignKey(
        Student,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="graduations",
        verbose_name=_("student"),
    )
    employer_confirmed_at = models.DateTimeField(
        _("hire confirmed by the employer at"), null=True, blank=True
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        ordering = ["-year", "university__name_zh", "student_number"]
        verbose_name = _("graduate")
        verbose_name_plural = _("graduates")
        indexes = [models.Index(fields=["year", "university"], name="graduate_year_university")]
        constraints = [
            models.UniqueConstraint(
                fields=["university", "year", "student_number"], name="graduate_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(destination="local_ssb", employer__isnull=False)
                | ~Q(destination="local_ssb"),
                name="graduate_local_ssb_names_employer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_number} ({self.year})"


class ExpertStatus(models.TextChoices):
    CONTACTED = "contacted", _("Contacted")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Contract signed")
    ARRIVED = "arrived", _("Arrived")
    LEFT = "left", _("Left")


#: An expert counts as recruited from the contract on.
RECRUITED_STATUSES = (ExpertStatus.SIGNED, ExpertStatus.ARRIVED, ExpertStatus.LEFT)


class OverseasExpert(models.Model):
    """An overseas expert with 5+ years in battery R&D recruited by a host enterprise."""

    host = models.ForeignKey(
        Enterprise,
        verbose_name=_("host enterprise"),
        on_delete=models.PROTECT,
        related_name="experts",
    )
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country or region"), max_length=80)
    field = models.CharField(_("research field"), max_length=120)
    years_experience = models.PositiveSmallIntegerField(
        _("years of battery R&D"), validators=[MinValueValidator(EXPERT_MIN_EXPERIENCE_YEARS)]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ExpertStatus.choices, default=ExpertStatus.CONTACTED
    )
    signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
    base_salary_cny = _money(_("base salary (CNY a year)"))
    housing_benefit_cny = _money(_("housing benefit (CNY a year)"), default=0)
    total_package_cny = _money(
        _("total package (CNY a year)"),
        editable=False,
        help_text=_("C_total = base salary + housing benefit + other benefits; computed."),
    )
    school_priority = models.BooleanField(
        _("school-enrolment priority for children"), default=False
    )
    relocation_support = models.BooleanField(_("relocation support"), default=False)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-signed_on", "name"]
        verbose_name = _("overseas expert")
        verbose_name_plural = _("overseas experts")
        constraints = [
            models.CheckConstraint(
                condition=Q(years_experience__gte=EXPERT_MIN_EXPERIENCE_YEARS),
                name="expert_min_experience",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=RECRUITED_STATUSES) | Q(signed_on__isnull=False),
                name="expert_recruited_has_signing_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExpertBenefit(models.Model):
    expert = models.ForeignKey(
        OverseasExpert, on_delete=models.CASCADE, related_name="benefits", verbose_name=_("expert")
    )
    label = models.CharField(_("benefit"), max_length=120)
    amount_cny = _money(_("amount (CNY a year)"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("other benefit")
        verbose_name_plural = _("other benefits")

    def __str__(self) -> str:
        return self.label


class ScholarshipFund(models.Model):
    """A year's scholarship fund, F = n × A, funded jointly by industry and government."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR)
    award_cny = _money(_("award per student (CNY)"))
    awards = models.PositiveIntegerField(_("number of awards"))
    industry_contribution_cny = _money(_("industry contribution (CNY)"))
    government_contribution_cny = _money(_("government contribution (CNY)"))
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(_("applications close on"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("scholarship fund")
        verbose_name_plural = _("scholarship funds")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    industry_contribution_cny__gte=F("awards") * F("award_cny")
                    - F("government_contribution_cny")
                ),
                name="scholarshipfund_contributions_cover_awards",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="scholarshipfund_closes_after_open"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class ScholarshipStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("scholarship status", "Submitted")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ScholarshipApplication(models.Model):
    fund = models.ForeignKey(
        ScholarshipFund,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("fund"),
    )
    student = models.ForeignKey(
        Student,
        on_delete=models.PROTECT,
        related_name="scholarship_applications",
        verbose_name=_("student"),
    )
    degree = models.CharField(_("degree"), max_length=12, choices=DegreeLevel.choices)
    field = models.CharField(_("field"), max_length=120)
    grade_average = models.DecimalField(
        _("grade average (0–100)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    statement = models.TextField(_("statement"))
    renewal_of = models.OneToOneField(
        "self",
        verbose_name=_("renewal of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal",
    )
    progress_report = models.TextField(
        _("progress since the last award"), blank=True, help_text=_("For a renewal.")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ScholarshipStatus.choices,
        default=ScholarshipStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        ordering = ["-submitted_at", "pk"]
        verbose_name = _("scholarship application")
        verbose_name_plural = _("scholarship applications")
        constraints = [
            models.UniqueConstraint(fields=["fund", "student"], name="scholarship_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.fund}"


class ScholarshipReview(models.Model):
    application = models.ForeignKey(
        ScholarshipApplication,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("application"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="scholarship_reviews",
        verbose_name=_("reviewer"),
    )
    score = models.PositiveSmallIntegerField(
        _("score (0–100)"), validators=[MaxValueValidator(100)]
    )
    progress_satisfactory = models.BooleanField(
        _("progress satisfactory"),
        null=True,
        blank=True,
        help_text=_("For a renewal: whether the student's progress justifies another year."),
    )
    comment = models.TextField(_("comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)

    class Meta:
        ordering = ["reviewed_at", "pk"]
        verbose_name = _("scholarship review")
        verbose_name_plural = _("scholarship reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="scholarshipreview_once_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.score}"


class TalentEvent(ActionRecord):
    """The talent programme's record: who did what to which record, and why."""

    class Meta(ActionRecord.Meta):
        verbose_name = _("talent event")
        verbose_name_plural = _("talent events")
