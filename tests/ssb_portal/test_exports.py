"""The shared download of a spreadsheet: its content type and the name the browser saves."""

import pytest

from ssb_portal import exports


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_a_spreadsheet_is_sent_as_a_file_to_save(fmt, content_type):
    response = exports.spreadsheet_download(b"a,b\r\n", fmt=fmt, filename="ssb-report-2026")

    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="ssb-report-2026.{fmt}"'
    assert response.content == b"a,b\r\n"
