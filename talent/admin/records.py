"""What the universities and enterprises manage on their pages (programmes, training bases,
students, internships, graduates), read-only here, and the talent programme's record
(TalentEvent), written only by the services."""

from django.contrib import admin
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import ReadOnlyAdmin, record_table
from talent.models import (
    Graduate,
    Internship,
    Student,
    StudyProgramme,
    TalentEvent,
    TrainingBase,
)


def record_of(obj: Model) -> str:
    """The talent programme's record of one row: who did what, when."""
    return record_table(TalentEvent, obj)


@admin.register(StudyProgramme)
class StudyProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("name", "university", "degree", "field")
    list_filter = ("degree",)
    list_select_related = ("university",)
    search_fields = ("name", "field", "university__name_zh", "university__uscc")


@admin.register(TrainingBase)
class TrainingBaseAdmin(ReadOnlyAdmin):
    list_display = ("name", "university", "enterprise", "capacity", "started_on", "status")
    list_filter = ("status",)
    list_select_related = ("university", "enterprise")
    search_fields = ("name", "university__name_zh", "enterprise__name_zh")


@admin.register(Student)
class StudentAdmin(ReadOnlyAdmin):
    list_display = (
        "student_number",
        "name",
        "university",
        "degree",
        "field",
        "expected_graduation_year",
        "has_login",
    )
    list_filter = ("degree", "expected_graduation_year")
    list_select_related = ("university",)
    search_fields = ("name", "student_number", "university__name_zh", "university__uscc")
    search_help_text = _("Search by the student's name or number, or the university.")

    @admin.display(description=_("login linked"), boolean=True)
    def has_login(self, student: Student) -> bool:
        return student.user_id is not None


@admin.register(Internship)
class InternshipAdmin(ReadOnlyAdmin):
    list_display = (
        "student",
        "university",
        "host",
        "training_base",
        "starts_on",
        "ends_on",
        "status",
        "outcome",
    )
    list_filter = ("status", "outcome")
    list_select_related = ("student__university", "host", "training_base")
    search_fields = ("student__name", "student__student_number", "host__name_zh", "host__uscc")

    @admin.display(description=_("university"), ordering="student__university__name_zh")
    def university(self, internship: Internship) -> str:
        return internship.student.university.name_zh


@admin.register(Graduate)
class GraduateAdmin(ReadOnlyAdmin):
    list_display = (
        "student_number",
        "year",
        "university",
        "degree",
        "field",
        "destination",
        "employer",
        "employer_confirmed_at",
    )
    list_filter = ("year", "destination", "degree")
    list_select_related = ("university", "employer")
    search_fields = ("student_number", "university__name_zh", "employer__name_zh")


@admin.register(TalentEvent)
class TalentEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "subject_type", "subject_id", "note")
    list_filter = ("action", "subject_type")
    list_select_related = ("actor",)
    search_fields = ("action", "note")
    ordering = ("-created_at", "-pk")
