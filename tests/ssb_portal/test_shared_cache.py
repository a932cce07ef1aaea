"""Every limit counts in one cache that all web processes share: the database cache unless
REDIS_URL names a Redis server; the proxy count reaches axes and REST framework alike."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import RequestFactory

from directory.api import TokenThrottle
from tests.ssb_portal.test_settings import BASE_DIR, start

pytestmark = pytest.mark.django_db

REPORT = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "location": settings.CACHES["default"]["LOCATION"],
    "num_proxies": settings.REST_FRAMEWORK["NUM_PROXIES"],
    "axes_proxies": settings.AXES_IPWARE_PROXY_COUNT,
    "trusted_proxies": settings.TRUSTED_PROXY_COUNT,
}))
"""


def reported(**environ: str) -> dict:
    env = {name: value for name, value in os.environ.items() if name != "REDIS_URL"}
    env.update(environ, DEBUG="1", DJANGO_SETTINGS_MODULE="ssb_portal.settings")
    result = subprocess.run(
        [sys.executable, "-c", REPORT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_default_cache_is_the_database_and_its_table_exists():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.CACHES["default"]["LOCATION"] in connection.introspection.table_names()


def test_a_throttle_count_written_by_one_process_is_seen_by_another():
    request = RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR="198.51.100.7")
    request.user = AnonymousUser()
    first = TokenThrottle()
    for _ in range(20):
        assert first.allow_request(request, None)

    # Another web process: its own cache client, built from the settings, nothing in memory.
    other = TokenThrottle()
    other.cache = DatabaseCache(settings.CACHES["default"]["LOCATION"], {})
    assert other.cache is not caches["default"]

    assert not other.allow_request(request, None)
    assert len(other.history) == 20


def test_redis_when_redis_url_is_set():
    assert reported()["cache"] == "django.core.cache.backends.db.DatabaseCache"
    with_redis = reported(REDIS_URL="redis://cache.internal:6379/0")
    assert with_redis["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert with_redis["location"] == "redis://cache.internal:6379/0"


def test_the_proxy_count_comes_from_the_environment_for_axes_and_rest_framework():
    assert reported() | {"cache": None, "location": None} == {
        "cache": None,
        "location": None,
        "num_proxies": 0,
        "axes_proxies": 0,
        "trusted_proxies": 0,
    }
    behind_two = reported(TRUSTED_PROXY_COUNT="2")
    assert (behind_two["num_proxies"], behind_two["axes_proxies"]) == (2, 2)


def test_a_negative_proxy_count_is_refused():
    result = start(DEBUG="1", TRUSTED_PROXY_COUNT="-1")

    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr
