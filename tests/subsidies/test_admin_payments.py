"""After the decision: disbursement batches, their export and payment, objections upheld and
recoveries opened, repaid and written off.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import constants as message_levels
from django.urls import reverse
from django.utils import timezone

from subsidies.models import DisbursementBatch, Notice, Objection, Recovery
from subsidies.services.disbursements import disbursement_batch_mark_paid
from tests.admin_support import messages_of
from tests.subsidies.admin_support import (
    APPLICATIONS,
    BATCHES,
    OBJECTIONS,
    RECOVERIES,
    S,
    act,
    status_of,
)

pytestmark = pytest.mark.django_db


# --- notice, payment, recovery ------------------------------------------------------------


def test_a_batch_is_prepared_from_awards_whose_notice_is_over(batch, awards_in_notice):
    assert batch.total_cny == Decimal("1500000.50")
    assert set(batch.applications.values_list("pk", flat=True)) == {a.pk for a in awards_in_notice}


def test_an_award_under_objection_is_not_put_in_a_batch(official_client, awards_in_notice):
    award = awards_in_notice[0]
    Objection.objects.create(
        application=award,
        notice=award.notice,
        author_name="王五",
        organisation="Some Co.",
        reason="Not local.",
    )
    response = act(official_client, APPLICATIONS, "prepare_disbursement_batch", awards_in_notice)
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR and f"#{award.pk}" in text
    assert not DisbursementBatch.objects.exists()


def test_the_batch_exports_one_row_per_award_and_a_total(
    official_client, batch, awards_in_notice, anchor
):
    url = reverse("admin:subsidies_disbursementbatch_export", args=[batch.pk])
    response = official_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert batch.reference in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Batch reference",
        "Application #",
        "Recipient",
        "USCC",
        "Programme",
        "Amount (CNY)",
        "Public notice ended",
    )
    first, second, total = rows[1:]
    assert first[:6] == (
        batch.reference,
        awards_in_notice[0].pk,
        anchor.name_zh,
        anchor.uscc,
        "标准奖励",
        1000000.00,
    )
    assert second[5] == pytest.approx(500000.50)
    assert isinstance(first[6], datetime.datetime)
    assert total[0] == "Total" and total[5] == pytest.approx(1500000.50)
    assert sheet.cell(row=2, column=6).number_format == "#,##0.00"


def test_the_export_action_takes_several_batches(official_client, batch):
    response = official_client.post(
        BATCHES, {"action": "export_xlsx", ACTION_CHECKBOX_NAME: [batch.pk]}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4  # header, two awards, total


def test_marking_a_batch_paid_disburses_its_awards(official_client, batch, awards_in_notice):
    response = act(official_client, BATCHES, "mark_paid", [batch], payment_reference="")
    assert "payment_reference" in response.context["form"].errors
    assert all(status_of(a) == S.IN_NOTICE for a in awards_in_notice)

    response = act(
        official_client, BATCHES, "mark_paid", [batch], payment_reference="ICBC-2026-0042"
    )
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    assert all(status_of(a) == S.DISBURSED for a in awards_in_notice)
    batch.refresh_from_db()
    assert batch.payment_reference == "ICBC-2026-0042" and batch.paid_at is not None

    response = act(official_client, BATCHES, "mark_paid", [batch], payment_reference="again")
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR and "already been marked paid" in text


def test_batches_are_neither_added_nor_deleted_here(official_client, batch):
    assert official_client.get(reverse("admin:subsidies_disbursementbatch_add")).status_code == 403
    url = reverse("admin:subsidies_disbursementbatch_delete", args=[batch.pk])
    assert official_client.post(url, {"post": "yes"}).status_code == 403


def test_an_objection_is_upheld_with_a_resolution(official_client, awards_in_notice):
    award = awards_in_notice[0]
    Notice.objects.filter(pk=award.notice_id).update(
        ends_at=timezone.now() + datetime.timedelta(days=3)
    )
    objection = Objection.objects.create(
        application=award,
        notice=award.notice,
        author_name="王五",
        organisation="Some Co.",
        reason="The standard was never published.",
    )
    response = act(official_client, OBJECTIONS, "uphold", [objection], resolution="")
    assert "resolution" in response.context["form"].errors
    response = act(
        official_client, OBJECTIONS, "uphold", [objection], resolution="Confirmed with ISO."
    )
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    objection.refresh_from_db()
    assert objection.status == "upheld"
    assert status_of(award) == S.UNDER_REVIEW


def test_a_recovery_is_opened_repaid_and_written_off(official_client, awards_in_notice, batch):
    disbursement_batch_mark_paid(actor=batch.created_by, batch=batch, payment_reference="ICBC-1")
    award = awards_in_notice[1]
    response = act(
        official_client,
        APPLICATIONS,
        "open_recovery",
        [award],
        reason="relocation",
        amount_cny="",
        basis="",
    )
    assert "basis" in response.context["form"].errors
    response = act(
        official_client,
        APPLICATIONS,
        "open_recovery",
        [award],
        reason="relocation",
        amount_cny="",
        basis="Moved out in month 3 of 12: the full award.",
    )
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    recovery = Recovery.objects.get(application=award)
    assert recovery.amount_cny == Decimal("500000.50")

    response = act(
        official_client,
        RECOVERIES,
        "record_repayment",
        [recovery],
        amount_cny="600000",
        received_on=timezone.localdate().isoformat(),
    )
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR and "500,000.50 CNY outstanding" in text

    act(
        official_client,
        RECOVERIES,
        "record_repayment",
        [recovery],
        amount_cny="100000",
        received_on=timezone.localdate().isoformat(),
    )
    recovery.refresh_from_db()
    assert (recovery.status, recovery.repaid_cny) == ("partly_repaid", Decimal("100000.00"))

    act(official_client, RECOVERIES, "write_off", [recovery], note="Firm dissolved.")
    recovery.refresh_from_db()
    assert recovery.status == "written_off"
