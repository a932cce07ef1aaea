"""The talent programme's pages: each form's happy path and its bad input, the graduate
report upload, the dashboard and its exports, and the queries list pages take."""

import datetime
import html
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from talent.models import (
    Graduate,
    Internship,
    InternshipOutcome,
    InternshipStatus,
    OverseasExpert,
    ScholarshipApplication,
    ScholarshipStatus,
    Student,
    StudyProgramme,
    TrainingBase,
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

THIS_YEAR = timezone.localdate().year
HEADER = "student_number,degree,field,destination,employer_uscc"


def url(name: str, *args) -> str:
    return reverse(f"talent:{name}", args=args)


def text_of(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))


def csv_file(*lines: str, name: str = "graduates.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([HEADER, *lines]) + "\n").encode(), "text/csv")


@pytest.fixture
def university(db):
    university = UniversityFactory()
    university.staff = UserFactory(username="registrar")
    MembershipFactory(user=university.staff, enterprise=university, role="owner")
    return university


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


# --- the public overview and the dashboard ----------------------------------------------------


def test_the_overview_states_the_targets_and_leads_staff_to_their_workspace(
    client, university, sme
):
    public = text_of(client.get(url("home")))
    assert "> 500" in public
    assert "> 60 %" in public
    assert "20–30" in public
    assert "50+" in public

    client.force_login(university.staff)
    page = client.get(url("home")).content.decode()
    assert url("university", university.uscc) in page


def dashboard_data(sme, anchor):
    first = UniversityFactory(name_zh="甲大学", name_en="University A")
    second = UniversityFactory(name_zh="乙大学", name_en="University B")
    for number in range(3):
        graduate(first, f"A{number}", "local_ssb", employer=sme)
    graduate(first, "A9", "outside")
    graduate(second, "B1", "local_ssb", employer=anchor)
    graduate(second, "B2", "city_other")
    student = StudentFactory(university=first)
    internship(student, sme, InternshipStatus.COMPLETED, outcome=InternshipOutcome.HIRED)
    internship(student, sme, InternshipStatus.COMPLETED, outcome=InternshipOutcome.NOT_HIRED)
    return first, second


def test_the_dashboard_shows_the_years_figures_by_university_and_enterprise(client, sme, anchor):
    dashboard_data(sme, anchor)

    response = client.get(url("dashboard"), {"year": THIS_YEAR})

    page = text_of(response)
    assert response.status_code == 200
    # 6 graduates, 4 retained: p_retain 66.67 %, I_talent 4
    assert "66.67 %" in page
    assert "University A 4 3 75.00 3" in page
    assert "University B 2 1 50.00 1" in page
    assert f"{sme.name_en} 3 2 1 50.00" in page
    assert "50.00 %" in page  # internship-to-hire conversion
    assert page.count("<svg") == 0  # charts are inline markup, counted below
    assert response.content.decode().count('<svg class="chart"') == 3


def test_a_year_out_of_range_is_refused_with_the_reason(client):
    response = client.get(url("dashboard"), {"year": "1800"})

    assert response.status_code == 400
    assert "Year: Ensure this value is greater than or equal to 2000." in text_of(response)


def test_an_export_of_a_bad_year_is_refused_with_the_reason(client):
    response = client.get(url("dashboard_export", "csv"), {"year": "next"})

    assert response.status_code == 400
    assert "Year: Enter a whole number." in text_of(response)


def test_the_dashboard_exports_as_csv_and_xlsx(client, sme, anchor):
    dashboard_data(sme, anchor)

    csv_response = client.get(url("dashboard_export", "csv"), {"year": THIS_YEAR})
    xlsx_response = client.get(url("dashboard_export", "xlsx"), {"year": THIS_YEAR})

    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="ssb-talent-{THIS_YEAR}.csv"' in csv_response["Content-Disposition"]
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Year,Table,Organisation (Chinese),Organisation (English),Indicator,Value,Target"
    )
    assert f"{THIS_YEAR},City,,,Local retention rate p_retain (%),66.67,> 60" in lines
    assert any(line.startswith(f"{THIS_YEAR},University,甲大学,") and "p_retain (%),75.00" in line
               for line in lines)  # fmt: skip
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_response.content))
    assert workbook.sheetnames == ["summary", "universities", "enterprises"]
    universities = list(workbook["universities"].values)
    assert universities[0][:3] == ("University (Chinese)", "University (English)",
                                   "Graduates (N_grad)")  # fmt: skip
    assert [row[:2] for row in universities[1:]] == [
        ("乙大学", "University B"),
        ("甲大学", "University A"),
    ]
    assert list(workbook["enterprises"].values)[1][2:5] == (3, 2, 1)


