"""Issue 17: a broad search stops counting at a cap instead of counting every match; the page
and the API say when the count is capped."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.search import counts
from tests.directory.api_support import LIST_URL
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_firms(monkeypatch):
    monkeypatch.setattr(counts, "COUNT_CAP", 3)
    return EnterpriseFactory.create_batch(5)


def test_below_the_cap_the_count_is_exact(api_client):
    EnterpriseFactory.create_batch(2)
    body = api_client.get(LIST_URL).json()
    assert body["count"] == 2
    assert body["count_capped"] is False


def test_above_the_cap_the_api_says_the_count_is_capped(api_client, five_firms):
    body = api_client.get(LIST_URL, {"page_size": 2}).json()
    assert (body["count"], body["count_capped"]) == (3, True)
    assert len(body["results"]) == 2
    last = api_client.get(LIST_URL, {"page_size": 2, "page": 2}).json()
    assert len(last["results"]) == 1 and last["next"] is None
    assert api_client.get(LIST_URL, {"page_size": 2, "page": 3}).status_code == 404


def test_the_count_reads_no_more_rows_than_the_cap(api_client, five_firms):
    with CaptureQueriesContext(connection) as captured:
        api_client.get(LIST_URL)
    count_sql = next(query["sql"] for query in captured if "COUNT(" in query["sql"].upper())
    assert "LIMIT 4" in count_sql


def test_the_page_says_more_than_the_cap(client, five_firms):
    response = client.get(reverse("directory:search"), HTTP_ACCEPT_LANGUAGE="en")
    assert "More than 3 enterprises" in response.content.decode()
    assert "narrow the search" in response.content.decode()


def test_the_page_counts_exactly_below_the_cap(client):
    EnterpriseFactory.create_batch(2)
    page = client.get(reverse("directory:search"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 enterprises" in page
    assert "More than" not in page


def test_the_page_says_more_than_the_cap_in_chinese(client, five_firms):
    page = client.get(reverse("directory:search"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "超过 3 家企业" in page
    assert "分页只显示前 3 家" in page


def test_the_cap_is_one_thousand_and_the_api_schema_says_so(api_client):
    assert counts.COUNT_CAP == 1_000
    schema = api_client.get(reverse("api-schema"), {"format": "json"}).json()
    listed = schema["paths"][LIST_URL]["get"]
    assert "The count stops at 1,000" in listed["description"]
    page_schema = listed["responses"]["200"]["content"]["application/json"]["schema"]
    name = page_schema["$ref"].rsplit("/", 1)[-1]
    flag = schema["components"]["schemas"][name]["properties"]["count_capped"]
    assert "more than 1,000 enterprises" in flag["description"]
