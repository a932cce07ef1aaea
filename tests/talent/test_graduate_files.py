"""Reading a graduate report file: the shared reader's mechanics in the graduate words."""

import pytest

from talent import graduate_rows

HEADER = "student_number,degree,field,destination,employer_uscc"


def test_a_gbk_report_with_chinese_headers_keeps_student_numbers_as_text():
    data = "学号,学历,专业,去向\n0021,硕士,固态电解质,市外\n".encode("gbk")

    assert graduate_rows.read_graduate_file(data) == [
        {"student_number": "0021", "degree": "硕士", "field": "固态电解质", "destination": "市外"}
    ]


def test_rows_keep_their_place_so_that_problems_name_the_row_a_spreadsheet_shows():
    data = f"{HEADER}\nG1,master,x,outside,\n,,,,\nG3,master,x,outside,\n".encode()

    rows = graduate_rows.read_graduate_file(data)
    _cleaned, errors = graduate_rows.clean_rows(rows, employers={})

    assert {error.row for error in errors} == {3}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (HEADER.encode() + b"\n", "The file has a header row but no graduates below it."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "the old Excel format (.xls)"),
    ],
)
def test_a_file_that_is_no_report_is_refused_as_a_whole(data, message):
    with pytest.raises(graduate_rows.GraduateFileError) as caught:
        graduate_rows.read_graduate_file(data)

    [error] = caught.value.errors
    assert error.row == graduate_rows.FILE_ROW
    assert message in error.message


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(graduate_rows, "MAX_DATA_ROWS", 2)
    data = (HEADER + "\n" + "G,master,x,outside,\n" * 3).encode()

    with pytest.raises(graduate_rows.GraduateFileError, match="at most 2 are accepted"):
        graduate_rows.read_graduate_file(data)