def test_the_dashboard_takes_a_fixed_number_of_queries(
    client, sme, anchor, django_assert_max_num_queries
):
    dashboard_data(sme, anchor)
    for number in range(5):
        other = UniversityFactory()
        employer = EnterpriseFactory()
        graduate(other, f"X{number}", "local_ssb", employer=employer)

    # anonymous, so no session: totals, experts, fund, internships, by university, graduates
    # and internships by enterprise, their names, years (2), retention by year
    with django_assert_max_num_queries(11):
        response = client.get(url("dashboard"))

    assert response.status_code == 200
    assert len(response.context["universities"]) == 7


# --- the university's workspace ---------------------------------------------------------------


def test_staff_add_a_programme_and_a_duplicate_is_refused_on_its_name(staff_client, university):
    data = {"name": "Solid-state batteries", "degree": "master", "field": "Materials"}

    added = staff_client.post(url("programme_add", university.uscc), data, follow=True)
    again = staff_client.post(url("programme_add", university.uscc), data)

    assert "Solid-state batteries" in text_of(added)
    assert again.status_code == 400
    assert again.context["form"].errors["name"] == ["The university has this programme already."]
    assert StudyProgramme.objects.count() == 1


def test_staff_open_a_training_base_with_a_verified_enterprise(staff_client, university, sme):
    response = staff_client.post(
        url("training_base_add", university.uscc),
        {
            "name": "电解质联合实训基地",
            "enterprise": sme.uscc.lower(),
            "capacity": "40",
            "started_on": "2025-09-01",
            "status": "active",
        },
        follow=True,
    )

    base = TrainingBase.objects.get()
    assert base.enterprise == sme and base.university == university
    assert "电解质联合实训基地" in text_of(response)


@pytest.mark.parametrize(
    ("enterprise", "message"),
    [
        ("913301000000000000", "The check digit is wrong"),
        ("unknown", "No enterprise of the directory has this code."),
        ("pending", "Choose a verified enterprise of the directory."),
    ],
)
def test_a_training_base_needs_a_verified_enterprise_of_the_directory(
    staff_client, university, enterprise, message
):
    if enterprise == "pending":
        enterprise = EnterpriseFactory(status="pending").uscc
    elif enterprise == "unknown":
        enterprise = EnterpriseFactory.build().uscc
    response = staff_client.post(
        url("training_base_add", university.uscc),
        {"name": "Base", "enterprise": enterprise, "capacity": "10", "started_on": "2025-09-01",
         "status": "active"},
    )  # fmt: skip

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["enterprise"])
    assert not TrainingBase.objects.exists()


def student_data(**changes) -> dict:
    return {
        "student_number": "2024001",
        "name": "王同学",
        "email": "",
        "degree": "master",
        "field": "Electrochemistry",
        "expected_graduation_year": str(THIS_YEAR + 1),
        **changes,
    }


def test_staff_add_a_student_and_a_duplicate_number_is_refused(staff_client, university):
    added = staff_client.post(url("student_add", university.uscc), student_data(), follow=True)
    duplicate = staff_client.post(url("student_add", university.uscc), student_data(name="另一位"))

    assert "王同学" in text_of(added)
    assert duplicate.status_code == 400
    assert duplicate.context["form"].errors["student_number"] == [
        "A student with this number is recorded already."
    ]
    assert Student.objects.count() == 1


