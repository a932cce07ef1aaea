"""The client's address, believing X-Forwarded-For only as far as our own proxies wrote it.

A client can send any X-Forwarded-For it likes; each proxy in front of the portal appends the
address it received the request from. With `TRUSTED_PROXY_COUNT` = N proxies, the N-th address
from the right is the one our outermost proxy saw: the client's. With N = 0 (the default) the
header is ignored and the address is REMOTE_ADDR. REST framework's `NUM_PROXIES` follows the same
setting and the same rule; axes calls `client_address` (AXES_CLIENT_IP_CALLABLE).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, or None when the request carries none that is valid."""
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not proxies or not forwarded:
        return remote
    addresses = forwarded.split(",")
    # Fewer addresses than proxies: the left-most is as far back as the chain goes.
    return _valid(addresses[-min(proxies, len(addresses))]) or remote
