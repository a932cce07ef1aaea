"""The rules of bills of materials that must never break: the workflow's table of moves, and
the database's constraints (run on SQLite and on PostgreSQL)."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from directory.composition.workflow import BOM_WORKFLOW, CALENDAR
from directory.models import BillOfMaterials, BomLine, BomStatus
from directory.workflow import MEMBER, OFFICIAL
from tests.factories import ProductFactory

ALLOWED = {
    (BomStatus.SUBMITTED, BomStatus.VERIFIED, OFFICIAL),
    (BomStatus.SUBMITTED, BomStatus.RETURNED, OFFICIAL),
    (BomStatus.VERIFIED, BomStatus.SUPERSEDED, OFFICIAL),
    (BomStatus.VERIFIED, BomStatus.RETURNED, OFFICIAL),
    (BomStatus.VERIFIED, BomStatus.EXPIRED, CALENDAR),
}
MOVES = [
    (current, target, role)
    for current, target in itertools.permutations(BomStatus.values, 2)
    for role in (OFFICIAL, MEMBER, CALENDAR)
]


@pytest.mark.parametrize(("current", "target", "role"), MOVES)
def test_only_the_tables_moves_are_allowed_and_only_to_their_role(current, target, role):
    if (current, target, role) in ALLOWED:
        BOM_WORKFLOW.check(current=current, target=target, roles=role)
        return
    refused = PermissionDenied if BOM_WORKFLOW.roles_for(current, target) else ValidationError
    with pytest.raises(refused):
        BOM_WORKFLOW.check(current=current, target=target, roles=role)


@pytest.mark.django_db
def test_a_product_has_one_verified_bill_at_a_time():
    product = ProductFactory()
    today = datetime.date(2026, 1, 1)
    verified = {"status": BomStatus.VERIFIED, "valid_from": today, "valid_until": today}
    BillOfMaterials.objects.create(product=product, **verified)
    with pytest.raises(IntegrityError), transaction.atomic():
        BillOfMaterials.objects.create(product=product, **verified)


@pytest.mark.django_db
def test_a_verified_bill_has_a_validity_that_does_not_end_before_it_starts():
    product = ProductFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        BillOfMaterials.objects.create(product=product, status=BomStatus.VERIFIED)
    with pytest.raises(IntegrityError), transaction.atomic():
        BillOfMaterials.objects.create(
            product=product,
            status=BomStatus.VERIFIED,
            valid_from=datetime.date(2026, 2, 1),
            valid_until=datetime.date(2026, 1, 1),
        )


@pytest.mark.django_db
@pytest.mark.parametrize("values", [{"cost": -1}, {"local_share": 101}, {"local_share": -1}])
def test_a_line_has_no_negative_cost_and_a_percent_share(values):
    bom = BillOfMaterials.objects.create(product=ProductFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        BomLine.objects.create(bom=bom, description="x", **values)
