"""Well-formed PDF documents for the demo city, the tests and the benchmarks: blank A4 pages
that every demo upload (lab reports, application documents, signed agreements) carries, as
the upload checks read PDFs with pypdf and refuse malformed ones."""

import functools
import io

from pypdf import PdfWriter

A4_POINTS = (595, 842)


@functools.cache
def blank_pdf(*, pages: int = 1, subject: str = "") -> bytes:
    """Blank A4 pages; a `subject` (document metadata) makes the bytes a caller's own."""
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=A4_POINTS[0], height=A4_POINTS[1])
    if subject:
        writer.add_metadata({"/Subject": subject})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
