"""A university's graduate report as it arrives in a file (CSV or XLSX), read and cleaned.

Pure functions over bytes and plain values, no database: the shared reader
(`ssb_portal.tabular`) decides what a file is by its bytes (never by its name), maps English
headers (any case) and the Chinese aliases below to the column names and keeps every cell as
text, so that a student number such as 0021 keeps its zeros. `clean_rows` checks every row
and reports each problem with its row number, its column and a reason a person can act on;
the employers the rows name are looked up by the caller (`talent.selectors.local_employers`)
and passed in. The result feeds
`talent.services.graduates_import`, which saves all rows or none.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.validators import normalise_uscc, uscc_check_character, validate_uscc
from ssb_portal import tabular
from ssb_portal.exports import Sheet, csv_content, xlsx_content
from ssb_portal.tabular import RowError, cell_text
from talent.models import DegreeLevel, Destination

GRADUATE_COLUMNS = ("student_number", "degree", "field", "destination", "employer_uscc")
REQUIRED_COLUMNS = ("student_number", "degree", "field", "destination")

# Chinese headers accepted in files, mapped to the column names above.
CHINESE_HEADERS = {
    "学号": "student_number",
    "学生编号": "student_number",
    "学位": "degree",
    "学历": "degree",
    "层次": "degree",
    "专业": "field",
    "专业领域": "field",
    "领域": "field",
    "去向": "destination",
    "就业去向": "destination",
    "毕业去向": "destination",
    "用人单位统一社会信用代码": "employer_uscc",
    "用人单位信用代码": "employer_uscc",
    "雇主统一社会信用代码": "employer_uscc",
    "就业单位统一社会信用代码": "employer_uscc",
}

# Cell values accepted for the degree and the destination (English any case, or Chinese).
DEGREE_VALUES = {
    **{value: value for value in DegreeLevel.values},
    "diploma": DegreeLevel.VOCATIONAL,
    "phd": DegreeLevel.DOCTORATE,
    "doctoral": DegreeLevel.DOCTORATE,
    "专科": DegreeLevel.VOCATIONAL,
    "高职": DegreeLevel.VOCATIONAL,
    "本科": DegreeLevel.BACHELOR,
    "学士": DegreeLevel.BACHELOR,
    "硕士": DegreeLevel.MASTER,
    "研究生": DegreeLevel.MASTER,
    "博士": DegreeLevel.DOCTORATE,
}
DESTINATION_VALUES = {
    **{value: value for value in Destination.values},
    "本地固态电池企业": Destination.LOCAL_SSB,
    "本市固态电池企业": Destination.LOCAL_SSB,
    "本市其他": Destination.CITY_OTHER,
    "本市其他单位": Destination.CITY_OTHER,
    "市外": Destination.OUTSIDE,
    "外地": Destination.OUTSIDE,
    "未知": Destination.UNKNOWN,
    "待定": Destination.UNKNOWN,
}

# Spreadsheet numbering: the header is row 1, the first graduate row 2.
FILE_ROW = tabular.FILE_ROW
FIRST_DATA_ROW = tabular.FIRST_DATA_ROW
MAX_DATA_ROWS = 20_000
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_STUDENT_NUMBER = 40
MAX_FIELD = 120

NO_ROWS = gettext_lazy("The file has a header row but no graduates below it.")


class GraduateFileError(tabular.TableError):
    """The file cannot be read as a graduate report; `errors` says why (row, column, reason)."""


def max_upload_bytes() -> int:
    return getattr(settings, "GRADUATE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def too_large_message(size: int) -> str | None:
    """Why a file of `size` bytes is refused, or None when its size is acceptable."""
    return tabular.too_large_message(size, max_upload_bytes())


# --- the file -------------------------------------------------------------------------------


def read_graduate_file(data: bytes) -> list[dict[str, str]]:
    """Every graduate row as column name -> cell text, in file order (row FIRST_DATA_ROW on).

    Raises GraduateFileError for a file that cannot be a graduate report at all: empty, too
    large, not CSV or XLSX by its content, unreadable, without the required columns or rows.
    """
    try:
        records = tabular.read_records(
            data,
            columns=GRADUATE_COLUMNS,
            aliases=CHINESE_HEADERS,
            required=REQUIRED_COLUMNS,
            max_bytes=max_upload_bytes(),
            max_rows=MAX_DATA_ROWS,
            no_rows=NO_ROWS,
        )
    except tabular.TableError as error:
        raise GraduateFileError(error.errors) from error
    return [{column: cell_text(value) for column, value in row.items()} for row in records.rows]


def employer_codes(rows: Iterable[Mapping[str, Any]]) -> set[str]:
    """The employers' codes the rows name, normalised: what the caller looks up."""
    return {code for row in rows if (code := normalise_uscc(cell_text(row.get("employer_uscc"))))}


