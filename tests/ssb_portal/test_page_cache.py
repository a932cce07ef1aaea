"""The page cache (issue 20, "Load held"): anonymous GETs are kept until a table they read is
written; a signed-in visitor, another language, a rollback and an unreachable cache each get
what they would get without it."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from directory.bulk import insert_rows
from directory.models import Enterprise, Product
from ssb_portal.page_cache import tables
from ssb_portal.page_cache.middleware import PageCacheMiddleware
from tests.factories import (
    EnterpriseFactory,
    ProductFactory,
    ProgrammeFactory,
    UserFactory,
)

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def page_cache(settings):
    """The page cache on, in a cache of this test's own (each process's memory: a kept page
    then costs no query at all, which the tests count)."""
    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "page-cache-tests",
        },
        "lcr_figures": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def listed(db):
    enterprise = EnterpriseFactory(name_en="Keep Me Solid Co.")
    ProductFactory(enterprise=enterprise)
    return enterprise


def kept(client, path, django_assert_max_num_queries, **headers):
    """The answer to `path`, asserting it came from the cache: no query at all."""
    with django_assert_max_num_queries(0):
        return client.get(path, **headers)


def rendered_again(client, path, **headers) -> bool:
    """Whether the answer to `path` was rendered (it queried the database) rather than kept."""
    with CaptureQueriesContext(connection) as queries:
        client.get(path, **headers)
    return len(queries) > 0


def committed(django_capture_on_commit_callbacks, write):
    """Runs `write` and then what waits for its transaction's commit (the test's own
    transaction never commits). The fixtures' writes were noted in the test's transaction
    already; the block's writes are noted afresh, as in a transaction of their own."""
    connection.page_cache_pending = None
    with django_capture_on_commit_callbacks(execute=True):
        write()


@pytest.mark.django_db
def test_an_anonymous_page_is_served_again_without_a_query(
    client, page_cache, listed, django_assert_max_num_queries
):
    first = client.get("/directory/", HTTP_ACCEPT_LANGUAGE="en")
    again = kept(client, "/directory/", django_assert_max_num_queries, HTTP_ACCEPT_LANGUAGE="en")

    assert first.status_code == again.status_code == 200
    assert "Keep Me Solid Co." in again.content.decode()
    assert CSRF_INPUT.sub("", first.content.decode()) == CSRF_INPUT.sub("", again.content.decode())


@pytest.mark.django_db
def test_a_public_api_read_is_kept_per_format(
    api_client, page_cache, listed, django_assert_max_num_queries
):
    api_client.get("/api/v1/enterprises/")
    with django_assert_max_num_queries(0):
        again = api_client.get("/api/v1/enterprises/")
    assert again["Content-Type"] == "application/json"
    assert again.json()["results"][0]["uscc"] == listed.uscc

    browsable = api_client.get("/api/v1/enterprises/", HTTP_ACCEPT="text/html")
    assert browsable["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_write_to_one_table_retires_only_the_pages_that_read_it(
    client, page_cache, listed, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    programme = ProgrammeFactory()
    enterprise_page = f"/directory/e/{listed.uscc}/"
    client.get(enterprise_page)
    client.get("/support/")

    committed(
        django_capture_on_commit_callbacks,
        lambda: Product.objects.filter(enterprise=listed).update(name="Renamed electrolyte"),
    )

    assert rendered_again(client, enterprise_page)
    kept(client, enterprise_page, django_assert_max_num_queries)
    support = kept(client, "/support/", django_assert_max_num_queries)  # it reads no product
    assert programme.name_en in support.content.decode()


@pytest.mark.django_db
def test_raw_sql_and_bulk_loads_retire_pages(
    client, page_cache, listed, django_capture_on_commit_callbacks
):
    page = f"/directory/e/{listed.uscc}/"
    client.get(page)

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE directory_enterprise SET name_en = %s WHERE id = %s",
                ["Raw Renamed Co.", listed.pk],
            )

    committed(django_capture_on_commit_callbacks, raw_update)
    assert "Raw Renamed Co." in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    client.get(page)
    assert not rendered_again(client, page)
    # COPY on PostgreSQL goes past the execute wrappers: the bulk loader says what it wrote.
    draft = EnterpriseFactory.build(pk=listed.pk + 1000)  # the bulk loader writes ids as given
    committed(django_capture_on_commit_callbacks, lambda: insert_rows(Enterprise, [draft]))
    assert rendered_again(client, page)


