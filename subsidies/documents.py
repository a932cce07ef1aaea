"""What an application document may be: PDF, JPEG or PNG, recognised by content, ≤ 10 MB."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class DocumentType:
    content_type: str
    extensions: tuple[str, ...]
    label: str


PDF = DocumentType("application/pdf", (".pdf",), "PDF")
JPEG = DocumentType("image/jpeg", (".jpg", ".jpeg"), "JPEG")
PNG = DocumentType("image/png", (".png",), "PNG")


def sniff(head: bytes) -> DocumentType | None:
    """The type the bytes really are, from their signature, or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def check_document(*, name: str, size: int, head: bytes) -> DocumentType:
    """Accept the file or raise a ValidationError (on the field "file") saying why.

    The content decides; the name must agree with it, so a script renamed to .pdf and a PDF
    renamed to .png are both refused.
    """
    limit = settings.APPLICATION_DOCUMENT_MAX_BYTES
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
            }
        )
    kind = sniff(head)
    if kind is None:
        raise ValidationError(
            {"file": _("“%(name)s” is not a PDF, JPEG or PNG file.") % {"name": name}}
        )
    if not name.lower().endswith(kind.extensions):
        raise ValidationError(
            {
                "file": _("“%(name)s” is a %(kind)s file but its name says otherwise.")
                % {"name": name, "kind": kind.label}
            }
        )
    return kind
