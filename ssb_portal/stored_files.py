"""Storing an upload's file, and finding rows whose file is gone (issue 20).

Every upload path stores its file through `store_file`: a store that refuses the write (disk
full or read-only, an object store that answers with an error or not at all) becomes a
ValidationError on the form's or API's field, logged for the operators, and, as the row is
saved only after its files, no row is left behind. `vanished_files` lists the rows whose stored
file cannot be found any more (`manage.py check_private_files`).
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass

from boto3.exceptions import Boto3Error
from botocore.exceptions import BotoCoreError, ClientError
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# What a storage backend raises when it cannot keep a file: the local disk's OSError (ENOSPC,
# EDQUOT, EROFS, EACCES...), boto3's and botocore's (S3: an error answer, no answer at all).
STORAGE_ERRORS = (OSError, Boto3Error, BotoCoreError, ClientError)
STORAGE_REFUSED = _(
    "The file could not be stored just now (the file store refused it), so nothing was saved. "
    "Please try again later; if it happens again, tell the portal's operators."
)


def store_file(field_file: FieldFile, name: str, content, *, field: str) -> None:
    """Store `content` as `field_file`'s file (the row is not saved), or raise a ValidationError
    on `field` saying the file could not be stored."""
    try:
        field_file.save(name, content, save=False)
    except STORAGE_ERRORS as error:
        logger.error(
            "Storing an upload for %s.%s failed: %r",
            field_file.instance._meta.label,
            field_file.field.name,
            error,
        )
        raise ValidationError({field: [STORAGE_REFUSED]}) from error


class StoredFileMissing(Http404):
    """A row's file is not in the store (any more): a 404 whose page says so
    (ssb_portal.views.page_not_found)."""


def open_stored_file(field_file: FieldFile):
    """The stored file opened for reading, or StoredFileMissing when the store has lost it."""
    try:
        return field_file.open("rb")
    except FileNotFoundError as error:
        logger.error(
            "A stored file has vanished: %s id=%s %s=%s (manage.py check_private_files)",
            field_file.instance._meta.label,
            field_file.instance.pk,
            field_file.field.name,
            field_file.name,
        )
        raise StoredFileMissing(field_file.name) from error


@dataclass(frozen=True)
class VanishedFile:
    model: str
    pk: object
    field: str
    name: str


def file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    """Every (concrete model, file field) of the portal's apps."""
    for model in apps.get_models():
        if model._meta.abstract or model._meta.proxy:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.model is model:
                yield model, field


def vanished_files() -> Iterator[VanishedFile]:
    """The rows that name a stored file their storage does not have (any more)."""
    for model, field in file_fields():
        rows = (
            model._default_manager.exclude(**{field.name: ""})
            .exclude(**{f"{field.name}__isnull": True})
            .values_list("pk", field.name)
            .order_by("pk")
        )
        for pk, name in rows.iterator(chunk_size=2000):
            if not field.storage.exists(name):
                yield VanishedFile(model._meta.label, pk, field.name, name)