def test_a_student_without_a_name_or_with_a_bad_year_is_refused(staff_client, university):
    response = staff_client.post(
        url("student_add", university.uscc),
        student_data(name="", expected_graduation_year="1900"),
    )

    errors = response.context["form"].errors
    assert response.status_code == 400
    assert errors["name"] == ["This field is required."]
    assert "expected_graduation_year" in errors
    assert not Student.objects.exists()


def test_staff_edit_a_student(staff_client, university, student):
    response = staff_client.post(
        url("student_edit", university.uscc, student.pk),
        student_data(student_number=student.student_number, field="Solid electrolytes"),
    )

    student.refresh_from_db()
    assert response.status_code == 302
    assert student.field == "Solid electrolytes"


def test_staff_link_a_students_login_by_its_email(staff_client, university):
    student = StudentFactory(university=university)
    login = UserFactory(username="zhao", email="Zhao@Example.com")

    linked = staff_client.post(
        url("student_link", university.uscc, student.pk), {"email": "zhao@example.com"}
    )
    unknown = staff_client.post(
        url("student_link", university.uscc, student.pk), {"email": "nobody@example.com"}
    )

    student.refresh_from_db()
    assert linked.status_code == 302
    assert student.user == login
    assert unknown.status_code == 400
    assert unknown.context["link_form"].errors["email"] == [
        "No single active account uses this email."
    ]


