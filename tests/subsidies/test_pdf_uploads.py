"""An applicant's PDF is refused, on the field it was sent on and with nothing saved, when it
is encrypted, carries JavaScript or cannot be read."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from subsidies.services.drafting import document_add

pytestmark = pytest.mark.django_db


def _pdf(*, password: str = "", script: str = "") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if script:
        writer.add_js(script)
    if password:
        writer.encrypt(user_password=password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_pdf(password="secret"), "“invoice.pdf” is encrypted"),
        (_pdf(script="app.alert(1);"), "“invoice.pdf” contains JavaScript"),
        (b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n", "“invoice.pdf” cannot be read as a PDF"),
    ],
)
def test_an_unsafe_or_broken_pdf_is_refused_on_the_file_field(draft, anchor, content, message):
    upload = SimpleUploadedFile("invoice.pdf", content, content_type="application/pdf")

    with pytest.raises(ValidationError, match=message) as error:
        document_add(actor=anchor.owner, application=draft, kind="other", upload=upload)

    assert "file" in error.value.message_dict
    assert draft.documents.count() == 1  # only the fixture's invoice


def test_a_plain_pdf_is_attached(draft, anchor):
    upload = SimpleUploadedFile("letter.pdf", _pdf(), content_type="application/pdf")

    document = document_add(actor=anchor.owner, application=draft, kind="other", upload=upload)

    assert document.content_type == "application/pdf"
    assert draft.documents.count() == 2
