"""Background work of purchases, run by Django's tasks framework (`manage.py task_worker`)."""

import functools

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.base import TaskContext

from directory.models import PurchaseImport, PurchaseImportSource, PurchaseImportStatus
from directory.purchases import files as purchase_files
from directory.purchases import review, services
from ssb_portal.tabular import RowError
from ssb_portal.task_recovery.services import heartbeat, on_stall


def _file_problem(message: str) -> list[dict]:
    return [RowError(purchase_files.FILE_ROW, "", message).as_dict()]


def _uploader_language(purchase_import: PurchaseImport) -> str:
    """The language the uploader reads (their remembered choice), else the portal's."""
    preference = getattr(purchase_import.submitted_by, "language_preference", None)
    return preference.language if preference is not None else settings.LANGUAGE_CODE


@task(takes_context=True)
def process_purchase_import(context: TaskContext, import_id: int) -> None:
    """Import an uploaded purchase file, recording progress and the outcome on its import.

    A worker speaks no one's language: the problems are written in the uploader's. Each
    progress report is the task's heartbeat: an import whose worker died is run again from
    the start (it is idempotent), else failed (`_requeue`, `_give_up`).
    """
    purchase_import = PurchaseImport.objects.select_related(
        "buyer", "submitted_by__language_preference", "column_mapping"
    ).get(pk=import_id)
    if not services.purchase_import_claim(purchase_import=purchase_import):
        return  # delivered twice: the first delivery does the work
    with translation.override(_uploader_language(purchase_import)):
        _process(purchase_import, context)


def _process(purchase_import: PurchaseImport, context: TaskContext) -> None:
    try:
        _run(purchase_import, context)
    except Exception:
        # Recorded for the person waiting on the result page; raised again for the worker's log.
        services.purchase_import_fail(
            purchase_import=purchase_import,
            errors=_file_problem(
                _("The import stopped on an unexpected error; nothing was saved. Try again later.")
            ),
        )
        raise


def _run(purchase_import: PurchaseImport, context: TaskContext) -> None:
    # Runs as the person who uploaded the file: someone who left the firm meanwhile
    # records nothing for it.
    # An import from the command line (accepted after review) had no account: it is trusted.
    if (
        purchase_import.submitted_by is None
        and purchase_import.source != PurchaseImportSource.COMMAND
    ):
        services.purchase_import_fail(
            purchase_import=purchase_import,
            errors=_file_problem(_("The account that uploaded the file no longer exists.")),
        )
        return
    with purchase_import.file.open("rb") as stored:
        content = stored.read()
    # The rows of an API or command import accepted after review were kept as they came.
    stored = review.stored_rows(purchase_import, content)
    if stored is not None:
        rows, first_row = stored
    else:
        try:
            mapping = purchase_import.column_mapping
            parsed = purchase_files.read_purchase_file(
                content, mapping.columns if mapping else None
            )
        except purchase_files.PurchaseFileError as error:
            services.purchase_import_fail(
                purchase_import=purchase_import,
                errors=[problem.as_dict() for problem in error.errors],
            )
            return
        rows, first_row = parsed.rows, parsed.first_row
    services.purchase_import_progress(
        purchase_import=purchase_import, rows_done=0, rows_total=len(rows)
    )
    try:
        services.purchase_lines_import(
            actor=purchase_import.submitted_by,
            buyer=purchase_import.buyer,
            raw_rows=rows,
            source=purchase_import.source,
            filename=purchase_import.filename,
            purchase_import=purchase_import,
            first_row=first_row,
            on_progress=functools.partial(_progress, purchase_import, context),
        )
    except PermissionDenied as error:
        services.purchase_import_fail(
            purchase_import=purchase_import, errors=_file_problem(str(error))
        )


def _progress(purchase_import: PurchaseImport, context: TaskContext, rows_done: int) -> None:
    services.purchase_import_progress(purchase_import=purchase_import, rows_done=rows_done)
    heartbeat(context)


def _requeue(import_id: int) -> None:
    services.purchase_import_requeue(import_id=import_id)


def _give_up(import_id: int) -> None:
    purchase_import = (
        PurchaseImport.objects.select_related("submitted_by__language_preference")
        .filter(pk=import_id, status=PurchaseImportStatus.RUNNING)
        .first()
    )
    if purchase_import is None:
        return  # it ended meanwhile, or was removed
    with translation.override(_uploader_language(purchase_import)):
        services.purchase_import_fail(
            purchase_import=purchase_import,
            errors=_file_problem(
                _(
                    "The import was interrupted %(tries)d times (the server stopped while it "
                    "ran); nothing was saved. Upload the file again later, or split it into "
                    "smaller files."
                )
                % {"tries": settings.TASK_MAX_ATTEMPTS}
            ),
        )


on_stall(process_purchase_import, requeue=_requeue, give_up=_give_up)
