"""A bounded schemathesis run: every API operation, a few derandomized examples each, signed
out, as an SME owner and as an official, against the WSGI application in the test's
transaction.

It fails on any server error and on any answer the schema does not describe (status code,
content type, body). `make test` runs it, so `.ci/run` runs it on SQLite and PostgreSQL.
"""

import io
import time
from contextlib import contextmanager

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from directory.demo.users import OFFICIAL_USERNAME, SME_USERNAME
from directory.models import Enterprise
from ssb_portal.roles import OFFICIAL_GROUP

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

# A few examples per operation and role (derandomized: every run sends the same requests);
# about 1,250 requests, under a minute on SQLite.
EXAMPLES_PER_OPERATION = 4
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@contextmanager
def connection_kept_open():
    # Each WSGI request would close the test's database connection at its end (Django's test
    # client does the same as here: it keeps the connection for the test's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def demo_city(settings):
    settings.ALLOWED_HOSTS = ["localhost"]  # the WSGI client's host
    out = io.StringIO()
    call_command("seed_demo", "--enterprises", "30", "--outside-development", stdout=out)
    call_command("seed_programmes", stdout=out)
    call_command("seed_alliance", stdout=out)
    call_command("seed_talent", stdout=out)
    users = get_user_model().objects
    official = users.get(username=OFFICIAL_USERNAME)
    assert official.groups.filter(name=OFFICIAL_GROUP).exists()
    sme = users.get(username=SME_USERNAME)
    yield {
        "tokens": {
            "anonymous": None,
            "sme": Token.objects.create(user=sme).key,
            "official": Token.objects.create(user=official).key,
        },
        # Addresses with {uscc} name the SME's own listing, so that they answer more than 404.
        "uscc": Enterprise.objects.filter(memberships__user=sme).values_list("uscc", flat=True)[0],
    }
    # The run's calls to the token endpoint must not throttle the tests after it.
    cache.clear()


def describe(error: BaseException) -> str:
    if isinstance(error, BaseExceptionGroup):
        return "; ".join(describe(one) for one in error.exceptions)
    return f"{type(error).__name__}: {error}"


def run_operation(operation, role: str, headers: dict, uscc: str, failures: list[str]) -> int:
    """Send the operation's examples; a failure is added to `failures`. Returns the calls made."""
    known = {"uscc": uscc} if "{uscc}" in operation.path else None

    @given(case=operation.as_strategy(path_parameters=known))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        sent.append(case)
        case.call_and_validate(headers=headers, checks=CHECKS)

    sent: list = []
    try:
        check()
    except (Exception, FailureGroup) as error:  # every failure is reported, the run goes on
        request = sent[-1].as_curl_command(headers) if sent else ""
        failures.append(f"{role}: {operation.label}: {describe(error)}\n{request}")
    return len(sent)


def test_every_operation_keeps_to_the_schema(demo_city):
    started = time.monotonic()
    with connection_kept_open():
        app = get_wsgi_application()
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
        failures: list[str] = []
        operations = [result.ok() for result in schema.get_all_operations()]
        calls = 0
        for role, token in demo_city["tokens"].items():
            headers = {"Authorization": f"Token {token}"} if token else {}
            for operation in operations:
                calls += run_operation(operation, role, headers, demo_city["uscc"], failures)
    elapsed = time.monotonic() - started
    print(f"schemathesis: {len(operations)} operations × 3 roles, {calls} calls in {elapsed:.0f} s")
    assert len(operations) > 100
    assert not failures, "\n\n".join(failures)
