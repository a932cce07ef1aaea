"""A row whose stored file vanished is reported by `manage.py check_private_files` (model, id,
field, stored name; exit status 1), and its download answers a 404 page saying the file is
missing, not a server error (issue 20)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from subsidies.models import Document
from subsidies.services.drafting import application_create, document_add
from tests.factories import ProgrammeFactory
from tests.subsidies.conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(anchor):
    application = application_create(
        actor=anchor.owner,
        programme=ProgrammeFactory(kind="local_procurement"),
        applicant=anchor,
    )
    return [
        document_add(actor=anchor.owner, application=application, kind="invoices", upload=pdf())
        for _ in range(2)
    ]


def check() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_private_files", stdout=out, stderr=err)
    except SystemExit as stop:
        return stop.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def test_every_file_there_exits_0(documents):
    status, output = check()

    assert status == 0
    assert "Every stored file is there" in output


def test_a_vanished_file_is_reported_with_its_row_and_exits_1(documents):
    lost = documents[1]
    lost.file.storage.delete(lost.file.name)

    status, output = check()

    assert status == 1
    assert f"missing: subsidies.Document id={lost.pk} file={lost.file.name}" in output
    assert f"id={documents[0].pk} " not in output


def test_the_download_of_a_vanished_file_is_a_404_page_saying_so(
    client, anchor, documents, settings
):
    settings.DEBUG = False  # Django's own 404 page, not the debug one
    lost = documents[0]
    lost.file.storage.delete(lost.file.name)
    client.force_login(anchor.owner)

    response = client.get(
        reverse("subsidies:document", args=[lost.application_id, lost.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 404
    assert "can no longer be found in the file store" in response.content.decode()
    assert Document.objects.filter(pk=lost.pk).exists()