def test_staff_offer_an_internship_and_the_host_confirms_and_records_the_hire(
    client, university, student, sme
):
    client.force_login(university.staff)
    offered = client.post(
        url("internship_offer", university.uscc),
        {
            "student": student.student_number,
            "host": sme.uscc,
            "starts_on": "2026-03-01",
            "ends_on": "2026-06-30",
        },
    )
    stint = Internship.objects.get()

    client.force_login(sme.owner)
    assert student.name in text_of(client.get(url("enterprise", sme.uscc)))
    client.post(url("enterprise_internship_move", sme.uscc, stint.pk), {"to_status": "ongoing"})
    done = client.post(
        url("enterprise_internship_move", sme.uscc, stint.pk),
        {"to_status": "completed", "outcome": "hired"},
        follow=True,
    )

    stint.refresh_from_db()
    assert offered.status_code == 302
    assert stint.status == InternshipStatus.COMPLETED
    assert stint.outcome == InternshipOutcome.HIRED
    assert stint.host_confirmed_at is not None
    assert "The internship is completed." in text_of(done)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"student": "NOPE"}, "student", "No student of your university has this number."),
        ({"ends_on": "2026-02-01"}, "ends_on", "The internship ends before it starts."),
        ({"host": "pending"}, "host", "Choose a verified enterprise of the directory."),
    ],
)
def test_a_bad_internship_offer_is_refused_on_its_field(
    staff_client, university, student, sme, changes, field, message
):
    data = {
        "student": student.student_number,
        "host": sme.uscc,
        "starts_on": "2026-03-01",
        "ends_on": "2026-06-30",
        **changes,
    }
    if data["host"] == "pending":
        data["host"] = EnterpriseFactory(status="pending").uscc

    response = staff_client.post(url("internship_offer", university.uscc), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not Internship.objects.exists()


def test_the_university_cancels_but_cannot_confirm_an_internship(
    staff_client, university, student, sme
):
    stint = internship(student, sme)
    move = url("university_internship_move", university.uscc, stint.pk)

    page = staff_client.get(url("university", university.uscc)).content.decode()
    refused = staff_client.post(move, {"to_status": "ongoing"})
    cancelled = staff_client.post(move, {"to_status": "cancelled"}, follow=True)

    stint.refresh_from_db()
    assert 'value="ongoing"' not in page
    assert refused.status_code == 403
    assert stint.status == InternshipStatus.CANCELLED
    assert "The internship is cancelled." in text_of(cancelled)


def test_completing_without_an_outcome_or_twice_is_explained(
    staff_client, university, student, sme
):
    stint = internship(student, sme, InternshipStatus.ONGOING)
    move = url("university_internship_move", university.uscc, stint.pk)

    no_outcome = staff_client.post(move, {"to_status": "completed"}, follow=True)
    staff_client.post(move, {"to_status": "completed", "outcome": "job_offered"})
    twice = staff_client.post(move, {"to_status": "cancelled"}, follow=True)

    assert "Say how the internship ended." in text_of(no_outcome)
    assert "cannot become “Cancelled”" in text_of(twice)
    stint.refresh_from_db()
    assert stint.outcome == InternshipOutcome.JOB_OFFERED


def test_the_workspace_takes_a_fixed_number_of_queries(
    staff_client, university, sme, django_assert_max_num_queries
):
    for number in range(8):
        student = StudentFactory(university=university)
        internship(student, sme)
        internship(student, sme, InternshipStatus.ONGOING)
        graduate(university, f"G{number}", "local_ssb", employer=sme)
    TrainingBase.objects.create(
        name="Base", university=university, enterprise=sme, capacity=5,
        started_on=datetime.date(2025, 1, 1),
    )  # fmt: skip

    # session, user, the university, students (count, page), internships (official check,
    # count, page), programmes, bases, reports: nothing per student or internship
    with django_assert_max_num_queries(11):
        response = staff_client.get(url("university", university.uscc))

    assert response.status_code == 200
    assert len(response.context["students"].object_list) == 8
    assert len(response.context["internship_rows"]) == 16


def test_the_student_list_pages_and_finds_by_number(staff_client, university):
    for number in range(25):
        StudentFactory(university=university, student_number=f"N{number:03d}")

    second = staff_client.get(url("university", university.uscc), {"page": 2})
    found = staff_client.get(url("university", university.uscc), {"q": "N007"})

    assert [s.student_number for s in second.context["students"]] == [
        f"N{number:03d}" for number in range(20, 25)
    ]
    assert [s.student_number for s in found.context["students"]] == ["N007"]


# --- graduate reports -------------------------------------------------------------------------


def upload(client, university, file, year=THIS_YEAR, **kwargs):
    return client.post(
        url("graduates_upload", university.uscc), {"year": year, "file": file}, **kwargs
    )


def test_a_graduate_report_is_recorded_and_sending_it_again_changes_nothing(
    staff_client, university, sme
):
    lines = (f"G1,master,Electrochemistry,local_ssb,{sme.uscc}", "G2,本科,Materials,outside,")

    first = upload(staff_client, university, csv_file(*lines), follow=True)
    again = upload(staff_client, university, csv_file(*lines), follow=True)

    assert f"Graduates of {THIS_YEAR}: 2 new, 0 updated, 0 unchanged." in text_of(first)
    assert f"Graduates of {THIS_YEAR}: 0 new, 0 updated, 2 unchanged." in text_of(again)
    assert Graduate.objects.get(student_number="G1").employer == sme
    assert Graduate.objects.get(student_number="G2").degree == "bachelor"


def test_a_changed_destination_counts_as_updated(staff_client, university, sme):
    graduate(university, "G1", "unknown")

    response = upload(
        staff_client,
        university,
        csv_file(f"G1,master,Electrochemistry,local_ssb,{sme.uscc}"),
        follow=True,
    )

    assert f"Graduates of {THIS_YEAR}: 0 new, 1 updated, 0 unchanged." in text_of(response)


def test_a_report_with_bad_rows_lists_every_problem_and_saves_nothing(
    staff_client, university, sme
):
    outside = EnterpriseFactory(district=outside_district())
    pending = EnterpriseFactory(status="pending")

    response = upload(
        staff_client,
        university,
        csv_file(
            f"G1,master,Electrochemistry,local_ssb,{sme.uscc}",
            f"G2,master,Electrochemistry,local_ssb,{outside.uscc}",
            f"G3,master,Electrochemistry,local_ssb,{pending.uscc}",
            "G4,postdoc,Electrochemistry,moon,",
            "G1,master,Electrochemistry,local_ssb,",
            f"G6,master,Electrochemistry,outside,{sme.uscc}",
        ),
    )

    page = text_of(response)
    assert response.status_code == 400
    assert "The report has 7 problems; nothing was saved." in page
    assert "3 employer_uscc No verified local enterprise has this code." in page
    assert "4 employer_uscc No verified local enterprise has this code." in page
    assert "5 degree Use one of vocational, bachelor, master, doctorate" in page
    assert "5 destination Use one of local_ssb, city_other, outside, unknown; got “moon”." in page
    assert "6 student_number Student number G1 is given twice: also in row 2." in page
    assert "6 employer_uscc A graduate who joined a local solid-state battery" in page
    assert "7 employer_uscc Leave this empty unless the destination is local_ssb." in page
    assert not Graduate.objects.exists()


def test_a_workbook_with_chinese_headers_is_read(staff_client, university, sme):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["学号", "学历", "专业", "就业去向", "用人单位统一社会信用代码", "备注"])
    sheet.append([2024001, "博士", "固态电解质", "本地固态电池企业", sme.uscc, "x"])
    sheet.append(["0024002", "硕士", "正极材料", "市外", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = upload(
        staff_client,
        university,
        SimpleUploadedFile("毕业生.xlsx", buffer.getvalue()),
        follow=True,
    )

    assert f"Graduates of {THIS_YEAR}: 2 new" in text_of(response)
    assert set(Graduate.objects.values_list("student_number", flat=True)) == {
        "2024001",
        "0024002",
    }
    assert Graduate.objects.get(student_number="2024001").degree == "doctorate"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither CSV text nor an Excel workbook"),
        (b"student_number,degree,field\nG1,master,x\n", "The column “destination” is missing"),
        (HEADER.encode() + b"\n", "a header row but no graduates below it"),
    ],
)
def test_a_file_that_is_not_a_report_is_refused(staff_client, university, content, message):
    response = upload(staff_client, university, SimpleUploadedFile("report.csv", content))

    assert response.status_code == 400
    assert message in text_of(response)
    assert not Graduate.objects.exists()


