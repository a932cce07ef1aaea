"""Spreadsheets as downloads: the content types the portal serves CSV and XLSX files with,
and the response that hands a built file to the browser to save.

The apps build the file (pandas, openpyxl); this module only names it and sends it, so
every export and every template download answers with the same headers.
"""

from django.http import HttpResponse

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The content type of each spreadsheet format, by the format's name in URLs and files.
EXPORT_CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def spreadsheet_download(content: bytes, *, fmt: str, filename: str) -> HttpResponse:
    """A CSV or XLSX (`fmt`) file the browser saves as `filename` (the extension added here)
    rather than shows."""
    response = HttpResponse(content, content_type=EXPORT_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
