"""Files the upload tests send, built in memory: a workbook from its rows (PDFs come from
`directory.demo.documents.blank_pdf`)."""

import io

import openpyxl


def xlsx_bytes(*rows: list) -> bytes:
    """An Excel workbook (.xlsx) whose first sheet holds `rows`, one list per row."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