def test_a_file_above_the_size_limit_is_refused_on_the_form(staff_client, university, settings):
    settings.GRADUATE_UPLOAD_MAX_BYTES = 100

    response = upload(staff_client, university, csv_file(*["G1,master,x,outside,"] * 10))

    assert response.status_code == 400
    message = response.context["form"].errors["file"][0].replace("\xa0", " ")
    assert "at most 100 bytes are accepted" in message


def test_the_report_templates_download(client):
    csv_response = client.get(url("graduates_template", "csv"))
    xlsx_response = client.get(url("graduates_template", "xlsx"))

    assert csv_response.content.decode("utf-8-sig").splitlines()[0] == HEADER
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADER.split(",")


def test_the_graduates_page_takes_a_fixed_number_of_queries(
    staff_client, university, sme, django_assert_max_num_queries
):
    for number in range(10):
        graduate(university, f"G{number}", "local_ssb", employer=EnterpriseFactory())

    # session, user, the university, reports, official check, count, page with employers
    with django_assert_max_num_queries(7):
        response = staff_client.get(url("graduates_upload", university.uscc))

    assert len(response.context["graduates"].object_list) == 10


# --- the enterprise's side --------------------------------------------------------------------


def test_the_employer_confirms_a_hire(client, university, sme):
    hire = graduate(university, "G1", "local_ssb", employer=sme)
    client.force_login(sme.owner)

    response = client.post(url("graduate_confirm", sme.uscc, hire.pk), follow=True)

    hire.refresh_from_db()
    assert hire.employer_confirmed_at is not None
    assert "The hire of graduate G1 is confirmed." in text_of(response)


