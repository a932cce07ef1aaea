"""The client's address believes X-Forwarded-For only as far as our own proxies wrote it."""

import pytest
from django.test import RequestFactory

from ssb_portal.client_address import client_address


def request(forwarded_for: str | None = None, remote: str = "192.0.2.10"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_address(request("10.0.0.1")) == "192.0.2.10"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (1, "10.0.0.1, 203.0.113.7", "203.0.113.7"),
        (1, "203.0.113.7", "203.0.113.7"),
        (2, "10.0.0.1, 203.0.113.7, 198.51.100.2", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_proxies_the_address_the_outermost_proxy_saw(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_address(request(forwarded_for)) == expected


def test_behind_a_proxy_without_the_header_the_remote_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_address(request()) == "192.0.2.10"


def test_a_value_that_is_not_an_address_falls_back_to_the_remote_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_address(request("10.0.0.1, not-an-address")) == "192.0.2.10"
