"""Documents people upload as evidence: PDF, JPEG or PNG recognised by content, at most
APPLICATION_DOCUMENT_MAX_BYTES, kept in the private store (ssb_portal.storage: the local disk
or an S3 bucket, through the storage API only) with no URL and served by a view only to those
allowed to see them.

An app's document model inherits PrivateDocument and says in `folder()` where its files go;
its service calls `document_fill` before saving; its view returns `document_response`.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ssb_portal.pdf_checks import check_pdf
from ssb_portal.storage import private_storage
from ssb_portal.stored_files import open_stored_file, store_file


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


def _stored_name(instance: "PrivateDocument", filename: str) -> str:
    # The stored name is random: the uploader's file name is kept in a field, never on disk.
    return f"{instance.folder()}/{instance.sha256[:16]}-{instance.token}"


class PrivateDocument(models.Model):
    """The fields every private document has; the subclass adds what it belongs to."""

    file = models.FileField(gettext_lazy("file"), upload_to=_stored_name, storage=private_storage)
    original_name = models.CharField(gettext_lazy("file name"), max_length=255)
    content_type = models.CharField(gettext_lazy("content type"), max_length=40)
    size_bytes = models.PositiveIntegerField(gettext_lazy("size (bytes)"))
    sha256 = models.CharField(gettext_lazy("SHA-256"), max_length=64)
    token = models.CharField(gettext_lazy("download token"), max_length=32, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("uploaded by"),
    )
    uploaded_at = models.DateTimeField(gettext_lazy("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def folder(self) -> str:
        raise NotImplementedError


def check_upload(upload: UploadedFile) -> DocumentType:
    """The upload's type, checked by its content, name and size (a PDF by its structure too);
    raises a ValidationError on "file" saying why it is refused."""
    head = upload.read(16)
    upload.seek(0)
    kind = check_document(name=upload.name, size=upload.size, head=head)
    if kind == PDF:
        check_pdf(upload, name=upload.name)
    return kind


def require_pdf_upload(upload: UploadedFile, *, field: str, not_pdf: str) -> None:
    """Check the upload as `check_upload` does and require a PDF; the errors name `field`
    (`not_pdf` when it is a well-formed image instead)."""
    try:
        kind = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({field: error.message_dict.get("file", error.messages)}) from error
    if kind != PDF:
        raise ValidationError({field: [not_pdf]})


def document_fill(
    document: PrivateDocument, *, upload: UploadedFile, actor: AbstractBaseUser
) -> None:
    """Check the upload and fill the document's file fields (not saved yet); raises a
    ValidationError on "file" when the upload is not what it says it is."""
    kind = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document.original_name = upload.name[-255:]
    document.content_type = kind.content_type
    document.size_bytes = upload.size
    document.sha256 = digest.hexdigest()
    document.token = secrets.token_hex(16)
    document.uploaded_by = actor
    store_file(document.file, "upload", upload, field="file")


def document_response(document: PrivateDocument) -> FileResponse:
    """The file as a download that browsers neither sniff nor cache."""
    handle = open_stored_file(document.file)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
