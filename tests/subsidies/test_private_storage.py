"""Private documents go through Django's storage API only: with the private store swapped for
one that is not on this machine's disk (as an S3 bucket is not), an upload and its download
still work, and nothing lands under PRIVATE_MEDIA_ROOT."""

import pytest
from django.core.files.storage import storages

from subsidies.models import Document
from tests.subsidies.conftest import PDF_BYTES, pdf
from tests.subsidies.pages_support import url


@pytest.fixture
def remote_store(settings):
    """The private store held in memory: no local path exists for any file in it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return storages["private"]


def test_an_upload_and_its_download_go_through_the_configured_store(
    remote_store, member, empty_draft, settings
):
    response = member.post(
        url("document_add", empty_draft.pk), {"kind": "invoices", "file": pdf("合同.pdf")}
    )
    assert response.status_code == 302

    document = Document.objects.get()
    assert remote_store.exists(document.file.name)
    download = member.get(url("document", empty_draft.pk, document.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert not settings.PRIVATE_MEDIA_ROOT.exists() or not any(
        path.is_file() for path in settings.PRIVATE_MEDIA_ROOT.rglob("*")
    )


def test_a_private_file_never_gets_a_url(remote_store, member, empty_draft):
    member.post(url("document_add", empty_draft.pk), {"kind": "invoices", "file": pdf()})

    with pytest.raises(ValueError, match="no URL"):
        Document.objects.get().file.url  # noqa: B018
