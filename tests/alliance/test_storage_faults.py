"""A collaboration document the store refuses (disk full, object store error): the reason on
the form's file field and no row left behind (issue 20)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alliance.models import CollaborationDocument
from directory.demo.documents import blank_pdf
from tests.alliance import pages_support
from tests.alliance.pages_support import as_user, url
from tests.storage_faults import REFUSED

pytestmark = pytest.mark.django_db

collaboration = pages_support.collaboration


def test_a_document_the_store_refuses_is_an_error_on_the_field(
    client, collaboration, sme_member, refusing_store
):
    as_user(client, sme_member.owner)

    answer = client.post(
        url("document_add", collaboration.pk),
        {"title": "Signed agreement", "file": SimpleUploadedFile("agreement.pdf", blank_pdf())},
    )

    assert answer.status_code == 400
    assert REFUSED in answer.context["document_form"].errors["file"][0]
    assert not CollaborationDocument.objects.exists()
