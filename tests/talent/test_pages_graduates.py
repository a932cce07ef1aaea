"""The graduate report upload: rows recorded or updated, every bad row listed and nothing saved,
Chinese headers read, bad or oversized files refused, the templates downloaded.
"""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from talent.models import Graduate
from tests.factories import EnterpriseFactory, outside_district
from tests.talent import pages_support
from tests.talent.pages_support import THIS_YEAR, graduate, text_of, url

pytestmark = pytest.mark.django_db


# The page tests' own fixtures, bound here rather than in the conftest: other test modules of
# this folder build fixtures of the same names differently.
staff_client = pages_support.staff_client


HEADER = "student_number,degree,field,destination,employer_uscc"


def csv_file(*lines: str, name: str = "graduates.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([HEADER, *lines]) + "\n").encode(), "text/csv")


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