@pytest.mark.django_db
def test_a_rolled_back_write_retires_nothing(
    client, page_cache, listed, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    page = f"/directory/e/{listed.uscc}/"
    client.get(page)
    before = tables.table_versions(["directory_product"])

    connection.page_cache_pending = None
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Product.objects.filter(enterprise=listed).update(name="Never saved")
        raise RuntimeError("the write fails")

    assert callbacks == []
    assert tables.table_versions(["directory_product"]) == before
    assert "Never saved" not in kept(client, page, django_assert_max_num_queries).content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_commit_retires_and_a_real_rollback_does_not(client, page_cache):
    enterprise = EnterpriseFactory()
    page = f"/directory/e/{enterprise.uscc}/"
    client.get(page)

    with pytest.raises(RuntimeError), transaction.atomic():
        Enterprise.objects.filter(pk=enterprise.pk).update(name_en="Rolled Back Co.")
        raise RuntimeError
    assert not rendered_again(client, page)

    with transaction.atomic():
        Enterprise.objects.filter(pk=enterprise.pk).update(name_en="Committed Co.")
    assert "Committed Co." in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.django_db
def test_a_signed_in_visitor_never_gets_the_public_page(client, page_cache, listed):
    client.get("/directory/")
    member = UserFactory(username="member-reading")
    client.force_login(member)

    page = client.get("/directory/").content.decode()

    assert "member-reading" in page


@pytest.mark.django_db
def test_the_public_never_gets_a_signed_in_visitors_page(page_cache, listed):
    member = Client()
    member.force_login(UserFactory(username="member-first"))
    assert "member-first" in member.get("/directory/").content.decode()

    page = Client().get("/directory/").content.decode()

    assert "member-first" not in page
    assert not rendered_again(Client(), "/directory/")  # the anonymous page was kept


@pytest.mark.django_db
def test_each_language_has_its_own_page(client, page_cache, listed, django_assert_max_num_queries):
    english = client.get("/directory/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/directory/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    assert 'lang="en"' in english and 'lang="zh-hans"' in chinese
    again = kept(client, "/directory/", django_assert_max_num_queries, HTTP_ACCEPT_LANGUAGE="en")
    assert 'html lang="en"' in again.content.decode()


@pytest.mark.django_db
def test_each_visitor_gets_a_csrf_token_of_their_own_that_works(page_cache, listed):
    Client().get("/directory/")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    first_token = CSRF_INPUT.search(first.get("/directory/").content.decode())[1]
    second_token = CSRF_INPUT.search(second.get("/directory/").content.decode())[1]

    assert first_token != second_token
    assert "csrftoken" in first.cookies
    switched = first.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": first_token}
    )
    assert switched.status_code == 302
    refused = second.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": first_token}
    )
    assert refused.status_code == 403


@pytest.mark.django_db
def test_answers_that_are_not_plain_200s_are_not_kept(client, page_cache):
    client.get("/directory/e/91330100000000000X/")
    assert rendered_again(client, "/directory/e/91330100000000000X/")  # the 404 again


@pytest.mark.django_db
def test_the_page_cache_is_off_by_default_in_development(client, listed, settings):
    assert settings.PAGE_CACHE is False
    client.get("/directory/")

    assert rendered_again(client, "/directory/")


@pytest.mark.django_db
def test_a_cache_that_is_down_serves_pages_as_without_it(client, listed, settings, monkeypatch):
    settings.PAGE_CACHE = True

    def refused(*args, **kwargs):
        raise ConnectionError("redis: connection refused")

    monkeypatch.setattr(cache, "get", refused)
    monkeypatch.setattr(cache, "get_many", refused)
    monkeypatch.setattr(cache, "set", refused)

    response = client.get("/directory/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Keep Me Solid Co." in response.content.decode()


@pytest.mark.django_db
def test_the_database_cache_keeps_pages_too(
    client, listed, settings, django_assert_max_num_queries
):
    """The default shared cache when REDIS_URL is unset: two queries serve a kept page (the
    page, then its tables' versions)."""
    settings.PAGE_CACHE = True
    client.get("/directory/")

    with django_assert_max_num_queries(2):
        assert client.get("/directory/").status_code == 200


@pytest.mark.django_db
def test_while_the_database_is_down_kept_pages_are_served_and_the_rest_answers_503(
    client, page_cache, listed, monkeypatch
):
    """With Redis as the shared cache a kept page outlives the database (nothing can be
    written meanwhile); anything else answers the outage's 503 as without the cache."""
    client.get("/directory/", HTTP_ACCEPT_LANGUAGE="en")

    def refused(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CursorWrapper, "execute", refused)
    monkeypatch.setattr(CursorWrapper, "executemany", refused)
    monkeypatch.setattr(connection, "is_usable", lambda: False)

    assert client.get("/directory/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    assert client.get("/directory/", HTTP_ACCEPT_LANGUAGE="zh-CN").status_code == 503
    assert client.get(f"/directory/e/{listed.uscc}/").status_code == 503


def _answer_twice(rf, view) -> int:
    """How many times `view` ran for two identical anonymous GETs through the middleware."""
    calls = []

    def counted(request):
        calls.append(request)
        return view(request)

    middleware = PageCacheMiddleware(counted)
    for _ in range(2):
        request = rf.get("/directory/")
        request._messages = CookieStorage(request)
        middleware(request)
    return len(calls)


@pytest.mark.django_db
def test_an_answer_that_sets_a_cookie_or_a_message_is_not_kept(rf, page_cache):
    def plain(request):
        return HttpResponse("the same for all")

    def with_cookie(request):
        response = HttpResponse("for one visitor")
        response.set_cookie("seen", "1")
        return response

    def with_message(request):
        messages.info(request, "Saved.")
        return HttpResponse("for one visitor")

    assert _answer_twice(rf, plain) == 1
    cache.clear()
    assert _answer_twice(rf, with_cookie) == 2
    assert _answer_twice(rf, with_message) == 2


@pytest.mark.django_db
def test_an_answer_that_varies_on_a_header_the_key_leaves_out_is_not_kept(rf, page_cache):
    # The key holds the language and Accept; an answer that says it differs by any other
    # request header (a partial for htmx, say) would be served to visitors who sent another.
    def by_language(request):
        response = HttpResponse("per language")
        response["Vary"] = "Accept-Language, Cookie"
        return response

    def by_other_header(request):
        response = HttpResponse("a partial")
        response["Vary"] = "Accept-Language, HX-Request"
        return response

    assert _answer_twice(rf, by_language) == 1
    cache.clear()
    assert _answer_twice(rf, by_other_header) == 2
