"""Files the upload tests send, built in memory: a workbook from its rows, a PDF."""

import io

import openpyxl
from pypdf import PdfWriter


def xlsx_bytes(*rows: list) -> bytes:
    """An Excel workbook (.xlsx) whose first sheet holds `rows`, one list per row."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_bytes(*, pages: int = 1) -> bytes:
    """A small, well-formed PDF of blank A4 pages."""
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
