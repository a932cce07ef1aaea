"""The application queues of the workbench: columns, filters, search, flags, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from subsidies.models import Notice, Objection
from tests.admin_support import listed
from tests.factories import ApplicationFactory, ProgrammeFactory
from tests.subsidies.admin_support import APPLICATIONS, S, claim

pytestmark = pytest.mark.django_db


# --- the queues ---------------------------------------------------------------------------


def test_the_changelist_shows_the_columns(official_client, queue):
    response = official_client.get(APPLICATIONS)
    assert response.status_code == 200
    assert listed(response) == {application.pk for application in queue.values()}
    content = response.content.decode()
    for heading in (
        "Applicant",
        "Programme",
        "Status",
        "Computed amount (CNY)",
        "Awarded amount (CNY)",
        "Submitted at",
        "Open objections",
        "Near-duplicate",
    ):
        assert heading.lower() in content.lower(), heading
    assert f"#{queue['submitted'].pk}" in content
    assert "5,000.00" in content


def test_the_queues_filter_by_status_programme_and_kind(official_client, queue):
    submitted = official_client.get(APPLICATIONS, {"status__exact": "submitted"})
    assert listed(submitted) == {queue["submitted"].pk, queue["standards"].pk}
    programme = queue["standards"].programme
    of_programme = official_client.get(APPLICATIONS, {"programme__id__exact": programme.pk})
    assert listed(of_programme) == {queue["standards"].pk, queue["draft"].pk}
    of_kind = official_client.get(APPLICATIONS, {"kind__exact": "local_procurement"})
    assert listed(of_kind) == {queue["submitted"].pk, queue["under_review"].pk}


def test_the_changelist_searches_by_uscc_and_names(official_client, queue, anchor, sme):
    assert listed(official_client.get(APPLICATIONS, {"q": sme.uscc})) == {
        queue["under_review"].pk,
        queue["standards"].pk,
    }
    assert listed(official_client.get(APPLICATIONS, {"q": anchor.name_zh})) == {
        queue["submitted"].pk,
        queue["draft"].pk,
    }
    assert listed(official_client.get(APPLICATIONS, {"q": anchor.name_en})) == {
        queue["submitted"].pk,
        queue["draft"].pk,
    }


@pytest.mark.parametrize(("days_apart", "flagged"), [(0, True), (5, True), (6, False)])
def test_near_duplicate_claims_are_flagged_in_the_queue(
    official_client, anchor, sme, supplier, days_apart, flagged
):
    programme = ProgrammeFactory(kind="local_procurement")
    first = ApplicationFactory(programme=programme, applicant=anchor, status=S.SUBMITTED)
    second = ApplicationFactory(programme=programme, applicant=sme, status=S.SUBMITTED)
    clean = ApplicationFactory(programme=programme, applicant=sme, status=S.SUBMITTED)
    day = datetime.date(timezone.localdate().year, 3, 10)
    claim(first, supplier, invoice_no="A-100", day=day)
    claim(second, supplier, invoice_no="B-200", day=day + datetime.timedelta(days=days_apart))
    claim(clean, supplier, invoice_no="C-300", day=day, amount="1234.00")

    response = official_client.get(APPLICATIONS)
    flags = {a.pk: a.has_near_duplicates for a in response.context["cl"].result_list}
    assert flags == {first.pk: flagged, second.pk: flagged, clean.pk: False}
    only_flagged = official_client.get(APPLICATIONS, {"near_duplicate": "yes"})
    assert listed(only_flagged) == ({first.pk, second.pk} if flagged else set())


def test_open_objections_are_counted_in_the_queue(official_client, queue):
    application = queue["submitted"]
    notice = Notice.objects.create(
        programme=application.programme, ends_at=timezone.now() + datetime.timedelta(days=7)
    )
    for status in ("open", "open", "dismissed"):
        Objection.objects.create(
            application=application,
            notice=notice,
            author_name="王五",
            organisation="Some Co.",
            reason="Invoices look altered.",
            status=status,
        )
    response = official_client.get(APPLICATIONS, {"open_objections": "yes"})
    assert listed(response) == {application.pk}
    assert response.context["cl"].result_list[0].open_objection_count == 2


def changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(APPLICATIONS)
        assert response.status_code == 200
    return len(queries)


def test_changelist_queries_do_not_grow_with_the_rows(official_client, queue, supplier):
    few = changelist_queries(official_client)
    for number in range(12):
        application = ApplicationFactory(programme=queue["submitted"].programme, status=S.SUBMITTED)
        claim(application, supplier, invoice_no=f"X-{number}", day=datetime.date(2026, 3, 1))
    assert changelist_queries(official_client) == few
    # 1 session, 2 user, 3-4 the official's own and group permissions, 5 the programmes for
    # their filter, 6-7 counts (filtered and total), 8 the page with applicants, programmes,
    # open objections and the near-duplicate flag.
    assert few == 8
