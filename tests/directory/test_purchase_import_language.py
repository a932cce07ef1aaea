"""A background import reports its problems in the language of the person who uploaded, not
in whatever language the worker happens to run in (issue 15)."""

import pytest
from django.utils import translation

from directory.models import PurchaseImportStatus
from directory.purchases.services import purchase_import_submit
from ssb_portal.languages import language_preference_set

BAD_FILE = (
    "invoice_no,line_no,invoice_date,supplier_name,category,amount\nA-1,1,明天,Acme,cathode,1\n"
)


@pytest.mark.parametrize(
    ("uploader_reads", "worker_speaks", "words"),
    [("en", "zh-hans", "Use a date such as"), ("zh-hans", "en", "请使用")],
)
def test_background_import_problems_are_in_the_uploaders_language(
    anchor, django_capture_on_commit_callbacks, uploader_reads, worker_speaks, words
):
    language_preference_set(user=anchor.owner, language=uploader_reads)

    with django_capture_on_commit_callbacks(execute=True), translation.override(worker_speaks):
        purchase_import, _ignored = purchase_import_submit(
            actor=anchor.owner, buyer=anchor, content=BAD_FILE.encode(), filename="p.csv"
        )

    purchase_import.refresh_from_db()
    assert purchase_import.status == PurchaseImportStatus.FAILED
    assert words in purchase_import.errors[0]["message"]