def expert_data(**changes) -> dict:
    data = {
        "name": "Dr. Anna Berg",
        "country": "Sweden",
        "field": "Sulfide electrolytes",
        "years_experience": "12",
        "status": "signed",
        "signed_on": "2026-01-15",
        "base_salary_cny": "900000",
        "housing_benefit_cny": "120000",
        "school_priority": "on",
        "benefits-TOTAL_FORMS": "3",
        "benefits-INITIAL_FORMS": "0",
        "benefits-MIN_NUM_FORMS": "0",
        "benefits-MAX_NUM_FORMS": "20",
        "benefits-0-label": "Research start-up",
        "benefits-0-amount_cny": "300000",
        "benefits-1-label": "Family travel",
        "benefits-1-amount_cny": "30000.50",
    }
    data.update(changes)
    return data


def test_the_host_records_an_expert_and_sees_the_total_package(client, sme):
    client.force_login(sme.owner)

    response = client.post(url("expert_add", sme.uscc), expert_data(), follow=True)

    expert = OverseasExpert.objects.get()
    assert expert.total_package_cny == Decimal("1350000.50")
    assert expert.benefits.count() == 2
    page = text_of(response)
    assert "the total package is 1,350,000.50 CNY a year" in page
    assert "1,350,000.50" in page


def test_an_expert_with_three_years_experience_is_refused(client, sme):
    client.force_login(sme.owner)

    response = client.post(url("expert_add", sme.uscc), expert_data(years_experience="3"))

    assert response.status_code == 400
    assert response.context["form"].errors["years_experience"] == [
        "Ensure this value is greater than or equal to 5."
    ]
    assert not OverseasExpert.objects.exists()


@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [
        ({"signed_on": ""}, "signed_on", "Give the date the contract was signed."),
        ({"benefits-1-amount_cny": ""}, 1, "Give the amount of this benefit."),
        ({"benefits-0-amount_cny": "-5"}, 0, "greater than or equal to 0"),
    ],
)
def test_a_bad_expert_record_is_refused_where_it_is_wrong(client, sme, changes, where, message):
    client.force_login(sme.owner)

    response = client.post(url("expert_add", sme.uscc), expert_data(**changes))

    assert response.status_code == 400
    if isinstance(where, int):
        errors = response.context["formset"].forms[where].errors
        assert message in " ".join(m for messages in errors.values() for m in messages)
    else:
        assert response.context["form"].errors[where] == [message]
    assert not OverseasExpert.objects.exists()


def test_the_host_edits_an_expert_and_replaces_the_benefits(client, sme):
    client.force_login(sme.owner)
    client.post(url("expert_add", sme.uscc), expert_data())
    expert = OverseasExpert.objects.get()

    form = client.get(url("expert_edit", sme.uscc, expert.pk))
    client.post(
        url("expert_edit", sme.uscc, expert.pk),
        expert_data(**{"status": "arrived", "benefits-1-label": "", "benefits-1-amount_cny": ""}),
    )

    expert.refresh_from_db()
    assert 'value="Research start-up"' in form.content.decode()
    assert expert.status == "arrived"
    assert expert.total_package_cny == Decimal("1320000.00")
    assert list(expert.benefits.values_list("label", flat=True)) == ["Research start-up"]


def test_the_enterprise_page_takes_a_fixed_number_of_queries(
    client, sme, django_assert_max_num_queries
):
    for _number in range(6):
        university = UniversityFactory()
        student = StudentFactory(university=university)
        internship(student, sme)
        graduate(university, student.student_number, "local_ssb", employer=sme)
        client.force_login(sme.owner)
        client.post(url("expert_add", sme.uscc), expert_data(name=f"Expert {_number}"))

    # session, user, the enterprise, internships (official check, count, page), hires
    # (official check, count, page), experts (official check, experts, benefits)
    with django_assert_max_num_queries(12):
        response = client.get(url("enterprise", sme.uscc))

    assert len(response.context["internship_rows"]) == 6
    assert len(response.context["hires"].object_list) == 6
    assert len(response.context["experts"]) == 6


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
