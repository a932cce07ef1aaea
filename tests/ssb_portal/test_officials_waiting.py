"""The officials' to-do list on the admin index: what waits for them, counted, the longest
wait first, each linking to the admin list filtered to those rows."""

import datetime

import pytest
from django.utils import timezone

from directory.models import ListingStatus
from tests.factories import (
    AllianceMemberFactory,
    ApplicationFactory,
    EnterpriseFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _waiting(response) -> list[tuple[str, int, str]]:
    return [(str(item.label), item.count, item.url) for item in response.context["waiting"]]


def test_the_index_counts_what_waits_oldest_first_and_links_to_the_filtered_lists(client, official):
    now = timezone.now()
    for days in (3, 9):
        EnterpriseFactory(
            status=ListingStatus.PENDING,
            verified_at=None,
            created_at=now - datetime.timedelta(days=days),
        )
    ApplicationFactory(status="submitted", submitted_at=now - datetime.timedelta(days=20))
    AllianceMemberFactory(status="applied", applied_at=now - datetime.timedelta(days=1))
    EnterpriseFactory()  # verified, nothing waits

    client.force_login(official)
    response = client.get("/admin/")

    assert response.status_code == 200
    assert _waiting(response) == [
        (
            "Applications submitted, review not started",
            1,
            "/admin/subsidies/application/?status__exact=submitted",
        ),
        (
            "Enterprise registrations awaiting verification",
            2,
            "/admin/directory/enterprise/?status__exact=pending",
        ),
        (
            "Alliance membership applications",
            1,
            "/admin/alliance/alliancemember/?status__exact=applied",
        ),
    ]
    assert "Waiting for you" in response.text
    # Each link lists exactly the rows counted.
    for _label, count, url in _waiting(response):
        assert client.get(url).context["cl"].result_count == count


def test_changes_to_verified_listings_are_counted_apart_from_new_registrations(client, official):
    EnterpriseFactory(pending_changes={"phone": "0571-1"})
    ProductFactory(status=ListingStatus.PENDING)
    client.force_login(official)

    labels = {label: count for label, count, _url in _waiting(client.get("/admin/"))}

    assert labels == {
        "Changes to enterprises awaiting verification": 1,
        "New products awaiting verification": 1,
    }


def test_nothing_waiting_says_so(client, official):
    client.force_login(official)
    response = client.get("/admin/")
    assert response.context["waiting"] == []
    assert "Nothing waits for you" in response.text


def test_the_list_is_in_chinese_for_a_chinese_official(client, official):
    EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None)
    client.force_login(official)
    response = client.get("/admin/", headers={"accept-language": "zh-hans"})
    assert "等待您处理" in response.text
    assert "待审核的企业注册" in response.text


def test_a_staff_user_without_the_view_permission_is_shown_none_of_it(client):
    EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None)
    client.force_login(UserFactory(is_staff=True))
    response = client.get("/admin/")
    assert response.context["waiting"] == []


def test_the_list_costs_one_query_per_model_whatever_the_rows(
    client, official, django_assert_max_num_queries
):
    now = timezone.now()
    for days in range(12):
        since = now - datetime.timedelta(days=days)
        EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None, created_at=since)
        ApplicationFactory(status="under_review", submitted_at=since)
    client.force_login(official)
    # Session and user, the permissions (two), the ten models' counts, the admin's own
    # recent actions, and the page's few odds and ends.
    with django_assert_max_num_queries(20):
        response = client.get("/admin/")
    assert response.status_code == 200


def test_the_enterprise_list_shows_what_waits_first_the_oldest_first(client, official):
    now = timezone.now()
    verified = EnterpriseFactory(name_zh="甲")
    recent = EnterpriseFactory(
        name_zh="乙", status=ListingStatus.PENDING, verified_at=None, created_at=now
    )
    changed = EnterpriseFactory(name_zh="丙", pending_changes={"phone": "0571-1"})
    old = EnterpriseFactory(
        name_zh="丁",
        status=ListingStatus.PENDING,
        verified_at=None,
        created_at=now - datetime.timedelta(days=30),
    )
    client.force_login(official)

    shown = list(client.get("/admin/directory/enterprise/").context["cl"].result_list)

    assert shown.index(old) < shown.index(recent)
    assert shown[-1] == verified
    assert set(shown[:3]) == {old, recent, changed}
