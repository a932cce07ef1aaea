"""Issue 17: "valid IATF 16949" took 258 s on SQLite at 100,000 enterprises, the certificates'
index probed once per enterprise by a correlated EXISTS. The filter is now a semi-join the
index serves once; the results are the same."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from directory.filters import EnterpriseFilter
from directory.models import Enterprise
from tests.factories import CertificationFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def holders(scheme: str) -> list[int]:
    queryset = EnterpriseFilter({"certification": scheme}, Enterprise.objects.all()).qs
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def test_only_enterprises_with_a_valid_certificate_of_the_scheme_are_found():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    valid, expired, other, until_today, twice = EnterpriseFactory.create_batch(5)
    EnterpriseFactory()  # no certificate at all
    CertificationFactory(enterprise=valid, scheme="IATF 16949", valid_until=today + 300 * day)
    CertificationFactory(enterprise=expired, scheme="IATF 16949", valid_until=today - day)
    CertificationFactory(enterprise=other, scheme="ISO 9001", valid_until=today + 300 * day)
    CertificationFactory(enterprise=until_today, scheme="IATF 16949", valid_until=today)
    CertificationFactory(enterprise=twice, scheme="IATF 16949", valid_until=today + day)
    CertificationFactory(enterprise=twice, scheme="IATF 16949", valid_until=today + 9 * day)

    assert holders("IATF 16949") == sorted([valid.pk, until_today.pk, twice.pk])  # once each
    assert holders("ISO 9001") == [other.pk]
    assert holders("ISO 14001") == []


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {sql}", params)
        return "\n".join(" ".join(str(column) for column in row) for row in cursor.fetchall())


def test_the_certificates_index_is_read_once_not_per_enterprise():
    CertificationFactory(scheme="IATF 16949")
    queryset = EnterpriseFilter({"certification": "IATF 16949"}, Enterprise.objects.all()).qs
    plan = plan_of(queryset.order_by("pk")[:20])
    if connection.vendor == "sqlite":
        assert "certification_scheme_valid" in plan
        assert "CORRELATED" not in plan
    else:
        assert "SubPlan" not in plan  # no per-row subquery
