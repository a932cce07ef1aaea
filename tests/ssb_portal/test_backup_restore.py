"""`manage.py backup` and `manage.py restore`, proven by `manage.py restore_drill`: after a
restore into a fresh database and fresh stores, the audit chain verifies, the LCR figures are
the same to the fen and every stored file reads back with the same SHA-256 (issue 20). On the
suite's database (SQLite here; PostgreSQL with pg_dump in the PostgreSQL run)."""

import io
import json
import shutil
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from directory.models import PurchaseLine
from directory.purchases.services import purchase_lines_import
from directory.restore_drill import drill_figures
from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.backup import BackupError, backup_restore
from subsidies.services.drafting import application_create, document_add
from tests.directory.test_purchase_pages import csv_upload, upload_url
from tests.factories import ProgrammeFactory
from tests.subsidies.conftest import pdf

needs_pg_dump = pytest.mark.skipif(
    connection.vendor == "postgresql" and shutil.which("pg_dump") is None,
    reason="pg_dump is not on PATH",
)


@pytest.fixture
def city(client, anchor):
    """Purchase lines (LCR figures) from an uploaded file, documents in the private store and
    entries in the audit chain."""
    client.force_login(anchor.owner)
    response = client.post(
        upload_url(anchor),
        {
            "file": csv_upload(
                "0001,1,2026-03-31,,Acme,cathode,10.00",
                "0001,2,2026-03-31,,Acme,anode,5.01",
                "0002,1,2025-11-30,,Beta,anode,1234.56",
            )
        },
    )
    assert response.status_code == 302
    _, outcome = purchase_lines_import(
        actor=anchor.owner,
        buyer=anchor,
        raw_rows=[
            {
                "invoice_no": "A-1",
                "line_no": 1,
                "invoice_date": "2026-03-31",
                "supplier_name": "Acme",
                "category": "cathode",
                "amount": "1000.01",
            },
            {
                "invoice_no": "A-1",
                "line_no": 2,
                "invoice_date": "2026-03-31",
                "supplier_name": "Beta",
                "category": "anode",
                "amount": "333.33",
            },
            {
                "invoice_no": "B-7",
                "line_no": 1,
                "invoice_date": "2025-11-30",
                "supplier_name": "Gamma",
                "category": "cathode",
                "amount": "1234.56",
            },
        ],
        source="api",
        review_large=False,
    )
    assert outcome.ok, outcome
    assert PurchaseLine.objects.count() >= 3
    application = application_create(
        actor=anchor.owner, programme=ProgrammeFactory(kind="local_procurement"), applicant=anchor
    )
    for name in ("发票.pdf", "合同.pdf"):
        document_add(actor=anchor.owner, application=application, kind="invoices", upload=pdf(name))
    audit_append(actor=anchor.owner, action="drill", subject=application, data={"n": 1})
    return anchor


# One transactional test (the drill's restore runs in another process, which sees only what
# is committed); its serialized rollback brings back the data migrations' rows for later tests.
@needs_pg_dump
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_restore_drill_keeps_the_audit_chain_the_lcr_and_every_file(city, tmp_path):
    out = io.StringIO()

    call_command("restore_drill", stdout=out)

    output = out.getvalue()
    assert "FAIL" not in output
    for check in (
        "ok   audit chain intact after the restore",
        "ok   LCR by buyer and year equal to the fen",
        "ok   every stored file read back with the same SHA-256",
        "ok   no row's file missing",
    ):
        assert check in output
    figures = drill_figures()
    assert figures["audit"]["checked"] >= 1
    assert figures["lcr_by_buyer_and_year"]
    assert len(figures["files"]) == 3  # the purchase file and two documents

    # The archive a backup writes: the database and every stored file, with the manifest.
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile("manifest.json"))
    assert manifest["database"]["member"] in names
    assert sorted(entry["store"] for entry in manifest["files"]) == [
        "default",
        "private",
        "private",
    ]
    assert all(f"files/{e['store']}/{e['name']}" in names for e in manifest["files"])


@pytest.mark.django_db
def test_a_restore_into_a_database_that_is_not_empty_is_refused(tmp_path):
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(tmp_path / "whatever.tar.gz")


@pytest.mark.django_db
def test_the_restore_command_says_why_it_refuses(tmp_path):
    with pytest.raises(CommandError, match="restore into a fresh one"):
        call_command("restore", str(tmp_path / "whatever.tar.gz"))