# --- the rows -------------------------------------------------------------------------------


def _choice(value: str, choices: Mapping[str, str]) -> str | None:
    return choices.get(value.lower()) or choices.get("".join(value.split()))


def _clean_row(
    raw: Mapping[str, Any],
    *,
    row: int,
    employers: Mapping[str, Any],
    first_row_of: dict[str, int],
) -> tuple[dict[str, Any] | None, list[RowError]]:
    """One row cleaned, or every problem it has; `first_row_of` remembers student numbers."""
    problems: list[RowError] = []

    def problem(column: str, message: str) -> None:
        problems.append(RowError(row, column, message))

    text = {column: cell_text(raw.get(column)) for column in GRADUATE_COLUMNS}
    for column in REQUIRED_COLUMNS:
        if not text[column]:
            problem(column, _("This column is required."))

    number = text["student_number"]
    if len(number) > MAX_STUDENT_NUMBER:
        problem("student_number", _("At most 40 characters."))
    elif number in first_row_of:
        problem(
            "student_number",
            _("Student number %(number)s is given twice: also in row %(row)s.")
            % {"number": number, "row": first_row_of[number]},
        )
    elif number:
        first_row_of[number] = row

    degree = _choice(text["degree"], DEGREE_VALUES) if text["degree"] else None
    if text["degree"] and degree is None:
        problem(
            "degree",
            _("Use one of %(choices)s (or 专科, 本科, 硕士, 博士); got “%(value)s”.")
            % {"choices": ", ".join(DegreeLevel.values), "value": text["degree"]},
        )
    if len(text["field"]) > MAX_FIELD:
        problem("field", _("At most 120 characters."))

    destination = _choice(text["destination"], DESTINATION_VALUES) if text["destination"] else None
    if text["destination"] and destination is None:
        problem(
            "destination",
            _("Use one of %(choices)s; got “%(value)s”.")
            % {"choices": ", ".join(Destination.values), "value": text["destination"]},
        )

    code = normalise_uscc(text["employer_uscc"])
    employer = None
    if code and destination and destination != Destination.LOCAL_SSB:
        problem("employer_uscc", _("Leave this empty unless the destination is local_ssb."))
    elif code:
        try:
            validate_uscc(code)
        except ValidationError as error:
            problem("employer_uscc", " ".join(error.messages))
        else:
            employer = employers.get(code)
            if employer is None:
                problem("employer_uscc", _("No verified local enterprise has this code."))
    elif destination == Destination.LOCAL_SSB:
        problem(
            "employer_uscc",
            _("A graduate who joined a local solid-state battery enterprise names it here."),
        )

    if problems:
        return None, problems
    return (
        {
            "row": row,
            "student_number": number,
            "degree": degree,
            "field": text["field"],
            "destination": destination,
            "employer": employer,
        },
        [],
    )


def clean_rows(
    rows: Sequence[Mapping[str, Any]], *, employers: Mapping[str, Any]
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """The rows ready for `services.graduates_import`, or every problem they have.

    Rows are numbered as in the spreadsheet, from FIRST_DATA_ROW. employers: USCC ->
    enterprise, for the verified enterprises in a local district among the codes of
    `employer_codes(rows)`; a graduate whose destination is local_ssb must name one.
    """
    cleaned: list[dict[str, Any]] = []
    errors: list[RowError] = []
    first_row_of: dict[str, int] = {}
    for row, raw in enumerate(rows, start=FIRST_DATA_ROW):
        clean, problems = _clean_row(raw, row=row, employers=employers, first_row_of=first_row_of)
        if clean is None:
            errors.extend(problems)
        else:
            cleaned.append(clean)
    return cleaned, errors


# --- the downloadable template --------------------------------------------------------------


def _example_rows() -> list[list[str]]:
    body = "91330100MA2H3K4L5"
    return [
        [
            "2022010001",
            "master",
            "Materials science",
            "local_ssb",
            body + uscc_check_character(body),
        ],
        ["2022010002", "bachelor", "Electrochemistry", "outside", ""],
    ]


def graduate_template_csv() -> bytes:
    """The columns and two example rows, UTF-8 with a BOM so that Excel reads it right."""
    return csv_content(GRADUATE_COLUMNS, _example_rows())


def graduate_template_xlsx() -> bytes:
    """The same template as a workbook; student numbers and codes are text cells."""
    return xlsx_content(
        Sheet(
            "graduates",
            GRADUATE_COLUMNS,
            _example_rows(),
            number_formats={
                index: "@"
                for index, column in enumerate(GRADUATE_COLUMNS)
                if column in ("student_number", "employer_uscc")
            },
            widths=[max(14, len(column) + 6) for column in GRADUATE_COLUMNS],
            freeze_header=True,
        )
    )
