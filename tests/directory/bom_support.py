"""Building blocks for the bill-of-materials tests: a three-tier chain and verification."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from directory.composition.lines import LineInput
from directory.composition.services import bom_declare, bom_verify
from directory.demo.documents import blank_pdf


def report() -> SimpleUploadedFile:
    return SimpleUploadedFile("verifier-report.pdf", blank_pdf(), content_type="application/pdf")


def declare_and_verify(official, member, product, lines, *, days=365, **options):
    bom = bom_declare(actor=member, product=product, lines=lines, **options)
    return bom_verify(
        actor=official,
        bom=bom,
        valid_until=timezone.localdate() + datetime.timedelta(days=days),
        evidence=report(),
    )


def line(description="part", **values) -> LineInput:
    values.setdefault("origin", "local")
    if isinstance(values.get("cost"), int):
        values["cost"] = Decimal(values["cost"])
    return LineInput(description=description, **values)
