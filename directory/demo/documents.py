"""The demo city's documents: one blank, well-formed PDF page that every demo upload (lab
reports, application documents, signed agreements) carries, as the upload checks read PDFs
with pypdf and refuse malformed ones."""

import functools
import io

from pypdf import PdfWriter

A4_POINTS = (595, 842)


@functools.cache
def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=A4_POINTS[0], height=A4_POINTS[1])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
